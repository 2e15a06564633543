"""The daily cache forgets: entries no run used for N days, then the least recently used beyond a size."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import numpy as np

from app.daily.cache import CACHE_FILE, DailyCache
from app.daily.cli import main
from tests.helpers import write_feed
from tests.test_daily_scale import day

DAY = 86_400.0


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now

    def days(self, n: float) -> None:
        self.now += n * DAY


def vector(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).random(64).astype(np.float32)  # 256 bytes


def test_entries_no_run_used_for_n_days_are_dropped(tmp_path: Path) -> None:
    clock = Clock()
    first = DailyCache(tmp_path, max_age_days=7, clock=clock)
    first.put_vectors([("yesterday:a", vector(1)), ("yesterday:b", vector(2))])
    first.put_briefings([("story:1", '{"title": "جسر الملك حمد"}')])
    assert first.evict().expired == 0
    first.close()

    clock.days(5)  # a rerun reads a's opening again: a is used, b and the briefing are not
    rerun = DailyCache(tmp_path, max_age_days=7, clock=clock)
    assert set(rerun.vectors(["yesterday:a"])) == {"yesterday:a"}
    rerun.close()

    clock.days(4)  # nine days after the first run, four after the rerun
    later = DailyCache(tmp_path, max_age_days=7, clock=clock)
    eviction = later.evict()
    assert eviction.expired == 2
    assert set(later.vectors(["yesterday:a", "yesterday:b"])) == {"yesterday:a"}
    assert later.briefings(["story:1"]) == {}
    later.close()


def test_what_this_run_used_is_kept_even_at_zero_days(tmp_path: Path) -> None:
    clock = Clock()
    old = DailyCache(tmp_path, clock=clock)
    old.put_vectors([("old", vector(1)), ("again", vector(2))])
    old.close()
    clock.days(1)
    run = DailyCache(tmp_path, max_age_days=0, clock=clock)
    run.vectors(["again"])
    run.put_vectors([("new", vector(3))])
    clock.days(0.01)  # the run took a while
    assert run.evict().expired == 1
    assert set(run.vectors(["old", "again", "new"])) == {"again", "new"}
    run.close()


def test_beyond_the_size_cap_the_least_recently_used_go_first(tmp_path: Path) -> None:
    clock = Clock()
    cache = DailyCache(tmp_path, max_bytes=1_000, clock=clock)
    for k in range(6):  # each entry: a 256-byte vector and a short key
        cache.put_vectors([(f"k{k}", vector(k))])
        clock.days(0.1)
    cache.vectors(["k0"])  # read again: now the most recently used
    eviction = cache.evict()

    assert eviction.over_size == 3 and eviction.bytes_kept <= 1_000
    assert set(cache.vectors([f"k{k}" for k in range(6)])) == {"k0", "k4", "k5"}
    cache.close()


def test_a_cache_written_before_use_times_is_read_and_kept(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / CACHE_FILE)
    conn.execute("CREATE TABLE openings (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
    conn.execute("CREATE TABLE briefings (key TEXT PRIMARY KEY, briefing TEXT NOT NULL)")
    conn.execute("INSERT INTO openings VALUES (?, ?)", ("old", vector(1).tobytes()))
    conn.commit()
    conn.close()

    cache = DailyCache(tmp_path)
    assert cache.enabled and cache.evict().expired == 0
    assert np.array_equal(cache.vectors(["old"])["old"], vector(1))
    cache.close()



def test_daily_cli_evicts_at_the_end_of_a_run(tmp_path: Path) -> None:
    articles = day()
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = write_feed(tmp_path / "first.jsonl", articles[:7])
    second = write_feed(tmp_path / "second.jsonl", articles[7:])
    common = ["--date", date(2024, 5, 12).isoformat(), "--tz", "UTC", "--model", "none", "--out", str(out),
              "--cache-dir", str(cache), "--no-meaning-check"]

    assert main([str(first), *common]) == 0
    kept = json.loads((out / "2024-05-12.json").read_text(encoding="utf-8"))["cache"]
    assert kept["entries_expired"] == 0 and kept["bytes_kept"] > 0

    # Another feed with nothing in common: at 0 days, the first run's briefings go.
    assert main([str(second), *common, "--cache-days", "0"]) == 0
    counts = json.loads((out / "2024-05-12.json").read_text(encoding="utf-8"))["cache"]
    assert counts["entries_expired"] >= 1
    assert main([str(second), *common, "--cache-days", "-1"]) == 2  # a bad value: usage error
