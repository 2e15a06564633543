"""Shared test fixtures."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

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


@pytest.fixture(scope="session")
def trained_model_dir() -> Path:
    """A tiny seq2seq trained to write the lead clause of our own articles (make_tiny_model.py --trained):
    trained once per machine (about a minute on 2 cores) and kept under the temp dir while unchanged."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from make_tiny_model import trained_model_cached
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    return trained_model_cached()


@pytest.fixture(scope="module")
def articles() -> list[dict[str, Any]]:
    """The service tests' article set (tests/fixtures/service_articles.json, written by us)."""
    return json.loads((ROOT / "tests" / "fixtures" / "service_articles.json").read_text(encoding="utf-8"))["articles"]


@pytest.fixture(scope="module")
def client():  # type: ignore[no-untyped-def]
    """A test client of the service without a model, one app per test module."""
    from tests.helpers import make_app

    return make_app().test_client()
