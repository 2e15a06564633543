"""The briefing: the one typed object every renderer and caller sees."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

Mode = Literal["extractive", "abstractive+extractive"]
Ordering = Literal["chronological", "importance"]


class Evidence(BaseModel):
    article_id: str
    sentence: str = Field(description="the sentence of that article that reports the point, as cleaned")
    position: int = Field(description="0-based index of that sentence among the article's cleaned sentences")


class FigureReport(BaseModel):
    figure: str = Field(description="the figure as these articles give it (canonical digits: 2500, 50.35)")
    sources: list[str] = Field(description="ids of the articles that give this figure")
    evidence: list[Evidence] = Field(default_factory=list, description="per article, the sentence that gives it")


class FigureConflict(BaseModel):
    """Outlets give different figures for one fact (20 or 27 dead): who reported which."""

    unit: str = Field(description="the counted word after the figure, normalized and stemmed; empty if none")
    reports: list[FigureReport] = Field(description="the key point's own figure first, then the others")


class KeyPoint(BaseModel):
    text: str
    sources: list[str] = Field(description="ids of every article that reports this point, figures included")
    article_id: str = Field(description="id of the article whose wording is kept")
    score: float = 0.0
    evidence: list[Evidence] = Field(default_factory=list, description="per cited article, its supporting sentence")
    figure_conflicts: list[FigureConflict] = Field(
        default_factory=list, description="articles that report this fact with a different figure"
    )


class ArticleBrief(BaseModel):
    id: str
    title: str
    source: str | None = None
    url: str | None = None
    published_at: datetime | None = None
    summary: str
    summary_kind: Literal["extractive", "abstractive"] = "extractive"
    summary_adds: bool = Field(
        default=True,
        description="false when every sentence of the article repeats the key points or an earlier article's "
        "summary (agency copy); the summary then says so",
    )


class Headline(BaseModel):
    text: str
    sources: list[str]
    origin: Literal["engine", "model"] = "engine"


class Briefing(BaseModel):
    headline: Headline
    focus: str
    mode: Mode
    model: str | None = None
    ordering: Ordering
    key_points: list[KeyPoint]
    articles: list[ArticleBrief]
    warnings: list[str] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict, description="seconds per stage")
    word_count: int = 0
