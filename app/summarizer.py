"""What the engine asks of an abstractive summarizer (the model stage implements it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol


@dataclass(frozen=True)
class SummaryRequest:
    article_id: str
    text: str
    sentences: list[str]
    fallback: str  # the article's best extracted sentence, used when a generated one is rejected


@dataclass
class SummaryResult:
    article_id: str
    summary: str
    kind: Literal["abstractive", "extractive"] = "abstractive"
    notes: list[str] = field(default_factory=list)  # e.g. what the fact guard replaced
    cached: bool = False


class ArticleSummarizer(Protocol):
    model_name: str

    def summarize(self, requests: list[SummaryRequest]) -> list[SummaryResult]: ...


@dataclass(frozen=True)
class ModelStatus:
    """What the model stage could do at start-up; reported in every briefing and in /readyz."""

    mode: Literal["extractive", "abstractive+extractive"]
    model: str | None
    reason: str  # why extractive, or a short description of what was loaded
    load_seconds: float = 0.0


NO_MODEL = ModelStatus(mode="extractive", model=None, reason="no model configured")
