"""Benchmark (not a test): how slow clients affect everyone else, for gunicorn.conf.py's asyncio worker and,
for comparison, gunicorn's threaded worker with the same workers and threads (the former configuration).

For each worker class: start gunicorn on 127.0.0.1 (2 workers, extractive mode), open N connections that
send their headers and half of a valid body, then a byte every second (like a phone on a bad network), and
meanwhile time /healthz probes and briefings from another client. Then the slow clients finish and their
answers are counted. Every request has a client timeout; a timed-out one is shown as such.

    .venv/bin/python scripts/bench_slow_clients.py                   # both worker classes, 64 slow clients
    .venv/bin/python scripts/bench_slow_clients.py --slow 8 --classes gthread
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "service_articles.json"
COMMANDS = {
    "asgi": ["-c", "gunicorn.conf.py", "app.service.asgi:create_asgi_app()"],
    # The former configuration: gunicorn's threaded worker, 4 threads, the plain WSGI app.
    "gthread": ["-c", "gunicorn.conf.py", "--worker-class", "gthread", "--threads", "4", "app:create_app()"],
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def timed(call) -> float | None:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    try:
        response = call()
    except requests.RequestException:
        return None
    return time.perf_counter() - started if response.status_code == 200 else None


def run(worker_class: str, slow_count: int, probes: int, tmp: Path) -> dict[str, object]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k not in {"PROMETHEUS_MULTIPROC_DIR", "MOJAZ_METRICS_MASTER"}}
    env.update(MOJAZ_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="2", MOJAZ_MODEL="none",
               MOJAZ_CACHE_PATH=str(tmp / "cache.sqlite3"))
    log = (tmp / f"{worker_class}.log").open("wb")
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), *COMMANDS[worker_class]],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            try:
                if requests.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        articles = json.loads(FIXTURE.read_text(encoding="utf-8"))["articles"]
        body = json.dumps({"articles": articles[:2]}, ensure_ascii=False).encode()
        head = (f"POST /v1/briefings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
        half = len(body) // 2
        slow = []
        for _ in range(slow_count):
            sock = socket.create_connection(("127.0.0.1", port), timeout=60)
            sock.sendall(head + body[:half])
            slow.append(sock)
        stop = threading.Event()
        sent = [half]

        def trickle() -> None:
            while not stop.wait(1.0) and sent[0] < len(body) - 1:
                for sock in slow:
                    sock.sendall(body[sent[0] : sent[0] + 1])
                sent[0] += 1

        trickler = threading.Thread(target=trickle, daemon=True)
        trickler.start()
        time.sleep(1.0)
        health = [timed(lambda: requests.get(f"{url}/healthz", timeout=5)) for _ in range(probes)]
        briefings = [
            timed(lambda: requests.post(f"{url}/v1/briefings", json={"articles": articles}, timeout=10))
            for _ in range(max(1, probes // 4))
        ]
        stop.set()
        trickler.join()
        for sock in slow:
            sock.sendall(body[sent[0] :])  # the rest at once
        answered = 0
        for sock in slow:
            with contextlib.suppress(OSError):
                answered += sock.recv(64).startswith(b"HTTP/1.1 200")
            sock.close()
        return {"class": worker_class, "slow": slow_count, "health": health, "briefings": briefings,
                "slow_answered": answered}
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def summary(times: list[float | None]) -> str:
    done = [t for t in times if t is not None]
    timed_out = len(times) - len(done)
    if not done:
        return f"all {len(times)} timed out"
    text = f"median {statistics.median(done) * 1000:.0f} ms, max {max(done) * 1000:.0f} ms"
    return text + (f", {timed_out} of {len(times)} timed out" if timed_out else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--slow", type=int, default=64, help="slow-body connections")
    parser.add_argument("--probes", type=int, default=20, help="/healthz probes (a quarter as many briefings)")
    parser.add_argument("--classes", nargs="+", default=list(COMMANDS), choices=list(COMMANDS))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mojaz-slow-") as tmp:
        print("| worker | slow clients | /healthz | briefing (5 articles) | slow clients answered 200 |")
        print("|---|---|---|---|---|")
        for worker_class in args.classes:
            result = run(worker_class, args.slow, args.probes, Path(tmp))
            print(f"| {worker_class} | {args.slow} | {summary(result['health'])} | "  # type: ignore[arg-type]
                  f"{summary(result['briefings'])} | {result['slow_answered']} of {args.slow} |")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
