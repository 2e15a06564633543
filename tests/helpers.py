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


def make_app(**config: Any):  # type: ignore[no-untyped-def]
    """The service app without a model, once its (instant) model load has finished."""
    from app import create_app

    app = create_app({"TESTING": True, "model": "none", **config})
    assert app.extensions["mojaz.model"].wait(30)
    return app
