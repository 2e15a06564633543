"""The service with a model: the tiny random-weight model (tests/conftest.py) makes every briefing
abstractive+extractive, /readyz and /metrics say so, and it survives gunicorn's preload-then-fork."""

from __future__ import annotations

import json
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
from test_service_gunicorn import Server, metric_value

from app import create_app

FIXTURE = Path(__file__).parent / "fixtures" / "service_articles.json"
MODE = "abstractive+extractive"


@pytest.fixture(scope="module")
def articles() -> list[dict[str, Any]]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))["articles"]


@pytest.fixture(scope="module")
def app(tiny_model_dir, tmp_path_factory):  # type: ignore[no-untyped-def]
    cache = tmp_path_factory.mktemp("service-cache") / "cache.sqlite3"
    # One torch thread: other test processes share these cores, and spinning OpenMP threads slow down 10x.
    settings = {"model": str(tiny_model_dir), "cache_path": str(cache), "model_threads": 1}
    created = create_app({"TESTING": True, **settings})
    assert created.extensions["mojaz.model"].wait(120)
    return created


def test_readyz_reports_the_loaded_model(app, tiny_model_dir) -> None:  # type: ignore[no-untyped-def]
    ready = app.test_client().get("/readyz").get_json()
    assert ready["mode"] == MODE
    assert ready["model"] == str(tiny_model_dir)
    assert "mbart" in ready["reason"] and ready["load_seconds"] > 0


def test_every_briefing_is_abstractive_and_the_cache_is_counted(app, articles) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    before = client.get("/metrics").get_data(as_text=True)
    first = client.post("/v1/briefings", json={"articles": articles})
    assert first.status_code == 200, first.get_data(as_text=True)
    assert first.headers["X-Mojaz-Mode"] == MODE
    body = first.get_json()
    assert body["mode"] == MODE and body["model"]
    assert [a["id"] for a in body["articles"]] == [a["id"] for a in articles]
    assert all(a["summary"].strip() for a in body["articles"])
    assert "abstractive" in body["timings"]

    markdown = client.post("/v1/briefings", json={"articles": articles, "format": "markdown"})
    assert markdown.status_code == 200 and markdown.headers["X-Mojaz-Mode"] == MODE
    after = client.get("/metrics").get_data(as_text=True)

    def moved(name: str, **labels: str) -> float:
        return metric_value(after, name, **labels) - metric_value(before, name, **labels)

    # The first request generates all five summaries; the second finds them in the cache.
    assert moved("mojaz_summaries_total", cache="miss") == 5
    assert moved("mojaz_summaries_total", cache="hit") == 5
    assert moved("mojaz_briefing_stage_seconds_count", stage="abstractive") == 2
    assert metric_value(after, "mojaz_model_info", mode=MODE) == 1


def test_gunicorn_preloads_the_model_and_workers_use_it(tiny_model_dir, tmp_path, articles) -> None:  # type: ignore[no-untyped-def]
    server = Server(tmp_path, workers=1, extra_env={"MOJAZ_MODEL": str(tiny_model_dir), "MOJAZ_MODEL_THREADS": "1"})
    try:
        ready = server.wait_ready(seconds=120)
        assert ready["mode"] == MODE
        for _ in range(2):
            response = requests.post(f"{server.url}/v1/briefings", json={"articles": articles}, timeout=120)
            assert response.status_code == 200, response.text
            assert response.json()["mode"] == MODE
        text = requests.get(f"{server.url}/metrics", timeout=10).text
        assert metric_value(text, "mojaz_model_load_seconds") > 0
        assert metric_value(text, "mojaz_summaries_total", cache="hit") == 5
        assert_sigterm_lets_a_generation_finish(server, articles)
    finally:
        server.stop()
    assert "model stage ready" in server.output()


def assert_sigterm_lets_a_generation_finish(server: Server, articles: list[dict[str, Any]]) -> None:
    """SIGTERM while a briefing is being generated: the caller still gets it, then gunicorn exits 0."""
    for attempt in range(5):
        fresh = [{**a, "text": a["text"] + f" وحضر الافتتاح {attempt + 40} صحفيا."} for a in articles]  # cache miss
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending = pool.submit(requests.post, f"{server.url}/v1/briefings", json={"articles": fresh}, timeout=120)
            in_flight = False
            while not pending.done() and not in_flight:
                text = requests.get(f"{server.url}/metrics", timeout=10).text
                in_flight = metric_value(text, "mojaz_http_requests_in_flight") >= 2  # it and this /metrics
            if in_flight:
                server.process.send_signal(signal.SIGTERM)
            response = pending.result()
        assert response.status_code == 200 and response.json()["mode"] == MODE
        if in_flight:
            assert server.process.wait(timeout=60) == 0
            return
    pytest.fail("no briefing was ever seen in flight")
