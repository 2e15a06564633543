"""Benchmark of the HTTP service (not a test): requests/s, p50/p95 latency and memory per worker.

Starts the Dockerfile's gunicorn command on 127.0.0.1 for each (mode, workers) pair and POSTs 5-article
sets to /v1/briefings from a thread pool on the same machine (the client competes for the same cores).

    .venv/bin/python scripts/bench_service.py                       # all modes, 1 and 2 workers
    .venv/bin/python scripts/bench_service.py --modes extractive --workers 2 --requests 100

Modes:
  extractive       no model (MOJAZ_MODEL=none)
  tiny-cold        the tiny random-weight model from scripts/make_tiny_model.py; every request carries
                   new article text, so every article is generated (cache misses)
  tiny-cached      the same model, the same article set each time: summaries come from the cache

Articles: the five real articles in ../shared/data/kadhimi-visit when present, else examples/summit.
Memory: RSS and PSS (RSS with shared pages split between the processes that share them) of every
worker, read from /proc after the run; with preload the workers share the model's pages, which PSS shows.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.article_files import load_articles  # noqa: E402

SHARED_SET = ROOT.parent / "shared" / "data" / "kadhimi-visit"
EXAMPLE_SET = ROOT / "examples" / "summit"
TINY_MODEL = ROOT / "var" / "bench" / "tiny-model"
MODES = ("extractive", "tiny-cold", "tiny-cached")


def article_set() -> tuple[str, list[dict[str, Any]]]:
    folder = SHARED_SET if SHARED_SET.is_dir() else EXAMPLE_SET
    articles = load_articles([folder])[:5]
    payload = [
        {
            "id": a.id,
            "title": a.title,
            "text": a.text,
            "source": a.source,
            "url": a.url,
            "published_at": a.published_at.isoformat() if a.published_at else None,
        }
        for a in articles
    ]
    return folder.relative_to(ROOT.parent).as_posix(), [{k: v for k, v in p.items() if v} for p in payload]


def unique(articles: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """The same set with a new opening sentence in every article, so no summary is in the cache."""
    return [{**a, "text": fresh_sentence(n * 10 + i) + a["text"]} for i, a in enumerate(articles)]


def fresh_sentence(number: int) -> str:
    # A full sentence: the engine drops two- or three-word fragments, which would leave the text unchanged.
    return f"وقال مراسلنا إن عدد الصحفيين الذين حضروا اللقاء بلغ {number + 3} صحفيا من دول عدة. "


def dockerfile_command() -> list[str]:
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("CMD "):
            command = json.loads(line[4:])
            command[0] = str(Path(sys.executable).parent / command[0])
            return command
    raise SystemExit("Dockerfile has no CMD")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.extend(int(p) for p in text)
    return found


def memory_mib(pid: int) -> tuple[float, float]:
    rss = pss = 0.0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Rss:"):
            rss = int(line.split()[1]) / 1024
        elif line.startswith("Pss:"):
            pss = int(line.split()[1]) / 1024
    return rss, pss


@dataclass
class Result:
    mode: str
    workers: int
    requests: int
    concurrency: int
    rps: float
    p50_ms: float
    p95_ms: float
    errors: int
    worker_rss: list[float]
    worker_pss: list[float]
    master_rss: float
    load_seconds: float


def run_one(mode: str, workers: int, n: int, concurrency: int, articles: list[dict[str, Any]]) -> Result:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    tmp = Path(tempfile.mkdtemp(prefix="mojaz-bench-"))
    env = {k: v for k, v in os.environ.items() if k not in {"PROMETHEUS_MULTIPROC_DIR", "MOJAZ_METRICS_MASTER"}}
    env.update(
        MOJAZ_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=str(workers),
        MOJAZ_MODEL="none" if mode == "extractive" else str(TINY_MODEL),
        MOJAZ_CACHE_PATH=str(tmp / "cache.sqlite3"),
        MOJAZ_LOG_LEVEL="WARNING",
    )
    log = (tmp / "gunicorn.log").open("wb")
    server = subprocess.Popen(dockerfile_command(), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not start; see {tmp / 'gunicorn.log'}")
            try:
                ready = requests.get(f"{url}/readyz", timeout=2)
                if ready.status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        expected = "extractive" if mode == "extractive" else "abstractive+extractive"
        if ready.json()["mode"] != expected:
            raise SystemExit(f"{mode}: service runs {ready.json()}")

        def body(i: int) -> dict[str, Any]:
            return {"articles": unique(articles, i) if mode == "tiny-cold" else articles}

        session_pool = [requests.Session() for _ in range(concurrency)]

        def one(i: int) -> tuple[float, bool]:
            started = time.perf_counter()
            response = session_pool[i % concurrency].post(f"{url}/v1/briefings", json=body(i), timeout=300)
            ok = response.status_code == 200 and response.json()["mode"] == expected
            return time.perf_counter() - started, ok

        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            list(pool.map(one, range(-4 * workers, 0)))  # warm every worker (first generate, caches)
            started = time.perf_counter()
            results = list(pool.map(one, range(n)))
            wall = time.perf_counter() - started
        latencies = sorted(r[0] * 1000 for r in results)
        cuts = statistics.quantiles(latencies, n=100)
        pids = children(server.pid)
        memories = [memory_mib(pid) for pid in pids]
        return Result(
            mode=mode,
            workers=workers,
            requests=n,
            concurrency=concurrency,
            rps=n / wall,
            p50_ms=cuts[49],
            p95_ms=cuts[94],
            errors=sum(not ok for _, ok in results),
            worker_rss=[m[0] for m in memories],
            worker_pss=[m[1] for m in memories],
            master_rss=memory_mib(server.pid)[0],
            load_seconds=float(ready.json().get("load_seconds") or 0),
        )
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--requests", type=int, default=100, help="timed requests per run")
    parser.add_argument("--concurrency", type=int, default=4, help="requests in flight at once")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    modes = [m for m in args.modes.split(",") if m]
    unknown = set(modes) - set(MODES)
    if unknown:
        parser.error(f"unknown mode {', '.join(sorted(unknown))}; choose from {', '.join(MODES)}")
    if any(m.startswith("tiny") for m in modes) and not (TINY_MODEL / "config.json").exists():
        from scripts.make_tiny_model import build_tiny_model

        build_tiny_model(TINY_MODEL)
    source, articles = article_set()
    words = sum(len(a["text"].split()) for a in articles)
    print(f"article set: {source} ({len(articles)} articles, {words} words); {os.cpu_count()} CPUs", flush=True)
    results = []
    for mode in modes:
        for workers in [int(w) for w in args.workers.split(",")]:
            result = run_one(mode, workers, args.requests, args.concurrency, articles)
            results.append(result)
            print(f"  {mode} x{workers}: {result.rps:.1f} req/s", file=sys.stderr, flush=True)

    print("\n| mode | workers | requests (in flight) | req/s | p50 ms | p95 ms | errors | RSS per worker MiB "
          "| PSS per worker MiB | master RSS MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        rss = "/".join(f"{v:.0f}" for v in r.worker_rss)
        pss = "/".join(f"{v:.0f}" for v in r.worker_pss)
        print(f"| {r.mode} | {r.workers} | {r.requests} ({r.concurrency}) | {r.rps:.1f} | {r.p50_ms:.0f} "
              f"| {r.p95_ms:.0f} | {r.errors} | {rss} | {pss} | {r.master_rss:.0f} |")
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in results], indent=2))
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
