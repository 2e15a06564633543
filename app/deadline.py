"""A time limit for one briefing, checked between the engine's stages and the model's batches: past it the
work stops with DeadlineExceeded, so the worker thread is free for the next request (a thread cannot be
killed from outside; it has to stop itself)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_deadline: ContextVar[tuple[float, float] | None] = ContextVar("mojaz_deadline", default=None)


class DeadlineExceeded(Exception):
    def __init__(self, seconds: float, stage: str) -> None:
        super().__init__(f"over the {seconds:g} s limit during {stage}")
        self.seconds = seconds
        self.stage = stage


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Within the block, check() raises once `seconds` have passed; None or <= 0: no limit."""
    token = _deadline.set((time.monotonic() + seconds, seconds) if seconds and seconds > 0 else None)
    try:
        yield
    finally:
        _deadline.reset(token)


def check(stage: str) -> None:
    limit = _deadline.get()
    if limit is not None and time.monotonic() > limit[0]:
        raise DeadlineExceeded(limit[1], stage)
