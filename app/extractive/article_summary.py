"""Each article's short summary: a complete sentence that adds to the key points.

For every article, a whole sentence of 8–25 words that the key points and the summaries already given to
other articles do not say. Candidates are the article's sentences that fit, then longer ones compressed: cut at
a clause boundary («، مشيرا…»، «حيث…»، «وذلك…»)، else before a trailing prepositional phrase («…في…»), so that
what remains is its main clause; a sentence opening with a dependent phrase («وبناءً على…») is not cut, nor one
whose reported speech («قال إن…») would lose its predicate. A candidate must read as a whole sentence: not a
piece of a longer one (ending in «،» or «:», or following a sentence that does), no verse braces, no glued
full stop, balanced quotes and brackets, nothing app.text.standalone rejects.

Two passes. First the best-scored candidate that repeats nothing (TF-IDF cosine below REPEAT_SIMILARITY with
every earlier text, and at most REPEAT_CONTAINMENT of its stems in any one). When none is left, the candidate
with the most word stems no earlier text has (a name, a place, a figure, a consequence), provided it has at
least MIN_NEW_STEMS of them and is not mostly (ADDED_CONTAINMENT) inside one earlier text. Only when neither
pass finds one (an exact or syndicated copy) does the summary say so (NOTHING_NEW). A summary is never cut
mid-clause and never ends in «…».
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from app.documents import Document
from app.extractive.selector import SentenceScores
from app.text.clauses import main_clause
from app.text.normalize import normalize, stems
from app.text.standalone import reads_whole

MAX_WORDS = 25
MIN_WORDS = 8
# A candidate repeats an earlier text when their TF-IDF cosine reaches REPEAT_SIMILARITY or when most of its
# word stems (REPEAT_CONTAINMENT) are in it: a sentence on the same event that adds a new fact shares its
# topic words with the key points, so the key-point repeat threshold (0.22) would leave too little.
REPEAT_SIMILARITY = 0.45
REPEAT_CONTAINMENT = 0.6
# The second pass: a sentence on the same fact that still names something new (who condemned, where, how
# many) adds to the briefing; it may share up to ADDED_CONTAINMENT of its stems with one earlier text.
MIN_NEW_STEMS = 3
ADDED_CONTAINMENT = 0.75
NOTHING_NEW = "لا يضيف جديدًا إلى ما سبق."
def _words(text: str) -> int:
    return len(text.split())


def compress(sentence: str) -> str | None:
    """The sentence's main clause within the summary's length (app/text/clauses.py); None when there is none."""
    return main_clause(sentence, MAX_WORDS, MIN_WORDS)


def _fits(text: str) -> bool:
    return MIN_WORDS <= _words(text) <= MAX_WORDS


def _candidates(document: Document, order: list[int]) -> Iterator[tuple[int, str]]:
    """(sentence index, text): the article's sentences that fit as they are, best first, then compressed."""
    for attempt in (lambda t: t if _fits(t) else None, compress):
        for j in order:
            text = attempt(document.sentences[j].text)
            previous = document.sentences[j - 1].text if j > 0 else None
            if text and _fits(text) and reads_whole(text, previous):
                yield j, text


def _containment(own: set[str], earlier: list[set[str]]) -> float:
    return max((len(own & other) / len(own) for other in earlier), default=0.0) if own else 1.0


def article_summaries(
    documents: list[Document], scored: SentenceScores, key_rows: list[int], starts: np.ndarray
) -> list[tuple[str, bool]]:
    """(summary, adds) per document, in order; adds is False when the summary is NOTHING_NEW."""
    given_rows: list[int] = []
    given_texts: set[str] = set()
    earlier_stems = [set(stems(scored.sentences[row].text)) for row in key_rows]
    summaries = []
    for index, document in enumerate(documents):
        start = int(starts[index])
        order = [int(i) for i in np.argsort(-scored.scores[start : start + len(document.sentences)], kind="stable")]
        told = set().union(*earlier_stems)
        earlier_rows = key_rows + given_rows
        choice = added = None
        best_new = MIN_NEW_STEMS - 1
        for j, text in _candidates(document, order):
            row = start + j
            if row in earlier_rows or normalize(text) in given_texts:
                continue
            own = set(stems(text))
            similarity = float(scored.similarity[row, earlier_rows].max()) if earlier_rows else 0.0
            contained = _containment(own, earlier_stems)
            if contained < REPEAT_CONTAINMENT and similarity < REPEAT_SIMILARITY:
                choice = (row, text)
                break
            new = len(own - told)
            if new > best_new and contained < ADDED_CONTAINMENT:
                best_new, added = new, (row, text)
        choice = choice or added
        if choice is None:
            summaries.append((NOTHING_NEW, False))
            continue
        given_rows.append(choice[0])
        given_texts.add(normalize(choice[1]))
        earlier_stems.append(set(stems(choice[1])))
        summaries.append((choice[1], True))
    return summaries


def capped(summary: str, fallback: str) -> str:
    """A model's summary within the 25-word cap: as it is, compressed to its main clause, else the fallback."""
    if _words(summary) <= MAX_WORDS:
        return summary
    return compress(summary) or fallback
