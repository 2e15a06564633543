"""The article: the unit every caller hands to Mojaz."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from dateutil import parser as date_parser

from app.errors import InputError


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    text: str
    source: str | None = None
    url: str | None = None
    published_at: datetime | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


def content_id(title: str, text: str) -> str:
    """A stable id derived from the content, used when the caller gives none."""
    digest = hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()
    return digest[:12]


def parse_published_at(value: Any, field_name: str = "published_at") -> datetime | None:
    """Dates arrive as ISO strings, 'YYYY-MM-DD HH:MM:SS', or date objects; naive ones are UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time.min)
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            try:  # day-first for the numeric dates Arabic outlets print (06/08/2015)
                parsed = date_parser.parse(value.strip(), dayfirst=True)
            except (ValueError, OverflowError) as exc:
                raise InputError(f"not a date: {value!r}", field_name) from exc
    else:
        raise InputError(f"not a date: {value!r}", field_name)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def article_from_mapping(data: Mapping[str, Any], where: str = "article") -> Article:
    """Build an article from a JSON-like mapping (title, text or html, id, source, url, published_at|date)."""
    from app.text.html import html_to_text  # trafilatura import is slow; only pay for it with HTML

    if not isinstance(data, Mapping):
        raise InputError("expected an object", where)
    title = str(data.get("title") or "").strip()
    text = data.get("text")
    html = data.get("html")
    if text is None and html is None:
        raise InputError("needs 'text' or 'html'", where)
    if text is not None and not isinstance(text, str):
        raise InputError("'text' must be a string", f"{where}.text")
    if html is not None and not isinstance(html, str):
        raise InputError("'html' must be a string", f"{where}.html")
    body = text if text is not None else html_to_text(html or "")
    if not body.strip():
        raise InputError("empty text", f"{where}.text")
    published = parse_published_at(data.get("published_at", data.get("date")), f"{where}.published_at")
    given_id = data.get("id")
    return Article(
        id=str(given_id).strip() if given_id not in (None, "") else content_id(title, body),
        title=title,
        text=body,
        source=(str(data["source"]).strip() or None) if data.get("source") else None,
        url=(str(data["url"]).strip() or None) if data.get("url") else None,
        published_at=published,
        extra={k: v for k, v in data.items() if k not in _KNOWN_KEYS},
    )


_KNOWN_KEYS = {"id", "title", "text", "html", "source", "url", "published_at", "date"}
