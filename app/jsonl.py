"""JSON Lines: the one reader of every .jsonl input (article sets, daily feeds, evaluation data, labels)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import InputError


@dataclass(frozen=True)
class Row:
    where: str  # "feed.jsonl:12", for messages that point at the line
    value: Any


def read_rows(
    path: Path | str,
    *,
    skip: Callable[[str], None] | None = None,
    label: str | None = None,
    data: bytes | None = None,
) -> Iterator[Row]:
    """Each non-empty line of `path` parsed as JSON, streamed (a day's feed need not fit in memory twice).

    With `data`, the lines are read from those bytes (an uploaded file) and `path` only names them.

    A line that is not JSON raises InputError naming the line, unless `skip` is given: then `skip` gets the
    problem and reading goes on (a crawled feed with one broken line is still a day's news). With `skip`,
    bytes that are not UTF-8 are replaced rather than fatal, for the same reason.
    """
    label = label or str(path)
    errors = "replace" if skip else "strict"
    try:
        raw = io.BytesIO(data) if data is not None else Path(path).open("rb")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", str(path)) from exc
    with io.TextIOWrapper(raw, encoding="utf-8-sig", errors=errors) as handle:
        number = 0
        try:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                where = f"{label}:{number}"
                try:
                    value = json.loads(line)
                except json.JSONDecodeError as exc:
                    problem = f"not valid JSON: {exc.msg} (column {exc.colno})"
                    if skip is None:
                        raise InputError(problem, where) from exc
                    skip(f"{where}: {problem}")
                    continue
                yield Row(where, value)
        except UnicodeDecodeError as exc:
            raise InputError(f"not valid UTF-8 text (after line {number})", str(path)) from exc
