"""schemathesis against the live service (the Dockerfile's gunicorn command on 127.0.0.1): every check,
examples, coverage and fuzzing phases, a bounded number of cases with a fixed seed; zero failures. What
schema-valid bodies may still be refused (and why) is in tests/schemathesis.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from test_service_gunicorn import Server

ROOT = Path(__file__).resolve().parents[1]
MAX_EXAMPLES = 40  # per operation: about 200 requests, ~10 s on this 2-core machine


def test_schemathesis_finds_nothing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    server = Server(tmp_path, workers=1)
    try:
        server.wait_ready()
        command = [
            str(Path(sys.executable).parent / "schemathesis"),
            "--config-file",
            str(ROOT / "tests" / "schemathesis.toml"),
            "run",
            f"{server.url}/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            str(MAX_EXAMPLES),
            "--seed",
            "13",
            "--workers",
            "1",
            "--report-dir",
            str(tmp_path / "report"),
        ]
        out = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stdout[-6000:] + out.stderr[-2000:]
        assert " passed" in out.stdout and "failure" not in out.stdout.split("SUMMARY")[-1]
        assert "Traceback" not in server.output()
    finally:
        server.stop()
