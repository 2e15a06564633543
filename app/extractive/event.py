"""Event focus: which articles report the event the set is about, and which are previews or older news.

The event is what the latest reports say. An article written before it ("من المتوقع أن" in its opening:
a preview) or about an earlier or other event (dated days before the latest reports, or naming another
weekday than theirs) may still give context, but never the headline, the first key point or an outcome.
A set whose dated articles spread over weeks is a running story, not one event: only previews are
flagged there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Literal

from app import prompts
from app.documents import Document, Sentence
from app.text.normalize import words

Role = Literal["event", "preview", "earlier", "other"]

# Normalized weekday names (app.text.normalize folds ة/ه, أ/ا), Monday = 0 as in datetime.weekday().
WEEKDAYS = {"الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعه": 4, "السبت": 5, "الاحد": 6}
_CLITICS = "وفب"


@dataclass(frozen=True)
class ArticleRole:
    role: Role
    reason: str = ""

    @property
    def is_event(self) -> bool:
        return self.role == "event"


@dataclass
class EventFocus:
    roles: list[ArticleRole]
    event_date: datetime | None = None
    event_weekdays: set[int] = field(default_factory=set)

    def warnings(self, documents: list[Document]) -> list[str]:
        return [
            f"article {d.article.id}: {r.reason}; context only"
            for d, r in zip(documents, self.roles, strict=True)
            if not r.is_event
        ]


Cues = tuple[tuple[str, re.Pattern[str]], ...]


@lru_cache(maxsize=8)
def _compile(lines: tuple[str, ...]) -> Cues:
    patterns = []
    for line in lines:
        tokens = words(line)
        if tokens:
            body = r"\s+".join(re.escape(t) for t in tokens)
            patterns.append((line, re.compile(rf"(?<!\w){body}\w{{0,3}}(?!\w)", re.IGNORECASE)))
    return tuple(patterns)


def cue_list(cue_file: str = "preview_cues.txt") -> Cues:
    """The cues of prompts/<cue_file>, compiled (read the file once per briefing, not once per sentence)."""
    return _compile(prompts.lines(cue_file))


_NEGATIONS = ("لم", "لن", "لا", "ما")


def preview_cues(text: str, cues: Cues | None = None) -> list[str]:
    """The cues (default: prompts/preview_cues.txt) found in a text, one per occurrence; negated ones left out."""
    folded = " ".join(words(text))
    found: list[str] = []
    spans: list[tuple[int, int]] = []
    for line, pattern in cues if cues is not None else cue_list():
        for match in pattern.finditer(folded):
            if any(s < match.end() and match.start() < e for s, e in spans):  # "ومن المتوقع" counts once
                continue
            before = folded[: match.start()].split()
            if before and before[-1] in _NEGATIONS:  # "لم ينتظر": did not wait
                continue
            spans.append(match.span())
            found.append(line)
    return found


def is_prediction(sentence: Sentence, cues: Cues | None = None) -> bool:
    """A sentence framed as what is expected or planned (prompts/prediction_cues.txt), not what happened."""
    return bool(preview_cues(sentence.text, cues if cues is not None else cue_list("prediction_cues.txt")))


def weekdays_named(text: str) -> set[int]:
    days = set()
    for token in words(text):
        for candidate in (token, token[1:] if token[:1] in _CLITICS else ""):
            if candidate in WEEKDAYS:
                days.add(WEEKDAYS[candidate])
    return days


def _opening(document: Document, sentences: int) -> str:
    return " ".join([document.article.title, *(s.text for s in document.sentences[:sentences])])


def find_event(documents: list[Document], settings: dict | None = None) -> EventFocus:
    """Each article's role: the event's report, a preview, an earlier or another event's report."""
    settings = settings or prompts.toml("selection.toml")["event"]
    opening_sentences = int(settings["opening_sentences"])
    window = timedelta(days=float(settings["event_window_days"]))
    patterns = cue_list()
    cues = [preview_cues(_opening(d, opening_sentences), patterns) for d in documents]
    previews = {i for i, c in enumerate(cues) if len(c) >= int(settings["preview_cues"])}

    # The event date: the latest date of a dated report that is not a preview, when most dated
    # reports fall within the window before it (otherwise the set is a running story).
    reports = [(d.published_at, i) for i, d in enumerate(documents) if d.published_at and i not in previews]
    event_date = max(reports)[0] if reports else None
    dated = [d.published_at for d in documents if d.published_at]
    if event_date is not None and sum(event_date - date <= window for date in dated) * 2 < len(dated):
        event_date = None

    # The event's day: the weekdays its reports name near the top, else their date or the day before ("أمس").
    event_weekdays: set[int] = set()
    if event_date is not None:
        for date, i in reports:
            if event_date - date <= window:
                event_weekdays |= weekdays_named(_opening(documents[i], opening_sentences + 2))
        if not event_weekdays:
            event_weekdays = {event_date.weekday(), (event_date - timedelta(days=1)).weekday()}

    roles: list[ArticleRole] = []
    for i, document in enumerate(documents):
        date = document.published_at
        earlier = event_date is not None and date is not None and event_date - date > window
        if i in previews or (earlier and cues[i]):
            quoted = ", ".join(f'"{c}"' for c in dict.fromkeys(cues[i]))
            roles.append(ArticleRole("preview", f"a preview ({quoted})"))
        elif earlier:
            assert date is not None and event_date is not None
            days = (event_date - date).days
            reason = f"an earlier event (published {date:%Y-%m-%d}, {days} days before the latest reports)"
            roles.append(ArticleRole("earlier", reason))
        elif event_date is not None and date is None:
            named = weekdays_named(_opening(document, opening_sentences))
            if named and not named & event_weekdays:
                names = [n for n, day in WEEKDAYS.items() if day in named]
                reason = f"another event (names {', '.join(names)}, not the latest reports' day)"
                roles.append(ArticleRole("other", reason))
                continue
            roles.append(ArticleRole("event"))
        else:
            roles.append(ArticleRole("event"))
    if not any(r.is_event for r in roles):  # nothing but previews: the set is about what is expected
        roles = [ArticleRole("event") for _ in roles]
    return EventFocus(roles, event_date, event_weekdays)
