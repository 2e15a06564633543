"""Briefing renderers: JSON, Markdown and HTML (right-to-left, everything escaped)."""

from __future__ import annotations

import json

from app.briefing import Briefing
from app.errors import InputError
from app.render.templating import render_template

CONTENT_TYPES: dict[str, str] = {
    "json": "application/json; charset=utf-8",
    "markdown": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
}
FORMATS: tuple[str, ...] = tuple(CONTENT_TYPES)

_TEMPLATES = {"markdown": "briefing.md.j2", "html": "briefing.html.j2"}


def render(briefing: Briefing, fmt: str) -> str:
    """The briefing as text in fmt (json | markdown | html). Unknown fmt -> InputError(field="format")."""
    if fmt == "json":
        return json.dumps(briefing.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
    if fmt not in _TEMPLATES:
        raise InputError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}", "format")
    return render_template(_TEMPLATES[fmt], briefing)
