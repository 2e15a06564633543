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
from app.render import reader
from app.render.counts import count_phrase
from app.render.dates import date_time_text, day_text, time_text
from app.render.outlets import clean_title, outlet_name

EXTRACTIVE_PREFIX = "extractive only: "  # how app.engine reports why no model ran
# Characters that would turn inline article text into Markdown markup (raw HTML, links, emphasis, code).
# "_" inside a word (download_model) is not emphasis in CommonMark and stays as it is.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]<>]|(?<![^\W_])_|_(?![^\W_]))")
# A value placed after "- " or "# " can still open a block (heading, quote, nested list) with these.
_BLOCK_START = re.compile(r"^([#>+\-=])|^(\d+)([.)])(?=\s|$)")


def markdown_text(value: object) -> str:
    """Article text made inert inside a Markdown line: one line, markup characters backslash-escaped.

    Only what would act as markup is escaped, so the text stays readable in a terminal.
    """
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(reader.strip_controls(value or "").split()))
    return _BLOCK_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)


def safe_url(value: object) -> str | None:
    """The URL when it is a plain http(s) link, else None (no javascript:, data:, spaces or quotes)."""
    url = str(value or "").strip()
    if not url or any(ch.isspace() or ch in "<>\"'`" for ch in url):
        return None
    parts = urlsplit(url)
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def arabic_date(value: datetime | None, zone: str | None = None) -> str:
    """«الأحد 16 مارس 2025، 21:15 بتوقيت غرينتش+3» — in the value's own zone; the time only when one was given."""
    return date_time_text(value, zone)


def install_reader_text(env: jinja2.Environment) -> None:
    """The filters and helpers every reader-facing template may use (briefing and daily templates)."""
    env.filters.update(
        ar_date=arabic_date,
        ar_day=day_text,
        ar_time=time_text,
        count=count_phrase,
        outlet=outlet_name,
        clean_title=clean_title,
        bidi=reader.bidi,
        mode_text=reader.mode_text,
        model_reason=reader.model_reason,
        story_error=reader.story_error,
    )
    env.globals.update(
        article_labels=reader.article_labels,
        cited=reader.cited,
        conflict_text=reader.conflict_text,
        reader_warnings=reader.reader_warnings,
    )


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
    env.filters.update(md=markdown_text, link=safe_url)
    install_reader_text(env)
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
        "ref_names": {n: outlet_name(article.source) for n, article in sources},
        # Figure conflicts name articles the way the citations do: the outlet and its sources-list number.
        "labels": {a.id: f"{outlet_name(a.source)} [{n}]".strip() for n, a in sources},
        # The same for Markdown: the name made inert, the brackets kept ("[3]" alone is no link).
        "md_labels": {a.id: f"{markdown_text(outlet_name(a.source))} [{n}]".strip() for n, a in sources},
        "mode_reason": reader.model_reason(reason),
        "warnings": reader.reader_warnings([w for w in briefing.warnings if not w.startswith(EXTRACTIVE_PREFIX)]),
    }


def render_template(name: str, briefing: Briefing) -> str:
    return _environment(template_dir()).get_template(name).render(_context(briefing))
