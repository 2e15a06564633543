"""Arabic sentence splitting.

Ends a sentence at . ! ? ؟ (and a closing quote right after them) and at paragraph breaks; never inside
numbers (5.2, 2,500), after known abbreviations (د. م. ص. …) or single-letter initials; and folds
fragments of one or two words into their neighbour. The semicolon «؛» does not end a sentence: what follows
it in news prose is nearly always a reason or a consequence of what precedes it («…؛ وذلك بسبب…»).
Junk, formulas and sentences that need their predecessor go through app.text.standalone.
"""

from __future__ import annotations

import re

from app.text.normalize import normalize
from app.text.standalone import standalone_sentences

# A full stop typed without the space after it ("نوح.وفي") still ends the sentence; digits (5.2) do not.
_GLUED_STOP = re.compile(r"(?<=[\u0621-\u064A])([.!؟])(?=[\u0621-\u064A])")
_END = re.compile(r"""[.!?؟]+(?:["'»”)\]]+)?(?=\s|$)""")
_ABBREVIATIONS = frozenset(
    normalize(a)
    for a in (
        "د",
        "م",
        "ص",
        "ه",
        "ق",
        "ت",
        "ج",
        "ب",
        "أ",
        "ا",
        "س",
        "ع",
        "ش",
        "أ.د",
        "إلخ",
        "الخ",
        "Dr",
        "Mr",
        "No",
        "St",
    )
)
MIN_WORDS = 3


def _is_abbreviation(chunk: str) -> bool:
    tail = chunk.rstrip(".").split()
    return bool(tail) and normalize(tail[-1]) in _ABBREVIATIONS


def _split_paragraph(paragraph: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for match in _END.finditer(paragraph):
        end = match.end()
        candidate = paragraph[start:end]
        mark = match.group(0)
        if mark.startswith("..") or (mark == "." and _is_abbreviation(candidate)):
            continue
        pieces.append(candidate.strip())
        start = end
    rest = paragraph[start:].strip()
    if rest:
        pieces.append(rest)
    return [p for p in pieces if p]


def _merge_fragments(pieces: list[str]) -> list[str]:
    merged: list[str] = []
    for piece in pieces:
        if merged and (len(piece.split()) < MIN_WORDS or len(merged[-1].split()) < MIN_WORDS):
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    return merged


def split_sentences(text: str) -> list[str]:
    """Sentences of a text in order; paragraph breaks (newlines) always end a sentence."""
    sentences: list[str] = []
    for paragraph in _GLUED_STOP.sub(r"\1 ", text).split("\n"):
        paragraph = paragraph.strip()
        if paragraph:
            sentences.extend(_merge_fragments(_split_paragraph(paragraph)))
    return standalone_sentences([s for s in sentences if len(s.split()) >= MIN_WORDS])
