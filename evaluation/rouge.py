"""ROUGE-1/2/L F1 over Arabic text, averaged over an article's references.

rouge-score's default tokenizer keeps only [a-z0-9], so every Arabic word vanishes; we hand it our
normalized word tokenizer instead (alef/hamza forms, ى/ي, ة/ه folded, diacritics stripped).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rouge_score import rouge_scorer

from app.text.normalize import words

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")


class ArabicTokenizer:
    """The tokenizer object rouge-score expects: `tokenize(text) -> list[str]`."""

    def tokenize(self, text: str) -> list[str]:
        return words(text)


TOKENIZER = ArabicTokenizer()


@dataclass(frozen=True)
class RougeScores:
    rouge1: float
    rouge2: float
    rougeL: float

    def as_row(self) -> tuple[float, float, float]:
        return (self.rouge1, self.rouge2, self.rougeL)


def _scorer() -> rouge_scorer.RougeScorer:
    return rouge_scorer.RougeScorer(list(ROUGE_TYPES), tokenizer=TOKENIZER)


def score_summary(summary: str, references: Sequence[str]) -> RougeScores:
    """F1 of one summary against each reference, averaged over the references."""
    if not references:
        raise ValueError("at least one reference is needed")
    scorer = _scorer()
    totals = dict.fromkeys(ROUGE_TYPES, 0.0)
    for reference in references:
        scores = scorer.score(reference, summary)  # (target, prediction)
        for name in ROUGE_TYPES:
            totals[name] += scores[name].fmeasure
    n = len(references)
    return RougeScores(totals["rouge1"] / n, totals["rouge2"] / n, totals["rougeL"] / n)


def mean_scores(scores: Iterable[RougeScores]) -> RougeScores:
    """Macro average over articles."""
    rows = [s.as_row() for s in scores]
    if not rows:
        raise ValueError("no scores to average")
    n = len(rows)
    return RougeScores(*(sum(col) / n for col in zip(*rows, strict=True)))
