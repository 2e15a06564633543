"""Prometheus metrics. Under several gunicorn workers PROMETHEUS_MULTIPROC_DIR is set (gunicorn.conf.py)
before this module is imported, and /metrics adds up every worker's files."""

from __future__ import annotations

import os
import time

from flask import Blueprint, Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

from app.briefing import Briefing
from app.summarizer import ModelStatus, SummaryResult

_LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80, 160)

REQUESTS = Counter("mojaz_http_requests", "HTTP requests answered, by route and status", ["route", "method", "status"])
LATENCY = Histogram(
    "mojaz_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["route", "method"],
    buckets=_LATENCY_BUCKETS,
)
IN_FLIGHT = Gauge("mojaz_http_requests_in_flight", "Requests being answered now", multiprocess_mode="livesum")
STAGE = Histogram(
    "mojaz_briefing_stage_seconds",
    "Time spent in each engine stage (Briefing.timings)",
    ["stage"],
    buckets=_LATENCY_BUCKETS,
)
ARTICLES = Histogram(
    "mojaz_briefing_articles", "Articles per briefing request", buckets=(1, 2, 3, 5, 10, 20, 50, 100, 200)
)
BRIEFINGS = Counter("mojaz_briefings", "Briefings written, by mode and format", ["mode", "format"])
SUMMARIES = Counter("mojaz_summaries", "Per-article model summaries, by cache result and kind", ["cache", "kind"])
MODEL_LOAD = Gauge("mojaz_model_load_seconds", "Seconds the model stage took to load", multiprocess_mode="max")
MODEL_INFO = Gauge(
    "mojaz_model_info",
    "1 for the mode and model this service runs with",
    ["mode", "model"],
    multiprocess_mode="max",
)


def record_model(status: ModelStatus) -> None:
    MODEL_LOAD.set(status.load_seconds)
    MODEL_INFO.clear()  # one model per process: an app created again (tests, reload) replaces the series
    MODEL_INFO.labels(mode=status.mode, model=status.model or "").set(1)


def record_briefing(briefing: Briefing, fmt: str, article_count: int) -> None:
    BRIEFINGS.labels(mode=briefing.mode, format=fmt).inc()
    ARTICLES.observe(article_count)
    for stage, seconds in briefing.timings.items():
        STAGE.labels(stage=stage).observe(seconds)


def record_summaries(results: list[SummaryResult]) -> None:
    for result in results:
        SUMMARIES.labels(cache="hit" if result.cached else "miss", kind=result.kind).inc()


# Methods come from the client: any other one is counted as "other", so a scanner cannot add series.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def _method_label() -> str:
    return request.method if request.method in KNOWN_METHODS else "other"


def _route_label() -> str:
    # The rule, not the path: unknown paths must not create one time series each.
    return request.url_rule.rule if request.url_rule is not None else "<unmatched>"


def install_request_metrics(app: Flask) -> None:
    @app.before_request
    def _start() -> None:
        g.metrics_started = time.perf_counter()
        g.metrics_in_flight = True
        IN_FLIGHT.inc()

    @app.after_request
    def _count(response: Response) -> Response:
        route, method = _route_label(), _method_label()
        REQUESTS.labels(route=route, method=method, status=str(response.status_code)).inc()
        started = g.get("metrics_started")
        if started is not None:
            LATENCY.labels(route=route, method=method).observe(time.perf_counter() - started)
        return response

    @app.teardown_request
    def _done(_exc: BaseException | None) -> None:
        if g.pop("metrics_in_flight", False):
            IN_FLIGHT.dec()


def _registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


metrics_blueprint = Blueprint("metrics", __name__)


@metrics_blueprint.get("/metrics")
def metrics() -> Response:
    return Response(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
