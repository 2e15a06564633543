"""scripts/setup.sh takes torch from the PyTorch CPU index when it answers, and falls back, without
hanging, when it does not. pip is replaced by a recorder (the venv's python runs the probe for real)."""

from __future__ import annotations

import http.server
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import write

ROOT = Path(__file__).resolve().parents[1]
CPU_INDEX = "https://download.pytorch.org/whl/cpu"


@pytest.fixture
def fake_venv(tmp_path: Path) -> Path:
    """A venv whose python records `-m pip ...` calls and runs anything else with the real interpreter."""
    venv = tmp_path / "venv"
    write(
        venv / "bin" / "python",
        f'#!/usr/bin/env bash\nif [ "$1" = "-m" ]; then echo "$@" >> "{tmp_path}/pip.log"; exit 0; fi\n'
        f'exec "{sys.executable}" "$@"\n',
    ).chmod(0o755)
    return venv


def run_setup(venv: Path, index: str) -> tuple[subprocess.CompletedProcess[str], str, float]:
    env = {**os.environ, "MOJAZ_VENV": str(venv), "MOJAZ_TORCH_INDEX": index}
    started = time.perf_counter()
    out = subprocess.run(["bash", "scripts/setup.sh"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    log = (venv.parent / "pip.log").read_text()
    return out, log, time.perf_counter() - started


@pytest.fixture
def index_server() -> Iterator[str]:
    class Index(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200 if self.path == "/whl/cpu/torch/" else 404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Index)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/whl/cpu"
    finally:
        server.shutdown()
        thread.join(5)


def test_default_index_is_the_one_the_dockerfile_uses() -> None:
    script = (ROOT / "scripts" / "setup.sh").read_text()
    assert f"MOJAZ_TORCH_INDEX-{CPU_INDEX}" in script
    assert f"--extra-index-url {CPU_INDEX}" in (ROOT / "Dockerfile").read_text()


def test_reachable_cpu_index_is_used(fake_venv, index_server) -> None:  # type: ignore[no-untyped-def]
    out, log, _ = run_setup(fake_venv, index_server)
    assert out.returncode == 0, out.stderr
    assert f"--extra-index-url {index_server}" in log and "-r requirements-dev.txt" in log


def test_unreachable_index_falls_back_at_once(fake_venv) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    out, log, seconds = run_setup(fake_venv, f"http://127.0.0.1:{port}/whl/cpu")
    assert out.returncode == 0, out.stderr
    assert "--extra-index-url" not in log and "-r requirements-dev.txt" in log
    assert "unreachable" in out.stderr
    assert seconds < 20


def test_an_index_that_never_answers_does_not_hang_setup(fake_venv) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as silent:  # accepts connections (the kernel's backlog) and never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        out, log, seconds = run_setup(fake_venv, f"http://127.0.0.1:{silent.getsockname()[1]}/whl/cpu")
    assert out.returncode == 0, out.stderr
    assert "--extra-index-url" not in log and "unreachable" in out.stderr
    assert seconds < 20
