"""`python -m app brief`: success in every format on the example set, and every error path as one line."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import cli
from tests.helpers import write

ROOT = Path(__file__).resolve().parents[1]
SUMMIT = ROOT / "examples" / "summit"

ARTICLE = (
    "اتفاق على ترميم السوق القديم في المدينة\n\n"
    "وقعت البلدية ووزارة السياحة اتفاقاً لترميم السوق القديم في المدينة بكلفة 12 مليون دولار خلال عامين. "
    "وقال رئيس البلدية إن الأعمال ستبدأ في الصيف وتشمل إصلاح الأسقف الخشبية وتجديد شبكة الكهرباء. "
    "وأكد ممثل الوزارة أن المحال ستبقى مفتوحة خلال الترميم حتى لا يتضرر التجار.\n"
)


@pytest.fixture(autouse=True)
def no_model(tmp_path, monkeypatch):
    """Whatever is under models/ on this machine, these runs are extractive, for a reason we know."""
    monkeypatch.setenv("MOJAZ_MODEL", str(tmp_path / "no-model-here"))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("mojaz: error: ")
    assert "Traceback" not in err
    return lines[0]


# Success


def test_brief_markdown_to_stdout(capsys):
    status, out, err = run(capsys, "brief", str(SUMMIT), "--format", "markdown")
    assert status == 0, err
    assert err == ""
    assert out.startswith("# ")
    assert "## أبرز النقاط" in out and "## المصادر" in out
    assert "500 ميغاواط" in out
    assert "نموذج التلخيص غير موجود على هذا الخادم" in out and "no-model-here" not in out  # why, in Arabic
    for n in range(1, 6):
        assert f"- [{n}] " in out.split("## المصادر", 1)[1]
    for junk in ("اقرأ أيضاً", "شارك المقال", "تابعونا", "App Store", "التعليقات", "اتصل بنا"):
        assert junk not in out


def test_brief_json_is_the_briefing(capsys):
    status, out, err = run(capsys, "brief", str(SUMMIT), "--format", "json", "--max-words", "200")
    assert status == 0, err
    briefing = json.loads(out)
    assert briefing["mode"] == "extractive"
    assert any("no-model-here" in w for w in briefing["warnings"])
    assert len(briefing["articles"]) == 5
    assert briefing["key_points"]
    ids = {a["id"] for a in briefing["articles"]}
    assert all(set(p["sources"]) <= ids for p in briefing["key_points"])
    assert briefing["word_count"] <= 200


def test_brief_html_with_focus(capsys):
    focus = "ما مصير خط أنابيب النفط؟"
    status, out, err = run(capsys, "brief", str(SUMMIT), "--format", "html", "--focus", focus)
    assert status == 0, err
    assert '<html lang="ar" dir="rtl">' in out
    assert focus in out


def test_brief_out_writes_the_file_atomically(tmp_path, capsys):
    target = tmp_path / "briefing.html"  # the format follows the extension
    status, out, err = run(capsys, "brief", str(SUMMIT), "--out", str(target))
    assert status == 0, err
    assert out == ""
    assert err.startswith("mojaz: wrote ") and len(err.splitlines()) == 1
    assert target.read_text(encoding="utf-8").lstrip().startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.html"]  # no temporary file left
    assert target.stat().st_mode & 0o777 != 0o600  # not mkstemp's private mode


def test_brief_out_keeps_permissions_of_a_replaced_file(tmp_path, capsys):
    target = tmp_path / "briefing.md"
    target.write_text("قديم", encoding="utf-8")
    target.chmod(0o640)
    assert run(capsys, "brief", str(SUMMIT), "--out", str(target))[0] == 0
    assert target.read_text(encoding="utf-8").startswith("# ")
    assert target.stat().st_mode & 0o777 == 0o640


def test_model_none_is_extractive_with_its_reason(capsys):
    status, out, _ = run(capsys, "brief", str(SUMMIT), "--format", "json", "--model", "none")
    assert status == 0
    assert "extractive only: no model configured" in json.loads(out)["warnings"]


def test_model_folder_missing_is_extractive_with_its_reason(tmp_path, capsys):
    missing = tmp_path / "models" / "absent"
    status, out, _ = run(capsys, "brief", str(SUMMIT), "--format", "json", "--model", str(missing))
    assert status == 0
    briefing = json.loads(out)
    assert briefing["mode"] == "extractive"
    assert any(str(missing) in w for w in briefing["warnings"])


def test_cli_offers_every_renderer_format():
    from app.render import FORMATS

    assert cli.FORMATS == FORMATS


def test_help_exits_zero(capsys):
    status, out, _ = run(capsys, "brief", "--help")
    assert status == 0
    assert "--max-words" in out


# Every error: exit 2, one line on stderr, no traceback, nothing on stdout.


ERRORS = {
    "no command": (lambda d: [], "required"),
    "unknown command": (lambda d: ["summarize", str(SUMMIT)], "invalid choice"),
    "no paths": (lambda d: ["brief"], "PATH"),
    "missing file": (lambda d: ["brief", str(d / "absent.txt")], "absent.txt: no such file or folder"),
    "unknown format": (lambda d: ["brief", str(SUMMIT), "--format", "pdf"], "--format"),
    "max-words not a number": (lambda d: ["brief", str(SUMMIT), "--max-words", "مئتان"], "--max-words"),
    "max-words zero": (lambda d: ["brief", str(SUMMIT), "--max-words", "0"], "--max-words"),
    "max-words negative": (lambda d: ["brief", str(SUMMIT), "--max-words", "-50"], "--max-words"),
    "max-words too small": (lambda d: ["brief", str(SUMMIT), "--max-words", "5"], "--max-words: must be at least"),
    "empty folder": (lambda d: ["brief", str(d / "empty")], "no article files"),
    "unknown extension": (lambda d: ["brief", str(write(d / "a.pdf", "نص"))], "unsupported file type '.pdf'"),
    "bad json line": (
        lambda d: ["brief", str(write(d / "feed.jsonl", '{"title": "عنوان", "text": "نص"}\n{oops\n'))],
        "feed.jsonl:2: not valid JSON",
    ),
    "bad utf-8": (lambda d: ["brief", str(write(d / "old.txt", ARTICLE.encode("cp1256")))], "not valid UTF-8"),
    "no arabic text": (
        lambda d: ["brief", str(write(d / "english.txt", "A title\n\nThe minister signed the deal today.\n"))],
        "no Arabic text",
    ),
    "empty set": (lambda d: ["brief", str(write(d / "none.json", "[]"))], "no articles found"),
    "out folder missing": (
        lambda d: ["brief", str(write(d / "a.txt", ARTICLE)), "--out", str(d / "missing" / "b.md")],
        "b.md: No such file or directory",
    ),
    "out is a folder": (lambda d: ["brief", str(write(d / "a.txt", ARTICLE)), "--out", str(d)], "is a folder"),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_error_is_one_line_and_exit_2(case, tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    make_argv, expected = ERRORS[case]
    status, out, err = run(capsys, *make_argv(tmp_path))
    assert status == 2
    assert out == ""
    assert expected in one_error_line(err)


def test_failure_leaves_an_existing_out_file_untouched(tmp_path, capsys):
    target = write(tmp_path / "briefing.md", "الموجز السابق\n")
    bad = write(tmp_path / "english.txt", "A title\n\nNo Arabic here at all, only English words.\n")
    status, _, err = run(capsys, "brief", str(bad), "--out", str(target))
    assert status == 2
    one_error_line(err)
    assert target.read_text(encoding="utf-8") == "الموجز السابق\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.md", "english.txt"]


def test_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, capsys, monkeypatch):
    target = write(tmp_path / "briefing.md", "الموجز السابق\n")

    def disk_full(src, dst):
        raise OSError(28, "No space left on device", str(dst))

    monkeypatch.setattr(cli.os, "replace", disk_full)
    status, _, err = run(capsys, "brief", str(SUMMIT), "--out", str(target))
    assert status == 2
    assert "No space left on device" in one_error_line(err)
    assert target.read_text(encoding="utf-8") == "الموجز السابق\n"
    assert [p.name for p in tmp_path.iterdir()] == ["briefing.md"]


# The real process, as a user runs it.


def python_m_app(*argv: str, cwd: Path = ROOT, env_model: str = "none") -> subprocess.CompletedProcess:
    env = {**os.environ, "MOJAZ_MODEL": env_model}
    return subprocess.run(
        [sys.executable, "-m", "app", *argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_process_success_markdown():
    done = python_m_app("brief", "examples/summit")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# ")
    assert "## المصادر" in done.stdout


def test_process_error_is_one_line(tmp_path):
    done = python_m_app("brief", str(tmp_path / "nothing"), "--format", "json")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip().count("\n") == 0
    assert done.stderr.startswith("mojaz: error: ") and "Traceback" not in done.stderr


def test_process_daily_is_delegated(tmp_path):
    done = python_m_app("daily", str(tmp_path / "no-feed.jsonl"), "--date", "2025-03-16", "--out", str(tmp_path))
    assert done.returncode != 0
    assert len(done.stderr.strip().splitlines()) == 1
    assert "no-feed.jsonl" in done.stderr and "Traceback" not in done.stderr
