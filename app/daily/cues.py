"""Cue words from prompts/ found in a headline or a lead: normalized, as word prefixes, past proclitics.

Editors write cue words as the news spells them ("جدة", "الهلال", "أمير منطقة"); the text says "بجدة",
"للهلال", "وأمير منطقة الرياض". A text word matches a cue word when, after Arabic normalization and with
up to two proclitic letters (و ف ب ل ك) taken off, it starts with it; a cue of several words matches those
words in a row.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.text.normalize import words

_PROCLITICS = set("وفبلك")


def _variants(token: str) -> set[str]:
    found = {token}
    for k in (1, 2):
        if len(token) - k >= 2 and all(c in _PROCLITICS for c in token[:k]):
            found.add(token[k:])
    if token.startswith("لل") and len(token) > 3:  # للهلال: the article's alef-lam folded into the lam
        found.add("ال" + token[2:])
    return found


def tokens(text: str) -> list[set[str]]:
    """The text's words, each with its spellings past proclitics: read once, matched against many cue lists."""
    return [_variants(t) for t in words(text)]


class CueWords:
    def __init__(self, cues: Iterable[str]) -> None:
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for cue in cues:
            parts = tuple(words(cue))
            if parts:
                self.by_first.setdefault(parts[0], []).append(parts[1:])
        self._lengths = sorted({len(first) for first in self.by_first})
        self._seen: dict[str, tuple[tuple[str, ...], ...]] = {}  # a day repeats its words: match each once

    def _hits(self, variant: str) -> tuple[tuple[str, ...], ...]:
        found = self._seen.get(variant)
        if found is None:
            found = tuple(
                rest for end in self._lengths if end <= len(variant) for rest in self.by_first.get(variant[:end], ())
            )
            self._seen[variant] = found
        return found

    def _first_hits(self, variant_set: set[str]) -> list[tuple[str, ...]]:
        return [rest for variant in variant_set for rest in self._hits(variant)]

    def count(self, text: str | list[set[str]]) -> int:
        """How many cue words occur in `text` (each occurrence counts once); `text` may be `tokens(text)`."""
        variants = tokens(text) if isinstance(text, str) else text
        total = 0
        for i, variant_set in enumerate(variants):
            for rest in set(self._first_hits(variant_set)):
                if i + len(rest) < len(variants) and all(
                    any(v.startswith(part) for v in variants[i + 1 + k]) for k, part in enumerate(rest)
                ):
                    total += 1
                    break
        return total

    def which(self, text: str | list[set[str]]) -> set[str]:
        """The cue words (as normalized text) that occur in `text`."""
        variants = tokens(text) if isinstance(text, str) else text
        found: set[str] = set()
        for i, variant_set in enumerate(variants):
            for variant in variant_set:
                for end in self._lengths:
                    if end > len(variant):
                        continue
                    first = variant[:end]
                    for rest in self.by_first.get(first, ()):
                        if i + len(rest) < len(variants) and all(
                            any(v.startswith(part) for v in variants[i + 1 + k]) for k, part in enumerate(rest)
                        ):
                            found.add(" ".join((first, *rest)))
        return found

    def found(self, text: str) -> bool:
        return self.count(text) > 0
