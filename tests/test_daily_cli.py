"""The daily command end to end (in-process, extractive) and every error path: one line, non-zero exit."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from app.daily.cli import main

FEED = Path(__file__).parent / "fixtures" / "daily" / "feed.jsonl"
BASE = [str(FEED), "--date", "2024-03-10", "--tz", "Asia/Riyadh", "--model", "none"]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().err


def test_writes_the_day_report_and_one_summary_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run([*BASE, "--out", str(tmp_path)], capsys)

    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache", "2024-03-10.html", "2024-03-10.json", "2024-03-10.md"]
    assert err.count("\n") == 1  # no progress bar without a terminal
    assert err.startswith("daily 2024-03-10: 9 articles read, 7 on the day, 2 stories, 2 other news, ")
    report = json.loads((tmp_path / "2024-03-10.json").read_text(encoding="utf-8"))
    assert report["timezone"] == "Asia/Riyadh"
    assert report["mode"] == "extractive"


def test_rerun_replaces_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "2024-03-10.md").write_text("old", encoding="utf-8")
    code, _ = run([*BASE, "--out", str(tmp_path)], capsys)

    assert code == 0
    assert (tmp_path / "2024-03-10.md").read_text(encoding="utf-8").startswith("# الموجز اليومي")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".") and p.name != ".cache"]  # no temp files


def _one_error_line(code: int, err: str, expected_code: int, *fragments: str) -> None:
    assert code == expected_code
    assert err.count("\n") == 1 and err.startswith("daily: error: "), err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err


def test_missing_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run([str(tmp_path / "nowhere.jsonl"), "--out", str(tmp_path / "out")], capsys)
    _one_error_line(code, err, 1, "no such file or folder", "nowhere.jsonl")
    assert not (tmp_path / "out").exists()


def test_no_article_that_day_leaves_previous_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "2024-03-11.md").write_text("previous", encoding="utf-8")
    code, err = run([str(FEED), "--date", "2024-03-11", "--tz", "Asia/Riyadh", "--out", str(tmp_path)], capsys)

    _one_error_line(code, err, 1, "no article dated 2024-03-11", "9 read", "1 without a date")
    assert (tmp_path / "2024-03-11.md").read_text(encoding="utf-8") == "previous"


def test_folder_without_article_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    code, err = run([str(tmp_path), "--date", "2024-03-10"], capsys)
    _one_error_line(code, err, 1, "no article files")


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (["--date", "2024-13-01"], "--date: not a date: '2024-13-01' (expected YYYY-MM-DD)"),
        (["--date", "10/03/2024"], "expected YYYY-MM-DD"),
        (["--tz", "Mars/Olympus"], "unknown time zone"),
        (["--max-words", "five"], "invalid int value"),
        (["--max-words", "3"], "--max-words must be at least 20"),
        (["--threshold", "1.5"], "--threshold must be between 0 and 1"),
        (["--service-url", "localhost:8000"], "--service-url must start with http://"),
        (["--colour"], "unrecognized arguments: --colour"),
    ],
)
def test_bad_flags(extra: list[str], fragment: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [str(FEED), "--out", str(tmp_path), *extra]
    if "--date" not in extra:
        argv += ["--date", "2024-03-10"]
    code, err = run(argv, capsys)
    _one_error_line(code, err, 2, fragment)
    assert list(tmp_path.iterdir()) == []


def test_unreachable_service(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, err = run(
        [*BASE, "--out", str(tmp_path), "--service-url", f"http://127.0.0.1:{port}", "--retries", "1"], capsys
    )
    _one_error_line(code, err, 1, f"cannot reach http://127.0.0.1:{port}/v1/briefings")
    assert not [p for p in tmp_path.iterdir() if p.name != ".cache"]  # no report (the cache may have embeddings)


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--help"])
    assert code == 0
    assert "--service-url" in capsys.readouterr().out


def test_words_only_grouping_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run([*BASE, "--out", str(tmp_path), "--no-meaning-check"], capsys)

    assert code == 0
    assert ", 2 stories, 2 other news, " in err  # the fixture's two stories need no meaning check
    report = json.loads((tmp_path / "2024-03-10.json").read_text(encoding="utf-8"))
    assert not any("meaning check" in w for w in report["warnings"])
