"""What a daily run keeps for the next one: opening embeddings and story briefings, in one SQLite file.

The job reruns every hour as articles arrive. An opening's embedding depends only on the article (its id and
the hash of the text embedded), and a story's briefing only on its articles and the briefing settings, so both
are looked up before anything is computed. A cache that cannot be opened or written is a slower run, never a
failed one: every error turns the cache off for the rest of the run.

Every entry records when a run last used it. At the end of each run, entries no run has used for `max_age_days`
are dropped, and then, while the entries together exceed `max_bytes`, the least recently used ones: yesterday's
articles come back in today's feed for a day or two, last month's do not.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.articles import Article

log = logging.getLogger(__name__)

CACHE_FILE = "daily-cache.sqlite3"
DEFAULT_MAX_AGE_DAYS = 7.0
DEFAULT_MAX_MB = 256.0
_DAY = 86_400.0
# table -> its payload column
_TABLES = {"openings": "vector", "briefings": "briefing"}
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS openings (key TEXT PRIMARY KEY, vector BLOB NOT NULL, used REAL NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS briefings (key TEXT PRIMARY KEY, briefing TEXT NOT NULL, used REAL NOT NULL DEFAULT 0)",
)


@dataclass(frozen=True)
class Eviction:
    expired: int = 0  # entries not used for max_age_days
    over_size: int = 0  # least recently used entries dropped to fit max_bytes
    bytes_kept: int = 0


def text_hash(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()[:32]


def article_key(article: Article) -> str:
    """An article as the cache knows it: its id and the hash of its headline and text."""
    return f"{article.id}:{text_hash(article.title, article.text)}"


_APP = Path(__file__).resolve().parents[1]


def rules_fingerprint(prompts_folder: Path) -> str:
    """What makes a briefing besides its articles and settings: the product's code and the editors' prompts.
    A briefing cached under other rules (an edited cue list, a new release) is made again, not served stale.
    Read once per run (about 4 ms)."""
    digest = hashlib.sha256()
    files = [*sorted(_APP.rglob("*.py")), *sorted(p for p in prompts_folder.rglob("*") if p.is_file())]
    for path in files:
        digest.update(path.name.encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def story_key(articles: Iterable[Article], settings: str) -> str:
    """A story's briefing key: its articles (order-free) and the settings the briefing was made with."""
    return text_hash(settings, *sorted(article_key(a) for a in articles))


class DailyCache:
    """One SQLite file (WAL, so a reader and the next run's writer do not block each other)."""

    def __init__(
        self,
        directory: Path,
        *,
        max_age_days: float = DEFAULT_MAX_AGE_DAYS,
        max_bytes: int = int(DEFAULT_MAX_MB * 2**20),
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = Path(directory) / CACHE_FILE
        self.max_age_days = max_age_days
        self.max_bytes = max_bytes
        self._clock = clock
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._opened = clock()  # what this run used is never evicted by this run
        self.hits = {"openings": 0, "briefings": 0}
        self.misses = {"openings": 0, "briefings": 0}
        conn: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA auto_vacuum=INCREMENTAL")  # takes effect on a new file: evicted pages are returned
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            for statement in _SCHEMA:
                conn.execute(statement)
            for table in _TABLES:  # a cache written before entries recorded their use: count them used now
                columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
                if "used" not in columns:
                    conn.execute(f"ALTER TABLE {table} ADD COLUMN used REAL NOT NULL DEFAULT 0")
                    conn.execute(f"UPDATE {table} SET used = ?", (self._clock(),))
            self._conn = conn
        except (sqlite3.Error, OSError) as exc:
            if conn is not None:
                conn.close()
            self._disable(exc)

    @property
    def enabled(self) -> bool:
        return self._conn is not None

    def _disable(self, exc: Exception) -> None:
        log.warning("daily cache %s turned off: %s", self.path, exc)
        if self._conn is not None:
            self._conn.close()
        self._conn = None

    def _get(self, table: str, column: str, keys: Sequence[str]) -> dict[str, object]:
        if self._conn is None or not keys:
            return {}
        found: dict[str, object] = {}
        try:
            with self._lock:
                for start in range(0, len(keys), 500):  # SQLite's limit on bound parameters
                    chunk = list(keys[start : start + 500])
                    marks = ",".join("?" * len(chunk))
                    query = f"SELECT key, {column} FROM {table} WHERE key IN ({marks})"
                    found.update(self._conn.execute(query, chunk).fetchall())
        except sqlite3.Error as exc:
            self._disable(exc)
            return {}
        self._touch(table, list(found))
        self.hits[table] += len(found)
        self.misses[table] += len(set(keys)) - len(found)
        return found

    def _touch(self, table: str, keys: list[str]) -> None:
        if self._conn is None or not keys:
            return
        try:
            with self._lock:
                self._conn.execute("BEGIN")
                now = self._clock()
                for start in range(0, len(keys), 500):
                    chunk = keys[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    self._conn.execute(f"UPDATE {table} SET used = ? WHERE key IN ({marks})", [now, *chunk])
                self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._disable(exc)

    def _put(self, table: str, rows: Sequence[tuple[str, object]]) -> None:
        if self._conn is None or not rows:
            return
        try:
            with self._lock:
                self._conn.execute("BEGIN")
                now = self._clock()
                self._conn.executemany(
                    f"INSERT OR REPLACE INTO {table} (key, {_TABLES[table]}, used) VALUES (?, ?, ?)",
                    [(key, value, now) for key, value in rows],
                )
                self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._disable(exc)

    def vectors(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        return {k: np.frombuffer(v, dtype=np.float32) for k, v in self._get("openings", "vector", keys).items()}  # type: ignore[arg-type]

    def put_vectors(self, items: Iterable[tuple[str, np.ndarray]]) -> None:
        self._put("openings", [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items])

    def briefings(self, keys: Sequence[str]) -> dict[str, str]:
        return {k: str(v) for k, v in self._get("briefings", "briefing", keys).items()}

    def put_briefings(self, items: Iterable[tuple[str, str]]) -> None:
        self._put("briefings", list(items))

    def evict(self) -> Eviction:
        """Drop what no run used for `max_age_days` (never what this run used), then the least recently used
        entries while all of them together exceed `max_bytes`."""
        if self._conn is None:
            return Eviction()
        try:
            with self._lock:
                self._conn.execute("BEGIN")
                cutoff = min(self._clock() - self.max_age_days * _DAY, self._opened)
                expired = sum(
                    self._conn.execute(f"DELETE FROM {table} WHERE used < ?", (cutoff,)).rowcount for table in _TABLES
                )
                sizes = " UNION ALL ".join(
                    f"SELECT '{table}', key, used, LENGTH(key) + LENGTH(CAST({column} AS BLOB)) FROM {table}"
                    for table, column in _TABLES.items()
                )
                kept, drop = 0, []
                for table, key, _, size in self._conn.execute(f"{sizes} ORDER BY 3 DESC, 2"):
                    if not drop and kept + size <= self.max_bytes:
                        kept += size
                    else:  # the first entry that does not fit, and every entry used before it
                        drop.append((table, key))
                for table in _TABLES:
                    self._conn.executemany(f"DELETE FROM {table} WHERE key = ?", [(k,) for t, k in drop if t == table])
                self._conn.execute("COMMIT")
                if expired or drop:
                    self._conn.execute("PRAGMA incremental_vacuum")
        except sqlite3.Error as exc:
            self._disable(exc)
            return Eviction()
        return Eviction(expired=expired, over_size=len(drop), bytes_kept=kept)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
