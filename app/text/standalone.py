"""Whether a sentence stands alone as news: the key-point and summary eligibility rules.

A sentence is left out when it is junk (announces text that is not there, a link, a contact or tag line:
prompts/junk_sentences.txt) or a religious or ceremonial formula (prompts/formulas.txt). A sentence that
needs its predecessor (prompts/dangling.txt: «وأضاف أن…»، «تلك…») is joined to it when the two stay short
(the speaker is then named), else left out. Editors extend the three files; the code only applies them.
"""

from __future__ import annotations

import re

from app import prompts
from app.text.normalize import normalize

MAX_JOINED_WORDS = 50  # a dangling sentence joined to its predecessor must stay a readable key point
MIN_KEPT_WORDS = 8  # what is left of a sentence after its announcement tail must still say something
# «…بعد انتهاء الزيارة، فيما يلي نصها:» — the announcement is cut; the fact before it is kept.
_ANNOUNCEMENT_TAIL = re.compile(
    r"\s*[،,]?\s*(?:و?فيما يلي|و?في ما يلي|و?جاء|و?هذا|و?اليكم|و?إليكم)\s+(?:نصه|نصها|نص\S*|ما يلي)"
    r"\s*[:：]\s*[\"»”']?\s*$"
)

# A sentence opening with these fronted phrases («انطلاقاً من العلاقات…، وقع البلدان…») has its main clause
# after a comma; without one it is only the phrase.
_FRONTED = frozenset(
    normalize(w) for w in ("انطلاقا", "تلبية", "حماية", "بناء", "نظرا", "استنادا", "تأكيدا", "إيمانا", "حرصا", "تفعيلا")
)
# A sentence opening with these continues the one before it («ثم العودة…»، «حيث تم قصف…»، «داعيا المنظمات…»).
_CONTINUATIONS = frozenset(
    normalize(w)
    for w in ("ثم", "أو", "بل", "إلا", "ففي", "فقد", "فإن", "فهو", "فهي", "حتى", "حيث", "إذ", "داعيا", "داعية",
              "مؤكدا", "مؤكدة", "مشيرا", "مشيرة", "موضحا", "موضحة", "مضيفا", "مضيفة", "لافتا", "لافتة", "معتبرا")
)  # fmt: skip
NEEDS_MORE = frozenset(
    normalize(w)
    for w in ("مع", "بين", "عن", "في", "على", "من", "إلى", "أن", "إن", "لدى", "حول", "نحو", "عند", "ضد", "دون",
              "غير", "كل", "جميع", "بعض", "و", "أو", "ثم", "لكن", "الذي", "التي", "الذين", "ما", "عبر", "حتى")
)  # fmt: skip
# A sentence that stops here was cut from a longer one (a paragraph that runs on, a split run-on).
_OPEN_ENDS = ("،", ",", ":", "؛", ";", "-", "–", "—", "…", "..", "(")
_VERSE = re.compile(r"[{}﴿﴾]")
_GLUED_STOP = re.compile(r"\s[.!؟،]\S")  # «المجوسي .وقال»: two sentences run together


def bare_word(token: str) -> str:
    return normalize(token.strip("،,:«»\"'()“”"))


_patterns_cache: dict[tuple[str, str], tuple[re.Pattern[str], ...]] = {}


def _patterns(name: str) -> tuple[re.Pattern[str], ...]:
    key = (str(prompts.prompts_dir()), name)
    if key not in _patterns_cache:
        _patterns_cache[key] = tuple(re.compile(normalize(line), re.IGNORECASE) for line in prompts.lines(name))
    return _patterns_cache[key]


def _matches(name: str, sentence: str) -> bool:
    folded = normalize(sentence).strip()
    return any(p.search(folded) for p in _patterns(name))


def is_junk(sentence: str) -> bool:
    return _matches("junk_sentences.txt", sentence)


def is_formula(sentence: str) -> bool:
    return _matches("formulas.txt", sentence)


def is_dangling(sentence: str) -> bool:
    folded = normalize(sentence).strip(" \"'«»“”-–—")
    return any(p.match(folded) for p in _patterns("dangling.txt"))


def rejection(sentence: str) -> str | None:
    """Why the sentence cannot stand alone ("junk", "formula", "dangling"), or None when it can."""
    if is_junk(sentence):
        return "junk"
    if is_formula(sentence):
        return "formula"
    if is_dangling(sentence):
        return "dangling"
    return None


def standalone_sentences(sentences: list[str]) -> list[str]:
    """Junk and formulas dropped; each dangling sentence joined to its predecessor, or dropped when the
    joined sentence would be too long or there is no predecessor."""
    kept: list[str] = []
    for sentence in sentences:
        trimmed = _ANNOUNCEMENT_TAIL.sub("", sentence)
        if trimmed != sentence and len(trimmed.split()) >= MIN_KEPT_WORDS:
            sentence = trimmed.rstrip(" ،,") + "."
        if is_junk(sentence) or is_formula(sentence):
            continue
        if is_dangling(sentence):
            if kept and len(kept[-1].split()) + len(sentence.split()) <= MAX_JOINED_WORDS:
                kept[-1] = f"{kept[-1]} {sentence}"
            continue
        kept.append(sentence)
    return kept


def reads_whole(text: str, previous: str | None = None) -> bool:
    """Whether a key point or summary candidate reads as a whole sentence on its own: not cut at a comma or
    colon (nor following one), not opening with a continuation («حيث…»، «ثم…»), not ending on a word that needs
    more, no verse in braces, no two sentences run together, quotes and brackets balanced, not rejected."""
    stripped = text.rstrip()
    if stripped.endswith(_OPEN_ENDS) or (previous and previous.rstrip().endswith(_OPEN_ENDS)):
        return False
    first, last = bare_word(text.split()[0]), bare_word(stripped.rstrip(".!؟?").split()[-1])
    fronted = first.removeprefix("و").rstrip("ً") in _FRONTED
    if fronted and not any(mark in text for mark in "،,"):
        return False
    if _VERSE.search(text) or _GLUED_STOP.search(stripped) or first in _CONTINUATIONS or last in NEEDS_MORE:
        return False
    pairs = (("(", ")"), ("«", "»"), ("“", "”"), ("[", "]"))
    if text.count('"') % 2 or any(text.count(a) != text.count(b) for a, b in pairs):
        return False
    return rejection(text) is None
