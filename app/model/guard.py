"""Fact guard: keep a generated sentence only if its numbers and name-like words occur in the source.

"Name-like" is deliberately simple and strict: any word that is not in the editable list of common
words (prompts/guard_common_words.txt) must occur in the article, compared after Arabic normalization
and light stemming, allowing a short inflection difference (لبنان ~ اللبناني). Persons, places and
organizations the model invents are caught this way, at the price of also rejecting some honest
paraphrases; a rejected sentence is dropped and, if nothing is left, the article's best extracted
sentence stands in for the summary. Every drop is recorded in the result's notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from app.text.normalize import normalize, stem, words

_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
# Sentence ends only where the terminator is followed by space, so 1.5 and 2,300 stay whole.
_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+|\n+")


def _numbers(text: str) -> list[str]:
    folded = normalize(text).replace("٫", ".").replace("٬", ",")
    # 2,300 and 2300 are the same number; a trailing ".0" is not worth a rejection either.
    return [re.sub(r"(?<=\d),(?=\d{3})", "", n).removesuffix(".0") for n in _NUMBER.findall(folded)]


def _forms(word: str) -> set[str]:
    """The word and its light stem, also without up to two one-letter proclitics (وبتكلفة ~ تكلفة)."""
    bases = [word]
    if len(word) >= 4 and word[0] in "وف":
        bases.append(word[1:])
    if len(bases[-1]) >= 4 and bases[-1][0] in "بلك":
        bases.append(bases[-1][1:])
    forms = {form for base in bases for form in (base, stem(base))}
    return {f for f in forms if len(f) >= 2}


def split_generated(summary: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(summary) if s and s.strip()]


@dataclass
class SourceFacts:
    """What an article states, in matchable form."""

    numbers: set[str]
    stems: set[str]
    _by_prefix: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, text: str) -> SourceFacts:
        stems = {form for w in words(text) if not w[0].isdigit() for form in _forms(w)}
        by_prefix: dict[str, set[str]] = {}
        for s in stems:
            by_prefix.setdefault(s[:3], set()).add(s)
        return cls(numbers=set(_numbers(text)), stems=stems, _by_prefix=by_prefix)

    def has_word(self, word: str) -> bool:
        forms = _forms(word)
        if forms & self.stems:
            return True
        # Same word with another suffix or nisba ending: a long shared prefix, at most 2 letters apart.
        for form in forms:
            for candidate in self._by_prefix.get(form[:3], ()) if len(form) >= 4 else ():
                shared = len(_common_prefix(candidate, form))
                if shared >= 4 and shared >= max(len(candidate), len(form)) - 2:
                    return True
        return False


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def unsupported_terms(sentence: str, source: SourceFacts, common: frozenset[str]) -> list[str]:
    """Numbers and name-like words of `sentence` that its source does not contain, in order."""
    missing = [n for n in _numbers(sentence) if n not in source.numbers]
    for word in words(sentence):
        if word[0].isdigit():
            continue
        if word in common or stem(word) in common or len(word) < 2:
            continue
        if not source.has_word(word) and word not in missing:
            missing.append(word)
    return missing


@dataclass
class GuardedSummary:
    text: str
    kind: Literal["abstractive", "extractive"]
    notes: list[str]


def guard_summary(
    summary: str,
    source_text: str,
    fallback: str,
    *,
    common_words: frozenset[str] = frozenset(),
    max_unsupported_words: int = 0,
) -> GuardedSummary:
    """Drop generated sentences with unsupported facts; fall back to `fallback` when none survive."""
    source = SourceFacts.of(source_text)
    kept: list[str] = []
    notes: list[str] = []
    for sentence in split_generated(summary):
        missing = unsupported_terms(sentence, source, common_words)
        invented_numbers = [t for t in missing if t[0].isdigit()]
        if invented_numbers or len(missing) > max_unsupported_words:
            notes.append(
                f"fact guard dropped a generated sentence: {', '.join(missing[:6])} not found in the article"
            )
        else:
            kept.append(sentence)
    if kept:
        return GuardedSummary(" ".join(kept), "abstractive", notes)
    if notes:
        notes.append("fact guard: the article's key sentence stands in for the generated summary")
    else:
        notes.append("the model gave no summary; the article's key sentence is used")
    return GuardedSummary(fallback, "extractive", notes)


def common_word_set(lines: tuple[str, ...] | list[str]) -> frozenset[str]:
    """Normalized forms and stems of the common-word list, ready for unsupported_terms."""
    out: set[str] = set()
    for line in lines:
        for word in words(line):
            out.update({word, stem(word)})
    return frozenset(out)
