"""Concepts shared across articles (Gillick & Favre 2009): what several outlets report is what matters.

A concept is a content stem or a pair of adjacent content stems. Its weight is the number of *other*
articles that also contain it, so a concept of one article alone weighs nothing, and a sentence's
coverage is the weight of the concepts it states.
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

import numpy as np

from app.documents import Document, Sentence


def concepts(sentence: Sentence) -> set[str | tuple[str, str]]:
    terms = sentence.terms
    return set(terms) | set(pairwise(terms))


def shared_concepts(documents: list[Document]) -> dict[str | tuple[str, str], int]:
    """Concept -> number of articles containing it minus one; only concepts of two articles or more."""
    counts: Counter = Counter()
    for document in documents:
        counts.update(set().union(*(concepts(s) for s in document.sentences)) if document.sentences else set())
    return {c: n - 1 for c, n in counts.items() if n > 1}


def coverage_scores(sentences: list[Sentence], weights: dict) -> np.ndarray:
    return np.array([sum(weights.get(c, 0) for c in concepts(s)) for s in sentences], dtype=float)
