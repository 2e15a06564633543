"""LexRank centrality (Erkan & Radev 2004), continuous variant, on a sentence similarity matrix."""

from __future__ import annotations

import numpy as np

DAMPING = 0.85


def lexrank(similarity: np.ndarray, threshold: float = 0.1, iterations: int = 100) -> np.ndarray:
    """Stationary distribution of a random walk over sentences linked by similarity ≥ threshold."""
    n = similarity.shape[0]
    if n == 0:
        return np.zeros(0)
    weights = np.where(similarity >= threshold, similarity, 0.0)
    np.fill_diagonal(weights, 0.0)
    row_sums = weights.sum(axis=1, keepdims=True)
    transition = np.divide(weights, row_sums, out=np.full_like(weights, 1.0 / n), where=row_sums > 0)
    scores = np.full(n, 1.0 / n)
    for _ in range(iterations):
        updated = (1 - DAMPING) / n + DAMPING * (transition.T @ scores)
        if np.abs(updated - scores).sum() < 1e-6:
            return updated
        scores = updated
    return scores
