"""The atomic writer (CLI --out, daily reports, evaluation output): a crash mid-write leaves the previous report whole and no temporary file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app import atomic_files as writer
from app.atomic_files import write_atomic, write_files_atomic

OLD = "# موجز الأمس\nالتقرير السابق كاملا.\n"
NEW = "# موجز اليوم\n" + "سطر جديد من التقرير.\n" * 2000


def test_write_then_replace(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "2015-08-06.md"
    target.parent.mkdir()
    write_atomic(target, OLD)
    write_atomic(target, NEW)

    assert target.read_text(encoding="utf-8") == NEW
    assert os.listdir(target.parent) == ["2015-08-06.md"]
    assert oct(target.stat().st_mode & 0o777) == "0o644"


def test_crash_before_rename_keeps_previous_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "2015-08-06.md"
    write_atomic(target, OLD)
    seen: dict[str, str] = {}

    def crash(source: str, destination: str) -> None:
        seen["partial"] = Path(source).read_text(encoding="utf-8")  # the new text was fully on disk
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer.os, "replace", crash)
    with pytest.raises(OSError):
        write_atomic(target, NEW)

    assert seen["partial"] == NEW
    assert target.read_text(encoding="utf-8") == OLD
    assert os.listdir(tmp_path) == ["2015-08-06.md"]


def test_crash_half_way_through_the_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "2015-08-06.html"
    write_atomic(target, OLD)
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, text: str) -> int:
            self.handle.write(text[: len(text) // 2])
            self.handle.flush()
            raise KeyboardInterrupt  # the cron job is killed mid-write

    monkeypatch.setattr(writer.os, "fdopen", lambda fd, *a, **k: HalfWriter(real_fdopen(fd, *a, **k)))
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, NEW)

    assert target.read_text(encoding="utf-8") == OLD
    assert os.listdir(tmp_path) == ["2015-08-06.html"]


def test_report_files_named_by_day(tmp_path: Path) -> None:
    written = write_files_atomic(_report_files(tmp_path, {"md": "م", "html": "<p>ه</p>", "json": "{}"}))

    assert [p.name for p in written] == ["2015-08-06.md", "2015-08-06.html", "2015-08-06.json"]
    assert (tmp_path / "2015-08-06.json").read_text(encoding="utf-8") == "{}"


def test_full_disk_on_the_last_file_leaves_the_whole_old_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = {"md": "قديم", "html": "<p>قديم</p>", "json": '{"old": true}'}
    write_files_atomic(_report_files(tmp_path, old))
    real_fdopen = os.fdopen
    opened: list[int] = []

    def third_fails(fd, *args, **kwargs):
        opened.append(fd)
        if len(opened) == 3:
            os.close(fd)
            raise OSError(28, "No space left on device")
        return real_fdopen(fd, *args, **kwargs)

    monkeypatch.setattr(writer.os, "fdopen", third_fails)
    with pytest.raises(OSError):
        write_files_atomic(_report_files(tmp_path, {"md": "جديد", "html": "<p>جديد</p>", "json": "{}"}))

    # The first two new files were complete on disk, yet neither replaced its old one.
    for extension, text in old.items():
        assert (tmp_path / f"2015-08-06.{extension}").read_text(encoding="utf-8") == text
    assert sorted(os.listdir(tmp_path)) == ["2015-08-06.html", "2015-08-06.json", "2015-08-06.md"]


def _report_files(directory, documents):
    return {directory / f"2015-08-06.{ext}": text for ext, text in documents.items()}
