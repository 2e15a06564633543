"""Per-article summary cache in SQLite, shared by every gunicorn worker process on the machine.

The key is a hash of the model id, the generation settings and the article text, so a change to any of
them misses. The value is the model's raw summary, before the fact guard, which runs on every call
(it is cheap and depends on the fallback sentence the engine picks). WAL mode lets readers and one
writer work at once; each operation opens its own short-lived connection, so forked workers never share
one. Any SQLite failure turns the cache off for this process instead of failing the briefing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import time
from collections.abc import Iterable, Mapping
from contextlib import closing
from pathlib import Path

log = logging.getLogger(__name__)

_SCHEMA = """CREATE TABLE IF NOT EXISTS summaries (
    key TEXT PRIMARY KEY,
    summary TEXT NOT NULL,
    created REAL NOT NULL
)"""


def cache_key(model_id: str, settings: Mapping[str, object], text: str) -> str:
    digest = hashlib.sha256()
    digest.update(model_id.encode("utf-8"))
    digest.update(b"\x00")
    digest.update(json.dumps(settings, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    digest.update(b"\x00")
    digest.update(text.encode("utf-8"))
    return digest.hexdigest()


class SummaryCache:
    def __init__(self, path: str | Path, timeout_s: float = 10.0) -> None:
        self.path = Path(path)
        self.timeout_s = timeout_s
        self._ready = False
        self.disabled_reason: str | None = None

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=self.timeout_s, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {int(self.timeout_s * 1000)}")
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute(_SCHEMA)
            self._ready = True
        conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    def _fail(self, error: Exception) -> None:
        self.disabled_reason = f"summary cache off: {type(error).__name__}: {error}"
        log.warning(self.disabled_reason)

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        keys = list(dict.fromkeys(keys))
        if not keys or self.disabled_reason:
            return {}
        try:
            with closing(self._connect()) as conn:
                found: dict[str, str] = {}
                for start in range(0, len(keys), 500):  # stay under SQLite's bound-parameter limit
                    part = keys[start : start + 500]
                    marks = ",".join("?" * len(part))
                    rows = conn.execute(f"SELECT key, summary FROM summaries WHERE key IN ({marks})", part)
                    found.update(dict(rows.fetchall()))
                return found
        except (sqlite3.Error, OSError) as error:
            self._fail(error)
            return {}

    def put_many(self, items: Mapping[str, str]) -> None:
        if not items or self.disabled_reason:
            return
        now = time.time()
        try:
            with closing(self._connect()) as conn:
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany(
                    "INSERT OR REPLACE INTO summaries (key, summary, created) VALUES (?, ?, ?)",
                    [(key, summary, now) for key, summary in items.items()],
                )
                conn.execute("COMMIT")
        except (sqlite3.Error, OSError) as error:
            self._fail(error)
