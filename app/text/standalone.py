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
