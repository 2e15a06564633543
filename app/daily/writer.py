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


def _stage(path: Path, text: str) -> str:
    """`text` in a fsync'ed temporary file beside `path`; returns its name (removed again on any failure)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes it 0600; a report is meant to be read
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return temporary


def write_files_atomic(files: Mapping[Path, str]) -> list[Path]:
    """Write every file through a temporary file, all staged before the first rename.

    A full disk or a kill while writing leaves every old file in place; only the renames at the end, which
    take microseconds, are not one step, so a set of files is replaced together or (almost surely) not at all.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            staged.append((_stage(path, text), path))
        for temporary, path in staged:
            os.replace(temporary, path)
    except BaseException:
        for temporary, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        raise
    for directory in {path.parent for path in files}:
        _sync_directory(directory)
    return list(files)


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder, fsync'ed, then renamed."""
    write_files_atomic({path: text})


def write_report_files(directory: Path, stem: str, documents: Mapping[str, str]) -> list[Path]:
    """Write DIR/STEM.EXT for each (ext -> text): all three replaced together, or none."""
    return write_files_atomic({directory / f"{stem}.{extension}": text for extension, text in documents.items()})
