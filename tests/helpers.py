"""Small helpers shared by several test files."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def write(path: Path, content: str | bytes) -> Path:
    """Write a file (text as UTF-8), creating its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def write_feed(path: Path, articles: list[Any]) -> Path:
    """A JSONL daily feed of these articles, one row each, as a crawler writes it."""
    import json

    rows = [
        {"id": a.id, "title": a.title, "text": a.text, "source": a.source, "url": a.url,
         "date": a.published_at.isoformat(), **a.extra}
        for a in articles
    ]
    return write(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


def make_app(**config: Any):  # type: ignore[no-untyped-def]
    """The service app without a model, once its (instant) model load has finished."""
    from app import create_app

    app = create_app({"TESTING": True, "model": "none", **config})
    assert app.extensions["mojaz.model"].wait(30)
    return app
