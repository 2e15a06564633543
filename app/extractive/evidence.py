"""Evidence: for each article a key point cites, the sentence of that article that reports it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.documents import Sentence


@dataclass
class SupportingSentence:
    article_index: int
    sentence: Sentence
    similarity: float  # to the key point's kept sentence; 1.0 for the kept sentence itself


def supporting_sentences(
    key_row: int, sources: list[int], sentences: list[Sentence], similarity: np.ndarray, starts: np.ndarray
) -> list[SupportingSentence]:
    """Per source article, its sentence closest to the key point (the kept sentence for its own article).

    `starts[i]` is the first row of article i in `sentences`/`similarity`, `starts[i + 1]` the end.
    """
    kept = sentences[key_row]
    found = []
    for article in sources:
        if article == kept.article_index:
            found.append(SupportingSentence(article, kept, 1.0))
            continue
        lo, hi = int(starts[article]), int(starts[article + 1])
        if hi <= lo:
            continue
        row = lo + int(np.argmax(similarity[key_row, lo:hi]))
        found.append(SupportingSentence(article, sentences[row], float(similarity[key_row, row])))
    return found
