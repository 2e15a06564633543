"""The real thing: the Dockerfile's gunicorn command on 127.0.0.1, two workers, metrics added up across
them, bounded concurrency with zero errors, bad input that never kills a worker, graceful SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "service_articles.json"
ROUTE = {"route": "/v1/briefings", "method": "POST"}


def dockerfile_command() -> list[str]:
    """The CMD of the Dockerfile, so this test runs exactly what the image runs."""
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("CMD "):
            return json.loads(line[4:])
    raise AssertionError("Dockerfile has no exec-form CMD")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def metric_value(text: str, name: str, **labels: str) -> float:
    total = 0.0
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                total += sample.value
    return total


class Server:
    def __init__(self, tmp: Path, workers: int, extra_env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp / "gunicorn.log"
        command = dockerfile_command()
        command[0] = str(Path(sys.executable).parent / command[0])  # the venv's gunicorn
        env = {k: v for k, v in os.environ.items() if k not in {"PROMETHEUS_MULTIPROC_DIR", "MOJAZ_METRICS_MASTER"}}
        env.update(
            MOJAZ_BIND=f"127.0.0.1:{self.port}",
            WEB_CONCURRENCY=str(workers),
            MOJAZ_MODEL="none",
            MOJAZ_CACHE_PATH=str(tmp / "cache.sqlite3"),
            MOJAZ_MAX_BODY_BYTES="200000",
            MOJAZ_GRACEFUL_TIMEOUT="20",
        )
        env.update(extra_env or {})
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, seconds: float = 90) -> dict[str, Any]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited {self.process.returncode}:\n{self.output()}")
            try:
                response = requests.get(f"{self.url}/readyz", timeout=2)
                if response.status_code == 200:
                    return response.json()
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"gunicorn not ready in {seconds} s:\n{self.output()}")

    def output(self) -> str:
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text(errors="replace")[-5000:]

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode


@pytest.fixture(scope="module")
def articles() -> list[dict[str, Any]]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))["articles"]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:  # type: ignore[no-untyped-def]
    running = Server(tmp_path_factory.mktemp("gunicorn"), workers=2)
    try:
        running.wait_ready()
        yield running
    finally:
        running.stop()


def metrics(server: Server) -> str:
    response = requests.get(f"{server.url}/metrics", timeout=10)
    assert response.status_code == 200
    return response.text


def test_readyz_says_extractive(server) -> None:  # type: ignore[no-untyped-def]
    ready = requests.get(f"{server.url}/readyz", timeout=5).json()
    assert ready["mode"] == "extractive" and ready["reason"] == "no model configured"


def test_briefings_and_metrics_add_up_across_workers(server, articles) -> None:  # type: ignore[no-untyped-def]
    before = metrics(server)
    for i in range(6):
        response = requests.post(
            f"{server.url}/v1/briefings", json={"articles": articles}, headers={"X-Request-ID": f"g-{i}"}, timeout=30
        )
        assert response.status_code == 200, response.text
        assert response.headers["X-Request-ID"] == f"g-{i}"
        body = response.json()
        assert body["mode"] == "extractive" and body["key_points"]
    after = metrics(server)
    # Only multiprocess collection sees the requests that the other worker answered.
    assert (
        metric_value(after, "mojaz_http_requests_total", status="200", **ROUTE)
        - metric_value(before, "mojaz_http_requests_total", status="200", **ROUTE)
        == 6
    )
    assert (
        metric_value(after, "mojaz_briefing_stage_seconds_count", stage="total")
        - metric_value(before, "mojaz_briefing_stage_seconds_count", stage="total")
        == 6
    )
    assert metric_value(after, "mojaz_model_info", mode="extractive") >= 1


def test_bad_input_gets_4xx_and_never_kills_a_worker(server, articles) -> None:  # type: ignore[no-untyped-def]
    url = f"{server.url}/v1/briefings"
    big = {"articles": [{"text": "افتتح الجسر الجديد فوق النهر. " * 10_000}]}  # ~300 kB, limit 200 kB
    cases = [
        (requests.post(url, json=big, timeout=30), 413),
        (requests.post(url, data="{", headers={"Content-Type": "application/json"}, timeout=30), 400),
        (requests.post(url, data="x", headers={"Content-Type": "text/plain"}, timeout=30), 415),
        (requests.post(url, json={"articles": [{"text": "no Arabic here at all."}]}, timeout=30), 422),
        (requests.get(url, timeout=30), 405),
        (requests.get(f"{server.url}/missing", timeout=30), 404),
    ]
    for response, status in cases:
        assert response.status_code == status, response.text
        assert response.headers["Content-Type"].startswith("application/problem+json")
    assert requests.post(url, json={"articles": articles}, timeout=30).status_code == 200
    assert "Worker exiting" not in server.output() and "WORKER TIMEOUT" not in server.output()


def test_fifty_requests_eight_at_a_time_zero_errors(server, articles) -> None:  # type: ignore[no-untyped-def]
    before = metrics(server)

    def one(i: int) -> tuple[int, str]:
        subset = articles[i % 3 :]  # three different article sets
        response = requests.post(f"{server.url}/v1/briefings", json={"articles": subset}, timeout=60)
        return response.status_code, response.json().get("mode", "")

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(one, range(50)))
    assert results == [(200, "extractive")] * 50
    moved = metric_value(metrics(server), "mojaz_http_requests_total", **ROUTE) - metric_value(
        before, "mojaz_http_requests_total", **ROUTE
    )
    assert moved == 50


def test_sigterm_stops_gracefully_and_cleans_up(server) -> None:  # type: ignore[no-untyped-def]
    master_pid = server.process.pid
    metrics_dir = Path("/tmp") / f"mojaz-metrics-{master_pid}"
    assert metrics_dir.is_dir() and list(metrics_dir.glob("*.db"))
    assert server.stop() == 0
    assert not metrics_dir.exists()
    lines = [json.loads(line) for line in server.output().splitlines() if line.startswith("{")]
    assert any("Shutting down" in line["message"] or "Handling signal" in line["message"] for line in lines)
