"""Benchmark: extractive briefing latency for 5, 10 and 100 articles, after import.

    flock /tmp/mojaz-bench.lock .venv/bin/python scripts/bench_engine.py [--data ../shared/data] [--repeat 5]

5 articles: the real kadhimi-visit set; 10 articles: MultiLing 2011 topic M000 (one event, 10 reports);
100 articles: the first 100 of saudinewsnet-5k.jsonl. Reports the engine's own time (the briefing's
"total" timing: preparation, selection, headline, order) and the wall time of the call, median and max
of --repeat runs, after one warm-up run on the example set. Bars: 10 articles <= 0.3 s, 100 <= 1.5 s.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.article_files import load_articles  # noqa: E402
from app.articles import article_from_mapping  # noqa: E402
from app.engine import build_briefing  # noqa: E402
from app.jsonl import read_rows  # noqa: E402
from evaluation.multiling import load_topics  # noqa: E402


def timed(articles, repeat: int) -> tuple[list[float], list[float], list[float]]:
    """Engine time (the briefing's own "total"), wall time of the call, and the process's CPU time for it
    (the CPU time shows the work when other jobs share the cores)."""
    engine, wall, cpu = [], [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        briefing = build_briefing(articles)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        engine.append(briefing.timings["total"])
    return engine, wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"bench_engine: no data folder at {args.data}", file=sys.stderr)
        return 2
    build_briefing(load_articles([ROOT / "examples" / "summit"]))  # warm-up: lazy imports, prompt files
    five = load_articles([args.data / "kadhimi-visit"])
    ten = load_topics(args.data / "multiling2011-dev.jsonl")[0].articles
    feed = islice(read_rows(args.data / "saudinewsnet-5k.jsonl"), 100)
    hundred = [article_from_mapping(row.value, row.where) for row in feed]
    for name, articles in (("5 articles", five), ("10 articles", ten), ("100 articles", hundred)):
        engine, wall, cpu = timed(articles, args.repeat)
        characters = sum(len(a.text) for a in articles)
        print(
            f"{name}: engine median {statistics.median(engine):.3f} s, max {max(engine):.3f} s; "
            f"call median {statistics.median(wall):.3f} s; CPU median {statistics.median(cpu):.3f} s "
            f"over {args.repeat} runs ({characters:,} characters)"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
