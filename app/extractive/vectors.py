"""TF-IDF vectors of sentences (scikit-learn) and their pairwise cosine similarity."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer


def _identity(terms: list[str]) -> list[str]:
    return terms


class SentenceSpace:
    """Sentences (as term lists) in one TF-IDF space; rows are L2-normalized."""

    def __init__(self, term_lists: Sequence[list[str]]) -> None:
        self.vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, norm="l2")
        self.matrix: sparse.csr_matrix = self.vectorizer.fit_transform(term_lists)

    def similarity(self) -> np.ndarray:
        return (self.matrix @ self.matrix.T).toarray()
