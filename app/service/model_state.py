"""The model stage as the service sees it: loaded once (before fork, or in a background thread),
reported by /readyz and in every briefing."""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable

from app import deadline
from app.config import Settings
from app.service.metrics import record_model, record_summaries
from app.summarizer import ArticleSummarizer, ModelStatus, SummaryRequest, SummaryResult

logger = logging.getLogger("mojaz.model")

ARTICLES_PER_CALL = 4
Loader = Callable[[Settings], tuple[ArticleSummarizer | None, ModelStatus]]


def load_model_stage(settings: Settings) -> tuple[ArticleSummarizer | None, ModelStatus]:
    """app.model.load_summarizer, or extractive mode with the reason when the model stage is absent."""
    try:
        from app.model import load_summarizer
    except ImportError as exc:
        return None, ModelStatus(mode="extractive", model=None, reason=f"model stage not available ({exc})")
    return load_summarizer(settings=settings)


def warm_up_engine() -> None:
    """One engine-only briefing, so lazy set-up (sentence vectors, prompts, regexes) happens here: before
    fork under gunicorn, where the workers share it, instead of in each worker's first request. The model
    is not run: torch's thread pools are not fork-safe."""
    from app.articles import article_from_mapping
    from app.engine import build_briefing
    from app.service.schemas import EXAMPLE_REQUEST

    started = time.perf_counter()
    try:
        articles = [article_from_mapping(a, f"articles[{i}]") for i, a in enumerate(EXAMPLE_REQUEST["articles"])]
        build_briefing(articles)
    except Exception:  # a failed warm-up only costs the first request its set-up time
        logger.warning("engine warm-up failed", exc_info=True)
        return
    logger.debug("engine warmed up", extra={"seconds": round(time.perf_counter() - started, 3)})


class CountingSummarizer:
    """Wraps the model: counts cache hits for /metrics and lets one generation run at a time per
    worker (torch already spreads one generation over MOJAZ_MODEL_THREADS cores)."""

    def __init__(self, inner: ArticleSummarizer) -> None:
        self.inner = inner
        self.model_name = inner.model_name
        self._lock = threading.Lock()

    def summarize(self, requests: list[SummaryRequest]) -> list[SummaryResult]:
        results: list[SummaryResult] = []
        # A few articles per call, so a request past MOJAZ_REQUEST_TIMEOUT stops between calls.
        for start in range(0, len(requests), ARTICLES_PER_CALL):
            with self._lock:
                deadline.check("the model stage")  # also after waiting for another request's generation
                results.extend(self.inner.summarize(requests[start : start + ARTICLES_PER_CALL]))
        record_summaries(results)
        return results


class ModelState:
    def __init__(self, settings: Settings, loader: Loader | None = None) -> None:
        self._settings = settings
        self._loader = loader or load_model_stage
        self._loaded = threading.Event()
        self.summarizer: ArticleSummarizer | None = None
        self.status: ModelStatus | None = None

    @property
    def ready(self) -> bool:
        return self._loaded.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._loaded.wait(timeout)

    def start(self) -> None:
        if self._settings.model_load == "sync":
            self.load()
        else:
            threading.Thread(target=self.load, name="mojaz-model-load", daemon=True).start()

    def load(self) -> None:
        started = time.perf_counter()
        try:
            summarizer, status = self._loader(self._settings)
        except Exception as exc:  # any failure leaves the service working, extractively
            logger.exception("model stage failed to load")
            summarizer, status = (
                None,
                ModelStatus(mode="extractive", model=None, reason=f"model failed to load: {type(exc).__name__}: {exc}"),
            )
        elapsed = time.perf_counter() - started
        if summarizer is None and status.mode != "extractive":
            status = dataclasses.replace(status, mode="extractive")
        if not status.load_seconds:
            status = dataclasses.replace(status, load_seconds=elapsed)
        self.summarizer = CountingSummarizer(summarizer) if summarizer is not None else None
        self.status = status
        record_model(status)
        warm_up_engine()
        logger.info(
            "model stage ready",
            extra={
                "mode": status.mode,
                "model": status.model,
                "reason": status.reason,
                "load_seconds": round(status.load_seconds, 3),
            },
        )
        self._loaded.set()
