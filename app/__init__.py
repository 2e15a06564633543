"""Mojaz (موجز): one sourced Arabic briefing from a set of news articles about one event."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The HTTP service (gunicorn: "app:create_app()"). Flask is imported only here, so the CLI stays fast."""
    from app.service.factory import create_app as _create_app

    return _create_app(config)
