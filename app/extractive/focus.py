"""Relevance of sentences to the caller's focus question and to outcome cue words (prompts/cues.txt)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from app import prompts
from app.documents import Sentence, content_terms
from app.extractive.vectors import SentenceSpace


@lru_cache(maxsize=4)
def _cues(cue_lines: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Each cue as its tuple of stems; a multi-word cue matches when all its stems are present."""
    return tuple(tuple(terms) for line in cue_lines if (terms := content_terms(line)))


def _is_figure(term: str) -> bool:
    """A quantity (2500, 5.2): numbers, but not years, which mostly mark background."""
    if not term[0].isdigit():
        return False
    return not (len(term) == 4 and term.isdigit() and term[:2] in ("19", "20"))


def cue_scores(sentences: list[Sentence]) -> np.ndarray:
    """0..1: outcome words (agreement, pledge, decision…) and figures in the sentence."""
    cues = _cues(prompts.lines("cues.txt"))
    scores = np.zeros(len(sentences))
    for i, sentence in enumerate(sentences):
        terms = set(sentence.terms)
        hits = sum(1 for cue in cues if all(t in terms for t in cue))
        has_figure = any(_is_figure(t) for t in terms)
        scores[i] = min(1.0, hits / 3 + (0.34 if has_figure else 0.0))
    return scores


def focus_scores(space: SentenceSpace, focus: str) -> np.ndarray:
    """Cosine similarity of every sentence to the focus question, in the sentences' TF-IDF space."""
    query = space.project([content_terms(focus)])
    return np.asarray((space.matrix @ query.T).toarray()).ravel()
