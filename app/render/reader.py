"""Reader-facing text shared by every template: Arabic mode lines and warnings, citation labels, figure
conflicts, and the HTML isolation of Latin and number runs.

Readers see Arabic only: the technical reasons (English, for developers) stay in the JSON `warnings` and in
the logs; the templates get an Arabic sentence chosen from the kind of reason.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Protocol

from markupsafe import Markup, escape

from app.briefing import FigureConflict
from app.render.counts import count_phrase
from app.render.outlets import outlet_name

MODES = {
    "extractive": "استخراجي: جمل منقولة من المقالات كما وردت",
    "abstractive+extractive": "توليدي واستخراجي: ملخص كل مقال كتبه نموذج التلخيص، والنقاط منقولة من المقالات",
}
# (what the technical reason contains, what the reader is told) — first match wins.
_MODEL_REASONS = (
    (("turned off", "no model configured", "disabled"), "لم يُفعَّل نموذج التلخيص في هذا التشغيل"),
    (("not found", "cannot be reached", "not under models"), "نموذج التلخيص غير موجود على هذا الخادم"),
    (("could not load", "failed to load"), "تعذّر تحميل نموذج التلخيص"),
    (("not available", "cannot be imported"), "مكتبات نموذج التلخيص غير مثبتة على هذا الخادم"),
)
_NO_ARABIC = re.compile(r"^article (?P<id>.+?): no Arabic sentences found; left out$")
# Directional controls and NUL that input text may carry: they would reorder or hide what readers see.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Runs kept left-to-right inside right-to-left text: Latin words (with the spaces between them) and numbers
# with their separators (50.35، 2,500، 2015-08-10، 21:15، 45%).
_LTR_RUN = re.compile(
    r"[A-Za-z][A-Za-z0-9.'&_@/+%\-]*(?:\s+[A-Za-z0-9][A-Za-z0-9.'&_@/+%\-]*)*"
    r"|[0-9٠-٩]+(?:[.,٫:/\-][0-9٠-٩]+)*%?"
)


def mode_text(mode: str) -> str:
    if mode in MODES:
        return MODES[mode]
    return "عبر خدمة موجز"  # the daily report run against a service: its mode is the service's address


def model_reason(reason: str | None) -> str:
    """Why no model ran, for readers: an Arabic sentence chosen by the kind of the technical reason."""
    if not reason:
        return ""
    lowered = reason.lower()
    for needles, text in _MODEL_REASONS:
        if any(n in lowered for n in needles):
            return text
    return "نموذج التلخيص غير متاح"


_STORY_ERRORS = (
    ("no arabic text", "لا نص عربي في مقالاتها"),
    ("no articles", "لا مقالات فيها"),
    ("timed out", "انتهت مهلة إعداد موجزها"),
)


def story_error(error: str | None) -> str:
    """Why a story has no briefing, for readers (the technical message stays in the JSON)."""
    lowered = (error or "").lower()
    for needle, text in _STORY_ERRORS:
        if needle in lowered:
            return text
    return "تعذّر إعداد موجزها (السبب في ملف البيانات المرافق)"


def reader_warnings(warnings: Sequence[str]) -> list[str]:
    """The warnings a reader can act on, in Arabic; the rest are counted (their text is in the JSON)."""
    shown, technical = [], 0
    for warning in warnings:
        match = _NO_ARABIC.match(warning)
        if match:
            shown.append(f"أُهمل المقال «{match['id']}»: لا جمل عربية فيه")
        else:
            technical += 1
    if technical:
        shown.append(f"{count_phrase(technical, 'تنبيه تقني')} في ملف البيانات المرافق للموجز")
    return shown


class _Cited(Protocol):
    id: str
    source: str | None


def article_labels(articles: Iterable[_Cited]) -> dict[str, str]:
    """Article id -> what a citation shows: the outlet's name, and «(2)» when the outlet has several articles."""
    articles = list(articles)
    names = [outlet_name(a.source) or "—" for a in articles]
    totals = Counter(names)
    seen: Counter[str] = Counter()
    labels = {}
    for article, name in zip(articles, names, strict=True):
        seen[name] += 1
        labels[article.id] = f"{name} ({seen[name]})" if totals[name] > 1 else name
    return labels


def cited(ids: Iterable[str], labels: dict[str, str]) -> list[str]:
    return list(dict.fromkeys(labels.get(i, i) for i in ids))


def _and_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return "، ".join(items[:-1]) + " و" + items[-1]


def conflict_text(conflicts: Sequence[FigureConflict], labels: dict[str, str]) -> str:
    """One line for all of a key point's figure conflicts, grouped by who reported which:
    «تباينت الأرقام بين المصادر: 20 وفق عكاظ (1) وعكاظ (2)، مقابل 27 وفق الوطن»."""
    by_sources: dict[tuple[str, ...], list[str]] = {}
    for conflict in conflicts:
        for report in conflict.reports:
            figures = by_sources.setdefault(tuple(cited(report.sources, labels)), [])
            if report.figure not in figures:
                figures.append(report.figure)
    parts = [f"{_and_list(figures)} وفق {_and_list(list(names))}" for names, figures in by_sources.items()]
    return "تباينت الأرقام بين المصادر: " + "، مقابل ".join(parts) if len(parts) > 1 else ""


def strip_controls(value: object) -> str:
    return _CONTROLS.sub("", str(value if value is not None else ""))


def bidi(value: object) -> Markup:
    """HTML text with every Latin and number run isolated left-to-right (<bdi dir="ltr">), so that
    «alriyadh: 21 حالة» and «2015-08-10» keep their order inside Arabic; controls and NUL removed."""
    text = strip_controls(value)
    out, last = [], 0
    for match in _LTR_RUN.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(Markup('<bdi dir="ltr">{}</bdi>').format(match.group()))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)
