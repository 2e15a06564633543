"""Slow and hostile clients against the real gunicorn command (the Dockerfile's CMD) on 127.0.0.1: 64
connections that trickle their bodies cost the others nothing, a chunked body over the limit gets 413, a
body that never finishes gets 408, and a briefing past MOJAZ_REQUEST_TIMEOUT gets 503 while the worker
goes on answering."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
from test_service_gunicorn import Server

FIXTURE = Path(__file__).parent / "fixtures" / "service_articles.json"
SLOW_CLIENTS = 64


@pytest.fixture(scope="module")
def articles() -> list[dict[str, Any]]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))["articles"]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:  # type: ignore[no-untyped-def]
    # Two workers of four threads, as the README starts it; a short body deadline for the 408 case.
    running = Server(tmp_path_factory.mktemp("slow"), workers=2, extra_env={"MOJAZ_BODY_TIMEOUT": "3"})
    try:
        running.wait_ready()
        yield running
    finally:
        running.stop()


def request_head(port: int, body: bytes, extra: str = "") -> bytes:
    return (
        f"POST /v1/briefings HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n{extra}Connection: close\r\n\r\n"
    ).encode()


def read_status(sock: socket.socket) -> int:
    data = b""
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return int(data.split(b" ", 2)[1])


def timed_get(url: str, timeout: float) -> tuple[int, float]:
    started = time.perf_counter()
    response = requests.get(url, timeout=timeout)
    return response.status_code, time.perf_counter() - started


def test_64_slow_bodies_cost_the_others_nothing(server, articles) -> None:  # type: ignore[no-untyped-def]
    body = json.dumps({"articles": articles[:2]}, ensure_ascii=False).encode()
    half = len(body) // 2
    slow = []
    try:
        for _ in range(SLOW_CLIENTS):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
            sock.sendall(request_head(server.port, body) + body[:half])
            slow.append(sock)
        time.sleep(0.5)
        for sock in slow:  # still trickling
            sock.sendall(body[half : half + 1])

        health = [timed_get(f"{server.url}/healthz", timeout=5) for _ in range(5)]
        started = time.perf_counter()
        briefing = requests.post(f"{server.url}/v1/briefings", json={"articles": articles}, timeout=10)
        briefing_seconds = time.perf_counter() - started
        # Generous bounds for a loaded 2-core CI machine; under the old gthread config every one of these
        # timed out (all 8 threads were reading slow bodies). scripts/bench_slow_clients.py measures.
        assert all(status == 200 for status, _ in health), health
        assert max(seconds for _, seconds in health) <= 1.0, health
        assert briefing.status_code == 200 and briefing.json()["key_points"]
        assert briefing_seconds <= 5.0, briefing_seconds

        for sock in slow:  # the slow clients finish and are answered too
            sock.sendall(body[half + 1 :])
        statuses = [read_status(sock) for sock in slow]
        assert statuses == [200] * SLOW_CLIENTS
    finally:
        for sock in slow:
            sock.close()


def chunked(body: bytes, size: int = 8192) -> Iterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


def test_chunked_body_over_the_limit_is_413_not_cut(server) -> None:  # type: ignore[no-untyped-def]
    # The server's limit is 200,000 bytes (MOJAZ_MAX_BODY_BYTES in Server); this body is 260,000.
    text = "افتتح الجسر الجديد فوق النهر. " * 5_000
    body = json.dumps({"articles": [{"text": text}]}, ensure_ascii=False).encode()
    assert len(body) > 200_000
    response = requests.post(
        f"{server.url}/v1/briefings", data=chunked(body), headers={"Content-Type": "application/json"}, timeout=30
    )
    assert response.status_code == 413, response.text
    assert response.json()["field"] == "body" and "MOJAZ_MAX_BODY_BYTES" in response.json()["detail"]
    small = json.dumps({"articles": [{"text": "افتتح وزير النقل الجسر الجديد فوق النهر صباح الأحد. " * 20}]}).encode()
    response = requests.post(
        f"{server.url}/v1/briefings", data=chunked(small, 100), headers={"Content-Type": "application/json"}, timeout=30
    )
    assert response.status_code == 200, response.text


def test_a_body_that_never_finishes_gets_408(server) -> None:  # type: ignore[no-untyped-def]
    body = b'{"articles": [{"text": "' + "نص".encode() * 50
    with socket.create_connection(("127.0.0.1", server.port), timeout=15) as sock:
        sock.sendall(request_head(server.port, body + b"x" * 1000) + body)
        started = time.perf_counter()
        assert read_status(sock) == 408
        assert time.perf_counter() - started < 10


def test_many_at_once_with_slow_clients_zero_errors(server, articles) -> None:  # type: ignore[no-untyped-def]
    def one(i: int) -> int:
        return requests.post(f"{server.url}/v1/briefings", json={"articles": articles[i % 3 :]}, timeout=60).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(one, range(16))) == [200] * 16
