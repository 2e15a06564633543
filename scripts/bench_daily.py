#!/usr/bin/env python
"""Benchmark the daily report at a day's size: 500 / 1,000 / full day (3,089) / 10,000 articles, and an hourly rerun.

    flock /tmp/mojaz-bench.lock .venv/bin/python scripts/bench_daily.py [--sizes 500,1000,full,10000] [--no-rerun]

Each size runs the real command (`python -m app daily ... --date 2015-08-06`, extractive, meaning check on, a
fresh cache) in its own process, so wall time, CPU time and peak memory (max RSS) are that run's alone. 500 and
1,000 are seeded samples of the full day; "full" is ../shared/data/saudinewsnet-2015-08-06.jsonl as it is
(3,089 articles on the Riyadh date); 10,000 joins the full day with every day of saudinewsnet-5k.jsonl, all
re-dated to the one day and re-id'd, topped up with re-id'd copies of 5k articles (copies of one text are
near-duplicates: they join stories without an embedding). The rerun adds 100 articles of other days to the full
day and runs again on the first run's cache. Stage times come from the report's own timings.
Bars: full day <= 60 s and <= 1 GB; 10,000 <= 5 min; a 100-article rerun in seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
FULL_DAY = DATA / "saudinewsnet-2015-08-06.jsonl"
OTHER_DAYS = DATA / "saudinewsnet-5k.jsonl"
DAY = "2015-08-06"


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _redated(row: dict, new_id: str) -> dict:
    return {**row, "id": new_id, "date": f"{DAY} 12:00:00"}


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def build_feeds(work: Path, sizes: list[str]) -> dict[str, tuple[Path, str]]:
    """size label -> (feed, time zone)."""
    full = _rows(FULL_DAY)
    feeds: dict[str, tuple[Path, str]] = {}
    rng = random.Random(20150806)
    for label in sizes:
        if label == "full":
            feeds[label] = (FULL_DAY, "Asia/Riyadh")
        elif label == "10000":
            others = [r for r in _rows(OTHER_DAYS) if not r.get("date", "").startswith(DAY)]
            rows = [_redated(r, f"full-{r['id']}") for r in full]
            rows += [_redated(r, f"joined-{r['id']}") for r in others]
            copies = 0
            while len(rows) < 10_000:
                r = others[copies % len(others)]
                rows.append(_redated(r, f"copy{copies}-{r['id']}"))
                copies += 1
            feeds[label] = (_write(work / "10000.jsonl", rows[:10_000]), "UTC")
        else:
            sample = rng.sample(full, int(label))
            feeds[label] = (_write(work / f"{label}.jsonl", [_redated(r, r["id"]) for r in sample]), "UTC")
    return feeds


def run_once(feed: Path, zone: str, out: Path, cache: Path) -> dict:
    command = [
        sys.executable, "-m", "app", "daily", str(feed), "--date", DAY, "--tz", zone,
        "--out", str(out), "--cache-dir", str(cache), "--model", "none",
    ]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    stderr = process.stderr.read() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"bench_daily: run failed: {stderr.strip()}")
    report = json.loads((out / f"{DAY}.json").read_text(encoding="utf-8"))
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mib": usage.ru_maxrss / 1024,
        "report": report,
        "md_kib": (out / f"{DAY}.md").stat().st_size / 1024,
        "html_kib": (out / f"{DAY}.html").stat().st_size / 1024,
    }


def describe(label: str, result: dict) -> str:
    report = result["report"]
    counts, timings, cache = report["counts"], report["timings"], report["cache"]
    stages = {k: v for k, v in timings.items() if k in ("read", "group", "briefings", "sections", "write")}
    group = {k.split(".", 1)[1]: v for k, v in timings.items() if k.startswith("group.")}
    return (
        f"| {label} | {counts['articles_on_day']} | {result['wall']:.1f} | {result['cpu']:.1f} | "
        f"{result['peak_mib']:.0f} | {counts['stories']} ({counts['briefed_stories']} briefed) | "
        f"{cache.get('openings_needed', 0)} needed, {cache.get('openings_embedded', 0)} embedded | "
        f"{result['md_kib']:.0f} / {result['html_kib']:.0f} | {stages} | {group} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,1000,full,10000", help="comma-separated: 500, 1000, full, 10000")
    parser.add_argument("--no-rerun", action="store_true", help="skip the hourly rerun")
    args = parser.parse_args()
    if not FULL_DAY.exists() or not OTHER_DAYS.exists():
        print(f"bench_daily: data not found under {DATA}", file=sys.stderr)
        return 1
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    print(f"{os.cpu_count()} CPUs; load average before: {os.getloadavg()[0]:.1f}")
    print(
        "| articles | on the day | wall s | CPU s | peak MiB | stories | openings | md / html KiB "
        "| stages s | grouping s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="bench-daily-") as tmp:
        work = Path(tmp)
        feeds = build_feeds(work, sizes)
        results = {}
        for label in sizes:
            feed, zone = feeds[label]
            out, cache = work / f"out-{label}", work / f"cache-{label}"
            results[label] = run_once(feed, zone, out, cache)
            print(describe(label, results[label]), flush=True)
        if "full" in results and not args.no_rerun:
            # The next hour: 100 more articles (other days' news, re-dated), on the first run's cache.
            extra = [r for r in _rows(OTHER_DAYS) if not r.get("date", "").startswith(DAY)]
            picked = random.Random(7).sample(extra, 100)
            more = [{**r, "id": f"new-{r['id']}", "date": f"{DAY} 20:00:00"} for r in picked]
            rerun_feed = _write(work / "rerun.jsonl", _rows(FULL_DAY) + more)
            rerun = run_once(rerun_feed, "Asia/Riyadh", work / "out-full", work / "cache-full")
            print(describe("full + 100 new (rerun)", rerun))
            cache = rerun["report"]["cache"]
            print(
                f"rerun cache: {cache.get('openings_cached', 0)} openings read, "
                f"{cache.get('openings_embedded', 0)} embedded, {cache.get('briefings_reused', 0)} briefings reused"
            )
        for label, result in results.items():
            if label == "full":
                ok = result["wall"] <= 60 and result["peak_mib"] <= 1024 and result["md_kib"] <= 200
                print(f"full day: {'PASS' if ok else 'FAIL'} (<= 60 s, <= 1 GB, Markdown <= 200 KB)")
            if label == "10000":
                ok = result["wall"] <= 300 and result["md_kib"] <= 200
                print(f"10,000: {'PASS' if ok else 'FAIL'} (<= 5 min, Markdown <= 200 KB)")
    print(f"load average after: {os.getloadavg()[0]:.1f} (other work on the machine inflates wall times)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
