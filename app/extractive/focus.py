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


def _matches(term: str, wanted: str) -> bool:
    """Same stem, or the stem behind one proclitic letter the light stemmer keeps (بتمويل, لتمويل)."""
    return term == wanted or (len(term) == len(wanted) + 1 and term[0] in "بلكف" and term.endswith(wanted))


def focus_scores(space: SentenceSpace, sentences: list[Sentence], focus: str) -> np.ndarray:
    """Share of the focus question's weight (IDF) that each sentence covers."""
    vocabulary = space.vectorizer.vocabulary_
    idf = space.vectorizer.idf_
    wanted = {t: float(idf[vocabulary[t]]) if t in vocabulary else float(idf.max()) for t in content_terms(focus)}
    total = sum(wanted.values())
    if not total:
        return np.zeros(len(sentences))
    scores = np.zeros(len(sentences))
    for i, sentence in enumerate(sentences):
        terms = set(sentence.terms)
        covered = sum(w for q, w in wanted.items() if any(_matches(t, q) for t in terms))
        scores[i] = covered / total
    return scores
