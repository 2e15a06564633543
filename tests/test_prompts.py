"""Editable prompts: the folder comes from MOJAZ_PROMPTS_DIR, and a change of the variable is seen at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import prompts
from app.config import ROOT


def test_prompts_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("MOJAZ_PROMPTS_DIR", raising=False)
    assert prompts.prompts_dir() == ROOT / "prompts"
    (tmp_path / "focus.txt").write_text("# سؤال المحرر\nما الذي تقرر في الاجتماع؟\n", encoding="utf-8")
    monkeypatch.setenv("MOJAZ_PROMPTS_DIR", str(tmp_path))
    assert prompts.prompts_dir() == tmp_path
    assert prompts.default_focus() == "ما الذي تقرر في الاجتماع؟"
    monkeypatch.delenv("MOJAZ_PROMPTS_DIR")
    assert prompts.prompts_dir() == ROOT / "prompts"
