"""The briefing engine: articles -> clean text -> sentences -> (summaries, key sentences) -> briefing."""

from __future__ import annotations

from collections.abc import Sequence

from app.articles import Article
from app.briefing import Briefing
from app.summarizer import ArticleSummarizer, ModelStatus


def build_briefing(
    articles: Sequence[Article],
    *,
    focus: str | None = None,
    max_words: int | None = None,
    summarizer: ArticleSummarizer | None = None,
    model_status: ModelStatus | None = None,
) -> Briefing:
    """One sourced briefing of an article set. Raises app.errors.InputError for unusable input."""
    raise NotImplementedError  # being written now
