"""Atomic report files: a reader (or the next cron run) sees the old report or the new one, never half."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


def _sync_directory(directory: Path) -> None:
    # The rename itself lives in the directory entry; without this a power cut can undo it.
    with contextlib.suppress(OSError):  # some filesystems refuse to open a directory
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder, fsync'ed, then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes it 0600; a report is meant to be read
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _sync_directory(path.parent)


def write_report_files(directory: Path, stem: str, documents: Mapping[str, str]) -> list[Path]:
    """Write DIR/STEM.EXT for each (ext -> text); everything is rendered before the first write."""
    written = []
    for extension, text in documents.items():
        target = directory / f"{stem}.{extension}"
        write_atomic(target, text)
        written.append(target)
    return written
