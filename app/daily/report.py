"""The day's report: ranked stories with their briefings, the other news, counts and timings."""

from __future__ import annotations

import json
from datetime import date, datetime
from functools import lru_cache
from urllib.parse import quote, urlsplit

import jinja2
from pydantic import BaseModel, Field

from app.articles import Article
from app.briefing import Briefing
from app.prompts import template_dir

FORMATS = {"md": "daily.md.j2", "html": "daily.html.j2", "json": ""}


class ArticleRef(BaseModel):
    id: str
    title: str
    source: str | None = None
    url: str | None = None
    published_at: datetime | None = None

    @classmethod
    def of(cls, article: Article) -> ArticleRef:
        return cls(
            id=article.id,
            title=article.title,
            source=article.source,
            url=article.url,
            published_at=article.published_at,
        )


class StoryLine(BaseModel):
    """A story past the top N: one line (headline, outlets, link to the first article)."""

    rank: int
    title: str
    outlets: list[str]
    url: str | None = None
    articles: int
    article_ids: list[str] = Field(default_factory=list)


class SectionNews(BaseModel):
    """The "other news" of one section, in time order; the JSON holds all, Markdown and HTML the first few."""

    key: str
    title: str
    anchor: str
    articles: list[ArticleRef]


class Display(BaseModel):
    """How much of the day the Markdown and HTML show (the JSON always holds everything)."""

    top: int = Field(description="stories with a full briefing")
    story_lines: int = Field(description="further stories, one line each")
    per_section: int = Field(description="other-news lines per section")
    articles_per_story: int = Field(description="article lines under each briefed story")


class StoryReport(BaseModel):
    rank: int
    anchor: str = Field(description="HTML id of the story's section")
    outlets: list[str]
    keywords: list[str] = Field(default_factory=list, description="the cluster's strongest stems")
    articles: list[ArticleRef]
    briefing: Briefing | None = None
    error: str | None = Field(default=None, description="why there is no briefing for this story")

    @property
    def title(self) -> str:
        if self.briefing is not None:
            return self.briefing.headline.text
        return self.articles[0].title or "—"


class Counts(BaseModel):
    articles_read: int
    articles_undated: int
    articles_on_day: int
    stories: int = Field(description="stories of two or more articles, briefed or listed")
    other_news: int = Field(description="articles in no story, opinion included")
    briefed_stories: int = 0
    opinion: int = 0
    merged_fragments: int = 0
    failed_stories: int = 0
    input_problems: int = 0


class DailyReport(BaseModel):
    date: date
    timezone: str
    generated_at: datetime
    source: str = Field(description="the input file or folder")
    mode: str = Field(description="extractive | abstractive+extractive | service URL")
    stories: list[StoryReport] = Field(description="the top stories, each with its briefing")
    story_lines: list[StoryLine] = Field(default_factory=list, description="the further multi-outlet stories")
    sections: list[SectionNews] = Field(default_factory=list, description="other news by section, opinion last")
    counts: Counts
    display: Display
    timings: dict[str, float] = Field(default_factory=dict, description="seconds per stage")
    cache: dict[str, int] = Field(default_factory=dict, description="cache hits and misses of this run")
    warnings: list[str] = Field(default_factory=list)


def source_labels(story: StoryReport) -> dict[str, str]:
    """Article id -> the outlet (or title) a reader sees next to a key point."""
    return {a.id: a.source or a.title or a.id for a in story.articles}


def outlets_of(ids: list[str], labels: dict[str, str]) -> list[str]:
    """The distinct outlets behind a key point, in the order its sources are listed."""
    return list(dict.fromkeys(labels.get(i, i) for i in ids))


@lru_cache(maxsize=2)
def _environment(html: bool) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir()),
        autoescape=html,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["md"] = markdown_text
    environment.filters["link"] = link_target
    environment.filters["day_time"] = _day_time
    environment.globals["source_labels"] = source_labels
    environment.globals["outlets_of"] = outlets_of
    from app.render.templating import install_reader_text  # counts, dates, outlets, bidi: one set for all

    install_reader_text(environment)
    return environment


_MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|"})


def markdown_text(value: object) -> str:
    """Text shown as-is in Markdown: no emphasis, links, headings or raw HTML from an article."""
    return " ".join(str(value).split()).translate(_MARKDOWN_SPECIAL)


def link_target(url: str | None) -> str:
    """An http(s) URL safe to put in a link (spaces and parentheses encoded); "" for anything else."""
    if not url:
        return ""
    url = url.strip()
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        return ""  # javascript:, data: and friends never become links
    return quote(url, safe=":/?#@!$&'*+,;=%~-._")


def _day_time(value: datetime | None) -> str:
    return value.strftime("%H:%M") if value else ""


def render(report: DailyReport, fmt: str) -> str:
    """The report as Markdown ("md"), HTML ("html") or JSON ("json")."""
    if fmt == "json":
        return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}")
    template = _environment(fmt == "html").get_template(FORMATS[fmt])
    return template.render(report=report)
