"""The HTTP service through Flask's test client: briefings, every error, auth, request ids, logs, readiness."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from app import create_app
from app.articles import article_from_mapping
from app.engine import build_briefing
from app.render import render
from app.service.logs import JsonFormatter
from app.summarizer import NO_MODEL, ModelStatus
from tests.helpers import make_app

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "service_articles.json"


def assert_problem(response, status: int, field: str | None = None) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status
    assert body["title"] and body["detail"]
    assert body["request_id"] == response.headers["X-Request-ID"]
    if field is not None:
        assert body["field"] == field
    text = json.dumps(body)
    assert "Traceback" not in text and 'File "' not in text
    return body


def metric_value(text: str, name: str, **labels: str) -> float:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return 0.0


# --- briefings -------------------------------------------------------------------------------------


def test_json_briefing_equals_the_cli_json(client, articles) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/briefings", json={"articles": articles})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["X-Mojaz-Mode"] == "extractive"
    served = response.get_json()

    expected_articles = [article_from_mapping(a, f"articles[{i}]") for i, a in enumerate(articles)]
    expected = json.loads(render(build_briefing(expected_articles, model_status=NO_MODEL), "json"))
    served.pop("timings"), expected.pop("timings")
    assert served == expected
    assert served["mode"] == "extractive"
    assert any("no model configured" in warning for warning in served["warnings"])
    assert {source for point in served["key_points"] for source in point["sources"]} >= {"bridge-1", "bridge-5"}
    assert any("ألفا ومئتي متر" in point["text"] for point in served["key_points"])


def test_json_briefing_equals_the_brief_command_output(client, articles, tmp_path) -> None:  # type: ignore[no-untyped-def]
    served = client.post("/v1/briefings", json={"articles": articles}).get_json()
    path = tmp_path / "bridge.json"
    path.write_text(json.dumps(articles, ensure_ascii=False), encoding="utf-8")
    command = [sys.executable, "-m", "app", "brief", str(path), "--format", "json", "--model", "none"]
    out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    printed = json.loads(out.stdout)
    served.pop("timings"), printed.pop("timings")
    assert served == printed


def test_format_field_and_accept_header_choose_markdown_or_html(client, articles) -> None:  # type: ignore[no-untyped-def]
    markdown = client.post("/v1/briefings", json={"articles": articles}, headers={"Accept": "text/markdown"})
    assert markdown.status_code == 200 and markdown.mimetype == "text/markdown"
    assert markdown.get_data(as_text=True).startswith("# ")
    assert "جسر النهر" in markdown.get_data(as_text=True)
    assert markdown.headers["X-Mojaz-Mode"] == "extractive"
    assert "Accept" in markdown.headers["Vary"]

    html = client.post("/v1/briefings", json={"articles": articles, "format": "html"})
    assert html.status_code == 200 and html.mimetype == "text/html"
    assert 'dir="rtl"' in html.get_data(as_text=True)
    assert html.headers["X-Mojaz-Mode"] == "extractive"

    # The body's format wins over the Accept header; a browser-style Accept gives HTML.
    forced = client.post(
        "/v1/briefings", json={"articles": articles, "format": "json"}, headers={"Accept": "text/html"}
    )
    assert forced.mimetype == "application/json"
    browser = client.post(
        "/v1/briefings", json={"articles": articles}, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    )
    assert browser.mimetype == "text/html"
    anything = client.post("/v1/briefings", json={"articles": articles}, headers={"Accept": "*/*"})
    assert anything.mimetype == "application/json"


def test_focus_and_max_words_are_passed_on(client, articles) -> None:  # type: ignore[no-untyped-def]
    focus = "كم تبلغ رسوم العبور على الجسر؟"
    response = client.post("/v1/briefings", json={"articles": articles, "focus": focus, "max_words": 60})
    body = response.get_json()
    assert response.status_code == 200
    assert body["focus"] == focus
    assert body["word_count"] <= 60


def test_html_articles_and_extra_fields_are_accepted(client) -> None:  # type: ignore[no-untyped-def]
    page = (
        "<html><body><nav>الرئيسية | رياضة</nav><article><h1>افتتاح مكتبة عامة في حي الزهور</h1>"
        "<p>افتتحت البلدية يوم السبت مكتبة عامة جديدة في حي الزهور تضم عشرين ألف كتاب.</p>"
        "<p>وقال رئيس البلدية إن المكتبة ستفتح أبوابها يوميا من التاسعة صباحا حتى التاسعة مساء.</p>"
        "</article></body></html>"
    )
    response = client.post(
        "/v1/briefings", json={"articles": [{"html": page, "category": "ثقافة", "date": "2024-02-03"}]}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "عشرين ألف كتاب" in response.get_data(as_text=True)


# --- errors ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ['{"articles": [', "", "   ", "[" * 100_000, b"\xff\xfe\x00garbage"],
    ids=["truncated", "empty", "blank", "deeply-nested", "not-utf8"],
)
def test_malformed_json_is_400(client, raw) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/briefings", data=raw, content_type="application/json")
    assert_problem(response, 400, "body")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_wrong_content_type_is_415(client, articles, content_type) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/briefings", data=json.dumps({"articles": articles}), content_type=content_type)
    assert_problem(response, 415, "Content-Type")


def test_problem_json_content_type_variant_is_accepted(client, articles) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/v1/briefings", data=json.dumps({"articles": articles}), content_type="application/vnd.mojaz+json"
    )
    assert response.status_code == 200


def test_body_over_the_limit_is_413(articles) -> None:  # type: ignore[no-untyped-def]
    client = make_app(max_body_bytes=2_000).test_client()
    body = assert_problem(client.post("/v1/briefings", json={"articles": articles}), 413, "body")
    assert "2000" in body["detail"]
    small = client.post("/v1/briefings", json={"articles": articles[:1]})
    assert small.status_code == 200  # the same app still answers


@pytest.mark.parametrize(
    ("payload", "field", "words"),
    [
        ({"articles": []}, "articles", "at least 1"),
        ({}, "articles", "required"),
        ({"articles": [{"title": "عنوان بلا نص"}]}, "articles[0]", "text' or 'html"),
        ({"articles": [{"text": "   "}]}, "articles[0].text", "empty"),
        (
            {"articles": [{"text": "The minister opened the new river bridge on Thursday morning."}]},
            "articles",
            "Arabic",
        ),
        ({"articles": [{"text": 42}]}, "articles[0].text", "string"),
        ({"articles": [{"text": "افتتح الجسر.", "published_at": "ليس تاريخا"}]}, "articles[0].published_at", "date"),
        ({"articles": [{"text": "افتتح الجسر."}], "fokus": "خطأ"}, "fokus", "not permitted"),
        ({"articles": [{"text": "افتتح الجسر."}], "max_words": 0}, "max_words", "greater than"),
        ({"articles": [{"text": "افتتح الجسر."}], "format": "pdf"}, "format", "json"),
        ({"articles": "نص"}, "articles", "list"),
        (["افتتح الجسر"], "body", "dictionary"),
        ({"articles": ["افتتح الجسر"]}, "articles[0]", "dictionary"),
    ],
    ids=[
        "no-articles",
        "no-articles-key",
        "no-text-or-html",
        "empty-text",
        "no-arabic",
        "text-not-string",
        "bad-date",
        "unknown-field",
        "max-words-zero",
        "unknown-format",
        "articles-not-list",
        "body-not-object",
        "article-not-object",
    ],
)
def test_unusable_article_sets_are_422_naming_the_field(client, payload, field, words) -> None:  # type: ignore[no-untyped-def]
    body = assert_problem(client.post("/v1/briefings", json=payload), 422, field)
    assert words.lower() in body["detail"].lower()


def test_bad_date_in_a_later_article_names_that_article(client, articles) -> None:  # type: ignore[no-untyped-def]
    broken = [dict(a) for a in articles]
    broken[3]["published_at"] = "2024-13-45"
    assert_problem(client.post("/v1/briefings", json={"articles": broken}), 422, "articles[3].published_at")


def test_too_many_and_over_long_articles_are_422(articles) -> None:  # type: ignore[no-untyped-def]
    client = make_app(max_articles=3, max_article_chars=300).test_client()
    body = assert_problem(client.post("/v1/briefings", json={"articles": articles[:4]}), 422, "articles")
    assert "at most 3" in body["detail"]
    long_text = "افتتح الجسر الجديد فوق النهر. " * 20
    assert_problem(client.post("/v1/briefings", json={"articles": [{"text": long_text}]}), 422, "articles[0].text")
    page = "<html><body><article><p>" + long_text + "</p></article></body></html>"
    assert_problem(client.post("/v1/briefings", json={"articles": [{"html": page}]}), 422, "articles[0].html")


def test_all_validation_errors_are_listed(client) -> None:  # type: ignore[no-untyped-def]
    body = assert_problem(client.post("/v1/briefings", json={"articles": [{"title": "بلا نص"}], "max_words": -1}), 422)
    assert {e["field"] for e in body["errors"]} == {"articles[0]", "max_words"}


def test_unknown_route_is_404_and_wrong_method_is_405(client) -> None:  # type: ignore[no-untyped-def]
    assert_problem(client.get("/v1/summaries"), 404)
    assert_problem(client.get("/no/such/page"), 404)
    response = client.get("/v1/briefings")
    assert_problem(response, 405)
    assert "POST" in response.headers["Allow"]
    assert_problem(client.post("/healthz"), 405)
    assert_problem(client.delete("/readyz"), 405)


def test_unacceptable_accept_header_is_406(client, articles) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/briefings", json={"articles": articles}, headers={"Accept": "application/pdf"})
    assert_problem(response, 406, "Accept")


def test_unexpected_error_is_500_without_a_trace_and_the_app_goes_on(articles, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    client = app.test_client()

    def explode(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("secret internal state /etc/passwd")

    monkeypatch.setattr("app.service.briefings.build_briefing", explode)
    body = assert_problem(client.post("/v1/briefings", json={"articles": articles}), 500)
    assert "secret" not in json.dumps(body) and "RuntimeError" not in json.dumps(body)
    monkeypatch.undo()
    assert client.post("/v1/briefings", json={"articles": articles}).status_code == 200


# --- auth ------------------------------------------------------------------------------------------


def test_api_keys_guard_v1_only(articles) -> None:  # type: ignore[no-untyped-def]
    client = make_app(api_keys="first-key, second-key").test_client()
    missing = client.post("/v1/briefings", json={"articles": articles})
    assert_problem(missing, 401, "Authorization")
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    wrong = client.post("/v1/briefings", json={"articles": articles}, headers={"Authorization": "Bearer third-key"})
    assert_problem(wrong, 401, "Authorization")
    assert 'error="invalid_token"' in wrong.headers["WWW-Authenticate"]
    basic = client.post("/v1/briefings", json={"articles": articles}, headers={"Authorization": "Basic Zmlyc3Qta2V5"})
    assert_problem(basic, 401)
    arabic = client.post("/v1/briefings", json={"articles": articles}, headers={"Authorization": "Bearer مفتاح"})
    assert_problem(arabic, 401)
    assert_problem(client.get("/v1/unknown"), 401)  # routes cannot be probed without a key

    good = client.post("/v1/briefings", json={"articles": articles}, headers={"Authorization": "Bearer second-key"})
    assert good.status_code == 200
    for path in ("/healthz", "/readyz", "/metrics", "/openapi.json", "/docs"):
        assert client.get(path).status_code == 200, path


# --- request id and logs ---------------------------------------------------------------------------


def test_request_id_is_echoed_or_generated(client, articles) -> None:  # type: ignore[no-untyped-def]
    given = client.post("/v1/briefings", json={"articles": articles}, headers={"X-Request-ID": "edit-desk-42"})
    assert given.headers["X-Request-ID"] == "edit-desk-42"
    made = client.get("/healthz")
    assert len(made.headers["X-Request-ID"]) == 32
    unsafe = client.get("/healthz", headers={"X-Request-ID": "x" * 300})
    assert unsafe.headers["X-Request-ID"] != "x" * 300
    problem = client.post("/v1/briefings", json={"articles": []}, headers={"X-Request-ID": "bad-set-7"})
    assert problem.get_json()["request_id"] == "bad-set-7"


def test_logs_are_json_with_the_request_id_and_no_article_text(client, articles) -> None:  # type: ignore[no-untyped-def]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("mojaz")
    logger.addHandler(handler)
    try:
        client.post("/v1/briefings", json={"articles": articles}, headers={"X-Request-ID": "log-check-1"})
        client.post("/v1/briefings", json={"articles": [{"text": "افتتح الجسر.", "published_at": "غدا"}]})
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    request_lines = [line for line in lines if line["message"] == "request"]
    assert len(request_lines) == 2
    ok = next(line for line in request_lines if line["request_id"] == "log-check-1")
    assert ok["status"] == 200 and ok["articles"] == 5 and ok["mode"] == "extractive"
    assert ok["path"] == "/v1/briefings" and ok["duration_ms"] >= 0
    assert any(line["status"] == 422 and line["field"] == "articles[0].published_at" for line in request_lines)
    logged = stream.getvalue()
    for article in articles:
        assert article["text"][:30] not in logged
        assert article["title"] not in logged
    assert "افتتح الجسر" not in logged


# --- readiness and model state ---------------------------------------------------------------------


def test_readyz_reports_extractive_mode_and_the_reason(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    body = ready.get_json()
    assert body["mode"] == "extractive" and body["model"] is None
    assert body["reason"] == "no model configured"


def test_missing_model_folder_serves_extractive_and_says_why(articles, tmp_path) -> None:  # type: ignore[no-untyped-def]
    client = make_app(model=str(tmp_path / "no-such-model")).test_client()
    ready = client.get("/readyz").get_json()
    assert ready["mode"] == "extractive" and "not found" in ready["reason"]
    body = client.post("/v1/briefings", json={"articles": articles}).get_json()
    assert body["mode"] == "extractive"
    assert any("not found" in warning for warning in body["warnings"])


def test_503_while_the_model_loads_then_ready(articles) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()

    def slow_loader(_settings: Any):  # type: ignore[no-untyped-def]
        release.wait(30)
        return None, ModelStatus("extractive", None, "test loader: no model", 0.25)

    app = create_app({"TESTING": True, "model_loader": slow_loader})
    client = app.test_client()
    try:
        loading = client.get("/readyz")
        assert_problem(loading, 503)
        assert loading.headers["Retry-After"]
        assert client.get("/healthz").status_code == 200
        assert_problem(client.post("/v1/briefings", json={"articles": articles}), 503)
        assert_problem(client.post("/v1/briefings", json={"articles": []}), 422)  # bad input still says why
    finally:
        release.set()
    assert app.extensions["mojaz.model"].wait(10)
    assert client.get("/readyz").get_json() == {
        "mode": "extractive",
        "model": None,
        "reason": "test loader: no model",
        "load_seconds": 0.25,
    }
    assert client.post("/v1/briefings", json={"articles": articles}).status_code == 200


def test_a_loader_that_raises_leaves_extractive_mode(articles) -> None:  # type: ignore[no-untyped-def]
    def broken_loader(_settings: Any):  # type: ignore[no-untyped-def]
        raise OSError("weights file is truncated")

    client = make_app(model_loader=broken_loader).test_client()
    ready = client.get("/readyz").get_json()
    assert ready["mode"] == "extractive" and "weights file is truncated" in ready["reason"]
    assert client.post("/v1/briefings", json={"articles": articles}).get_json()["mode"] == "extractive"


# --- metrics ---------------------------------------------------------------------------------------


def test_metrics_count_requests_stages_and_model_load(client, articles) -> None:  # type: ignore[no-untyped-def]
    before = client.get("/metrics").get_data(as_text=True)
    client.post("/v1/briefings", json={"articles": articles})
    client.post("/v1/briefings", json={"articles": []})
    client.get("/nowhere")
    response = client.get("/metrics")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    after = response.get_data(as_text=True)

    def moved(name: str, **labels: str) -> float:
        return metric_value(after, name, **labels) - metric_value(before, name, **labels)

    route = {"route": "/v1/briefings", "method": "POST"}
    assert moved("mojaz_http_requests_total", status="200", **route) == 1
    assert moved("mojaz_http_requests_total", status="422", **route) == 1
    assert moved("mojaz_http_requests_total", route="<unmatched>", method="GET", status="404") == 1
    assert moved("mojaz_http_request_duration_seconds_count", **route) == 2
    assert moved("mojaz_briefing_stage_seconds_count", stage="total") == 1
    assert moved("mojaz_briefings_total", mode="extractive", format="json") == 1
    assert moved("mojaz_briefing_articles_sum") == 5
    assert "mojaz_model_load_seconds" in after
    assert metric_value(after, "mojaz_model_info", mode="extractive", model="") == 1
