"""Shared test fixtures."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random-weight Arabic seq2seq model folder (scripts/make_tiny_model.py), built once."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from make_tiny_model import build_tiny_model
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    return build_tiny_model(tmp_path_factory.mktemp("models") / "tiny-arabart")
