"""Evidence: for each article a key point cites, the sentence of that article that reports it.

Figures decide first: when the key point states figures, the supporting sentence is the article's closest
sentence among those carrying the most of them (app.extractive.citations decides whether the article may be
cited at all: only when it holds every figure).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.documents import Sentence
from app.extractive.figures import figure_values


@dataclass
class SupportingSentence:
    article_index: int
    sentence: Sentence
    similarity: float  # to the key point's kept sentence; 1.0 for the kept sentence itself


def supporting_sentence(
    key_row: int,
    article: int,
    sentences: list[Sentence],
    similarity: np.ndarray,
    starts: np.ndarray,
    required: frozenset[str] = frozenset(),
) -> SupportingSentence | None:
    """The article's sentence closest to the key point, preferring sentences that carry its figures.

    `starts[i]` is the first row of article i in `sentences`/`similarity`, `starts[i + 1]` the end.
    """
    kept = sentences[key_row]
    if article == kept.article_index:
        return SupportingSentence(article, kept, 1.0)
    lo, hi = int(starts[article]), int(starts[article + 1])
    if hi <= lo:
        return None
    rows = np.arange(lo, hi)
    closeness = similarity[key_row, lo:hi]
    if required:
        shared = np.array([len(required & figure_values(sentences[r].text)) for r in rows])
        best = int(np.lexsort((-closeness, -shared))[0])  # most figures first, then closest
    else:
        best = int(np.argmax(closeness))
    row = int(rows[best])
    return SupportingSentence(article, sentences[row], float(similarity[key_row, row]))


def supporting_sentences(
    key_row: int, sources: list[int], sentences: list[Sentence], similarity: np.ndarray, starts: np.ndarray
) -> list[SupportingSentence]:
    """Per source article, its sentence closest to the key point (the kept sentence for its own article)."""
    required = frozenset(figure_values(sentences[key_row].text))
    found = (supporting_sentence(key_row, a, sentences, similarity, starts, required) for a in sources)
    return [s for s in found if s is not None]
