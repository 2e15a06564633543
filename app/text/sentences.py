"""Arabic sentence splitting.

Ends a sentence at . ! ? ؟ (and a closing quote right after them) and at paragraph breaks; never inside
numbers (5.2, 2,500), after known abbreviations (د. م. ص. …) or single-letter initials; and folds
fragments of one or two words into their neighbour. A run longer than MAX_SENTENCE_WORDS (Arabic typed
without full stops, or joined by commas and «و») is split at clause boundaries (split_long_run). The semicolon
«؛» does not end a sentence: what follows it in news prose is nearly always a reason or a consequence of what
precedes it («…؛ وذلك بسبب…»). Junk, formulas and sentences that need their predecessor go through
app.text.standalone.
"""

from __future__ import annotations

import re
from itertools import pairwise

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

# Real news sentences: median 28 words, 96% at most 80 (1,500 SaudiNewsNet articles); longer runs are
# clauses joined without full stops.
MAX_SENTENCE_WORDS = 80
MIN_CLAUSE_WORDS = 10
# Words that open a new clause in news prose; «و» + a reporting or auxiliary verb below.
_CLAUSE_OPENERS = frozenset(
    normalize(w)
    for w in ("كما", "فيما", "حيث", "بينما", "إذ", "لكن", "ولكن", "كذلك", "ثم", "وذلك", "وقد", "فقد", "وفي", "ومن")
)
_CLAUSE_PAIRS = frozenset(
    (normalize(a), normalize(b))
    for a, b in (("إلى", "ذلك"), ("في", "حين"), ("من", "جهته"), ("من", "جهتها"), ("من", "جانبه"), ("من", "جانبها"))
)
_AND_VERBS = frozenset(
    "و" + normalize(v)
    for v in (
        "قال", "قالت", "أضاف", "أضافت", "أكد", "أكدت", "أشار", "أشارت", "أوضح", "أوضحت", "ذكر", "ذكرت", "بين",
        "تابع", "تابعت", "شدد", "شددت", "لفت", "لفتت", "أعلن", "أعلنت", "كان", "كانت", "جاء", "جاءت", "تم",
        "لم", "أفاد", "أفادت", "دعا", "دعت", "اعتبر", "اعتبرت", "يأتي", "تأتي", "أصبح", "أصبحت", "بلغ", "بلغت",
        "يذكر", "يشار", "أعرب", "أعربت", "وصل", "وصلت", "سيتم", "يتم", "يعد", "تعد",
    )
)  # fmt: skip
_TRAILING_MARKS = "،,:؛;«»'()\""


def _opens_clause(tokens: list[str], i: int) -> bool:
    if tokens[i - 1].endswith(("،", ",", ":")):
        return True
    word = normalize(tokens[i].strip(_TRAILING_MARKS))
    if word in _CLAUSE_OPENERS or word in _AND_VERBS:
        return True
    return i + 1 < len(tokens) and (word, normalize(tokens[i + 1].strip(_TRAILING_MARKS))) in _CLAUSE_PAIRS


def split_long_run(sentence: str, max_words: int = MAX_SENTENCE_WORDS) -> list[str]:
    """A sentence of at most max_words as it is; a longer run cut before every clause opener that leaves
    both sides at least MIN_CLAUSE_WORDS long, and a clause still over max_words cut into equal parts."""
    tokens = sentence.split()
    if len(tokens) <= max_words:
        return [sentence]
    cuts = [0]
    for i in range(MIN_CLAUSE_WORDS, len(tokens) - MIN_CLAUSE_WORDS + 1):
        if i - cuts[-1] >= MIN_CLAUSE_WORDS and _opens_clause(tokens, i):
            cuts.append(i)
    cuts.append(len(tokens))
    pieces: list[str] = []
    for start, end in pairwise(cuts):
        parts = -(-(end - start) // max_words)
        size = -(-(end - start) // parts)
        pieces.extend(" ".join(tokens[i : min(i + size, end)]) for i in range(start, end, size))
    return pieces


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
            pieces = _merge_fragments(_split_paragraph(paragraph))
            sentences.extend(run for piece in pieces for run in split_long_run(piece))
    return standalone_sentences([s for s in sentences if len(s.split()) >= MIN_WORDS])
