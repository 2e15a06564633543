"""Agreement between outlets: which other articles report what a sentence says."""

from __future__ import annotations

import numpy as np


def article_similarity(similarity: np.ndarray, article_of: np.ndarray, n_articles: int) -> np.ndarray:
    """[sentence, article] -> the best similarity of that sentence to any sentence of that article."""
    starts = np.searchsorted(article_of, np.arange(n_articles))
    best = np.zeros((similarity.shape[0], n_articles))
    present = [a for a in range(n_articles) if starts[a] < len(article_of) and article_of[starts[a]] == a]
    if present:
        reduced = np.maximum.reduceat(similarity, starts[present], axis=1)
        best[:, present] = reduced
    best[np.arange(len(article_of)), article_of] = 0.0  # an article does not agree with itself
    return best


def supporting_articles(best: np.ndarray, threshold: float) -> list[set[int]]:
    return [set(np.flatnonzero(row >= threshold).tolist()) for row in best]
