"""A sub-heading, caption or dateline glued to the sentence that follows it on the same line.

Scraped pages lose the line break between a short heading and its paragraph: «دوري منطقة الوسطى واصل نادي
الهلال صدارته…», «تيفيزساعد المهاجم الدولي كارلوس تيفيز…», «جدة يطلع صاحب السمو…». The heading is a short
phrase (at most MAX_HEADING_WORDS words, no punctuation, no verb) right before a verb that opens the
sentence (prompts/glued_headings.toml). A phrase that merely opens the sentence as its subject («الوزارة
أعلنت أن…») must stay, so the phrase is taken for a heading only when

- a name in it is said again as the verb's subject, within the next REPEAT_WINDOW words (a subject is not
  repeated right after its own verb); a name glued to the verb without a space, when the paragraph names it
  again;
- it is a place before a masculine verb (a city would be the subject of «تستضيف», not «يطلع»);
- or it matches an editor's pattern of section headings.
"""

from __future__ import annotations

import re
from functools import lru_cache

from app import prompts
from app.text.normalize import normalize, stem

MAX_HEADING_WORDS = 5
MIN_SENTENCE_WORDS = 6  # what is left after the heading must still be a sentence
REPEAT_WINDOW = 4
_PUNCTUATION = re.compile(r"[،,:؛;.!؟?\-–—()«»\"'“”/|]")
# A phrase that opens with these is the sentence's own start (a conjunction, a preposition, a particle).
_OPENERS = frozenset(
    normalize(w)
    for w in ("في", "من", "على", "إلى", "عن", "مع", "بعد", "قبل", "منذ", "خلال", "وسط", "لدى", "عبر", "حتى",
              "كان", "كانت", "قد", "لم", "لن", "إن", "أن", "ما", "لا", "هل", "كما", "الذي", "التي", "يذكر",
              "إثر", "عقب", "ذلك", "هذا", "هذه", "تلك", "بينما", "حيث", "إذ", "ثم", "أو", "بل")
)  # fmt: skip
# After its verb, a sentence's subject comes first; these say the verb took its object or clause instead
# («دعا أن…»، «وقعت فيه إدارة…»), so the phrase before the verb was its subject.
_NOT_A_SUBJECT = frozenset(
    normalize(w)
    for w in ("فيه", "فيها", "به", "بها", "له", "لها", "عليه", "عليها", "منه", "منها", "عنه", "عنها", "إليه", "إليها")
) | _OPENERS
_TITLES = frozenset(normalize(w) for w in ("الأمير", "الملك", "الرئيس", "الشيخ", "الدكتور", "السيد", "صاحب", "سمو"))


@lru_cache(maxsize=4)
def _rules(directory: str) -> tuple[frozenset[str], frozenset[str], frozenset[str], tuple[re.Pattern[str], ...]]:
    table = prompts.toml("glued_headings.toml")
    verbs = frozenset(normalize(v) for v in table["verbs"])
    masculine = frozenset(normalize(v) for v in table["masculine_verbs"])
    places = frozenset(normalize(p) for p in table["places"])
    patterns = tuple(re.compile(p) for p in table["patterns"])
    return verbs, masculine, places, patterns


def _verb(token: str, verbs: frozenset[str]) -> str | None:
    word = normalize(token)
    if word in verbs:
        return word
    return word[1:] if word.startswith("و") and word[1:] in verbs else None


def _names(words: list[str]) -> set[str]:
    return {stem(w) for w in words if len(w) >= 3 and w not in _TITLES and w not in _OPENERS}


def strip_glued_heading(paragraph: str) -> str:
    """The paragraph without a heading glued to its first sentence; the paragraph itself when there is none."""
    verbs, masculine, places, patterns = _rules(str(prompts.prompts_dir()))
    tokens = paragraph.split()
    for k in range(1, min(MAX_HEADING_WORDS, len(tokens) - MIN_SENTENCE_WORDS) + 1):
        head = tokens[:k]
        if _PUNCTUATION.search(head[-1]) or any(_PUNCTUATION.search(t) for t in head):
            return paragraph
        folded = [normalize(t) for t in head]
        if not folded[0] or folded[0][0] in "وف" or any(w in _OPENERS or _verb(w, verbs) for w in folded):
            return paragraph
        glued = _glued_name(head[-1], tokens[k:], verbs)
        if glued is not None:  # «تيفيزساعد المهاجم…»: the heading ends inside its last token
            return " ".join([glued, *tokens[k:]])
        verb = _verb(tokens[k], verbs)
        if verb is None:
            continue
        after = [normalize(t) for t in tokens[k + 1 : k + 1 + REPEAT_WINDOW]]
        if after[0] in _NOT_A_SUBJECT:
            return paragraph
        phrase = " ".join(folded)
        if (
            _names(folded) & {stem(w) for w in after}
            or (phrase in places and verb in masculine)
            or any(p.search(phrase) for p in patterns)
        ):
            return " ".join(tokens[k:])
        return paragraph
    return paragraph


def _glued_name(token: str, rest: list[str], verbs: frozenset[str]) -> str | None:
    """The verb of a token that is a name glued to it («تيفيزساعد» → «ساعد»), when the name comes again in the
    paragraph (a word that merely ends like a verb, «استقال», has no such name)."""
    word = normalize(token)
    later = {normalize(t).strip("،,.") for t in rest}
    for cut in range(3, len(word) - 2):
        name, verb = word[:cut], word[cut:]
        if verb in verbs and name in later:
            return token[len(token) - len(verb) :]
    return None
