"""Jinja environment, filters and context shared by the Markdown and HTML briefing templates.

The templates live in prompts/templates/ so editors can change the layout without touching code.
Every template except *.md.j2 is autoescaped; Markdown text goes through the |md filter instead.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

from app.briefing import ArticleBrief, Briefing
from app.prompts import template_dir

EXTRACTIVE_PREFIX = "extractive only: "  # how app.engine reports why no model ran

_MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
           "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر")
# Characters that would turn inline article text into Markdown markup (raw HTML, links, emphasis, code).
# "_" inside a word (download_model) is not emphasis in CommonMark and stays as it is.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]<>]|(?<![^\W_])_|_(?![^\W_]))")
# A value placed after "- " or "# " can still open a block (heading, quote, nested list) with these.
_BLOCK_START = re.compile(r"^([#>+\-=])|^(\d+)([.)])(?=\s|$)")


def markdown_text(value: object) -> str:
    """Article text made inert inside a Markdown line: one line, markup characters backslash-escaped.

    Only what would act as markup is escaped, so the text stays readable in a terminal.
    """
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(value or "").split()))
    return _BLOCK_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)


def safe_url(value: object) -> str | None:
    """The URL when it is a plain http(s) link, else None (no javascript:, data:, spaces or quotes)."""
    url = str(value or "").strip()
    if not url or any(ch.isspace() or ch in "<>\"'`" for ch in url):
        return None
    parts = urlsplit(url)
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def arabic_date(value: datetime | None) -> str:
    """16 مارس 2025، 21:15 — in the article's own time zone; the time only when one was given."""
    if value is None:
        return ""
    text = f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
    if (value.hour, value.minute) != (0, 0):
        text += f"، {value:%H:%M}"
    return text


@lru_cache(maxsize=4)
def _environment(directory: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(directory),
        autoescape=lambda name: not (name or "").endswith(".md.j2"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=markdown_text, link=safe_url, ar_date=arabic_date)
    return env


def _context(briefing: Briefing) -> dict[str, Any]:
    numbers = {article.id: n for n, article in enumerate(briefing.articles, start=1)}

    def refs(ids: list[str]) -> list[int | str]:
        """Reference numbers of articles in the sources list, in list order; unknown ids as they are."""
        known = sorted({numbers[i] for i in ids if i in numbers})
        return [*known, *(i for i in ids if i not in numbers)]

    reason = next((w[len(EXTRACTIVE_PREFIX):] for w in briefing.warnings if w.startswith(EXTRACTIVE_PREFIX)), None)
    sources: list[tuple[int, ArticleBrief]] = list(enumerate(briefing.articles, start=1))
    return {
        "briefing": briefing,
        "sources": sources,
        "refs": refs,
        "mode_reason": reason,
        "warnings": [w for w in briefing.warnings if not w.startswith(EXTRACTIVE_PREFIX)],
    }


def render_template(name: str, briefing: Briefing) -> str:
    return _environment(template_dir()).get_template(name).render(_context(briefing))
