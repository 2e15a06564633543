"""The day's input: a folder tree of article files or a JSONL feed, cut down to one calendar day."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from app.articles import Article, article_from_mapping
from app.errors import InputError
from app.jsonl import read_rows

FEED_SUFFIXES = {".jsonl", ".ndjson"}
MAX_REPORTED_PROBLEMS = 5


@dataclass
class Feed:
    articles: list[Article]
    problems: list[str] = field(default_factory=list)  # rows skipped, one line each (first few)
    skipped: int = 0


@dataclass
class Day:
    day: date
    articles: list[Article]
    undated: int  # articles with no date at all: they cannot belong to any day
    read: int  # articles in the input, all days


def local_zone() -> tzinfo:
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


def yesterday(zone: tzinfo | None = None) -> date:
    return (datetime.now(zone or local_zone()) - timedelta(days=1)).date()


def parse_day(value: str) -> date:
    text = value.strip()
    if len(text) == 10:  # fromisoformat alone would also take 20150806
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise InputError(f"not a date: {value!r} (expected YYYY-MM-DD)", "--date")


def _unescaped(row: Mapping[str, Any]) -> dict[str, Any]:
    # Crawled feeds carry HTML entities (&quot;) in their plain-text fields.
    fixed = dict(row)
    for key in ("title", "text"):
        value = fixed.get(key)
        if isinstance(value, str) and "&" in value:
            fixed[key] = html.unescape(value)
    return fixed


def _read_jsonl(path: Path) -> Feed:
    feed = Feed(articles=[])

    def skip(problem: str) -> None:
        feed.skipped += 1
        if len(feed.problems) < MAX_REPORTED_PROBLEMS:
            feed.problems.append(problem)

    for row in read_rows(path, skip=skip, label=path.name):
        if not isinstance(row.value, Mapping):
            skip(f"{row.where}: expected an object")
            continue
        try:
            feed.articles.append(article_from_mapping(_unescaped(row.value), row.where))
        except InputError as exc:
            skip(str(exc))
    return feed


def _read_files(path: Path) -> Feed:
    from app.article_files import load_articles  # the `brief` loader: txt/json/jsonl/html files and folders

    return Feed(articles=list(load_articles([path])))


def _unique(articles: Iterable[Article]) -> list[Article]:
    # Feeds are re-crawled: the same id seen twice is one article.
    first: dict[str, Article] = {}
    for article in articles:
        first.setdefault(article.id, article)
    return list(first.values())


def read_feed(path: Path) -> Feed:
    """Every article of the input; raises InputError when the input is missing or unreadable."""
    if not path.exists():
        raise InputError(f"no such file or folder: {path}", "input")
    is_feed = path.is_file() and path.suffix.lower() in FEED_SUFFIXES
    feed = _read_jsonl(path) if is_feed else _read_files(path)
    feed.articles = _unique(feed.articles)
    if not feed.articles:
        detail = f"no readable article in {path}"
        if feed.problems:
            detail += f" (first problem: {feed.problems[0]})"
        raise InputError(detail, "input")
    return feed


def select_day(articles: Iterable[Article], day: date, zone: tzinfo) -> Day:
    """The articles published on `day` in time zone `zone` (naive dates were read as UTC)."""
    kept: list[Article] = []
    undated = read = 0
    for article in articles:
        read += 1
        if article.published_at is None:
            undated += 1
        elif article.published_at.astimezone(zone).date() == day:
            kept.append(article)
    return Day(day=day, articles=kept, undated=undated, read=read)


def no_articles_message(day: Day, path: Path) -> str:
    detail = f"no article dated {day.day.isoformat()} in {path} ({day.read} read"
    if day.undated:
        detail += f", {day.undated} without a date"
    return detail + ")"
