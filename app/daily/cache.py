"""What a daily run keeps for the next one: opening embeddings and story briefings, in one SQLite file.

The job reruns every hour as articles arrive. An opening's embedding depends only on the article (its id and
the hash of the text embedded), and a story's briefing only on its articles and the briefing settings, so both
are looked up before anything is computed. A cache that cannot be opened or written is a slower run, never a
failed one: every error turns the cache off for the rest of the run.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from app.articles import Article

log = logging.getLogger(__name__)

CACHE_FILE = "daily-cache.sqlite3"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS openings (key TEXT PRIMARY KEY, vector BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS briefings (key TEXT PRIMARY KEY, briefing TEXT NOT NULL)",
)


def text_hash(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()[:32]


def article_key(article: Article) -> str:
    """An article as the cache knows it: its id and the hash of its headline and text."""
    return f"{article.id}:{text_hash(article.title, article.text)}"


def story_key(articles: Iterable[Article], settings: str) -> str:
    """A story's briefing key: its articles (order-free) and the settings the briefing was made with."""
    return text_hash(settings, *sorted(article_key(a) for a in articles))


class DailyCache:
    """One SQLite file (WAL, so a reader and the next run's writer do not block each other)."""

    def __init__(self, directory: Path) -> None:
        self.path = Path(directory) / CACHE_FILE
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self.hits = {"openings": 0, "briefings": 0}
        self.misses = {"openings": 0, "briefings": 0}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            for statement in _SCHEMA:
                conn.execute(statement)
            self._conn = conn
        except (sqlite3.Error, OSError) as exc:
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
        self.hits[table] += len(found)
        self.misses[table] += len(set(keys)) - len(found)
        return found

    def _put(self, table: str, rows: Sequence[tuple[str, object]]) -> None:
        if self._conn is None or not rows:
            return
        try:
            with self._lock:
                self._conn.execute("BEGIN")
                self._conn.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", rows)
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

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
