#!/usr/bin/env python
"""Benchmark the daily briefing on the busiest day of SaudiNewsNet, extractive mode, in this process.

    .venv/bin/python scripts/bench_daily.py [--feed ../shared/data/saudinewsnet-5k.jsonl] [--runs 2]

Prints wall time per stage and peak memory (max RSS); bar: a full day in <= 60 s on the 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.daily.pipeline import run_daily  # noqa: E402
from app.daily.runner import InProcessRunner  # noqa: E402

DEFAULT_FEED = ROOT.parent / "shared" / "data" / "saudinewsnet-5k.jsonl"


def busiest_day(feed: Path) -> tuple[date, int]:
    days = Counter()
    with feed.open(encoding="utf-8") as lines:
        for line in lines:
            days[json.loads(line)["date"][:10]] += 1
    day, count = days.most_common(1)[0]
    return date.fromisoformat(day), count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feed", type=Path, default=DEFAULT_FEED)
    parser.add_argument("--runs", type=int, default=2, help="the first run includes imports and warm-up")
    args = parser.parse_args()
    if not args.feed.exists():
        print(f"bench_daily: feed not found: {args.feed}", file=sys.stderr)
        return 1
    day, count = busiest_day(args.feed)
    print(f"feed {args.feed.name}: busiest day {day} ({count} articles by the feed's date)")
    with tempfile.TemporaryDirectory() as out:
        for run in range(1, args.runs + 1):
            started = time.perf_counter()
            result = run_daily(args.feed, day, UTC, Path(out), InProcessRunner())
            wall = time.perf_counter() - started
            counts = result.report.counts
            sizes = {p.suffix: p.stat().st_size // 1024 for p in result.files}
            print(
                f"run {run}: {wall:.2f} s wall | stages {result.report.timings} | "
                f"{counts.articles_on_day} articles -> {counts.stories} stories "
                f"({sum(1 for s in result.report.stories if len(s.outlets) >= 2)} multi-outlet, "
                f"{sum(len(s.articles) for s in result.report.stories)} articles), "
                f"{counts.other_news} other news | files KiB {sizes}"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS of the process): {peak:.0f} MiB")
    print(f"mode: {result.report.mode}; bar: <= 60 s -> {'PASS' if wall <= 60 else 'FAIL'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
