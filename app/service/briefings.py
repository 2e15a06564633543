"""POST /v1/briefings: an article set in, one briefing out (JSON, Markdown or HTML)."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, current_app, request

from app.articles import Article, article_from_mapping
from app.config import Settings
from app.engine import build_briefing
from app.errors import InputError
from app.render import CONTENT_TYPES, render
from app.service.errors import ApiError
from app.service.logs import add_log_fields
from app.service.metrics import record_briefing
from app.service.model_state import ModelState
from app.service.schemas import BriefingRequest, briefing_request_model

# Media types in order of preference: "*/*" or no Accept header gives JSON.
MEDIA_TYPES = {"application/json": "json", "text/markdown": "markdown", "text/html": "html"}
RETRY_AFTER_SECONDS = "5"

briefings_blueprint = Blueprint("briefings", __name__, url_prefix="/v1")


def _settings() -> Settings:
    return current_app.extensions["mojaz.settings"]


def _model_state() -> ModelState:
    return current_app.extensions["mojaz.model"]


def read_json_body() -> Any:
    mimetype = request.mimetype
    if mimetype != "application/json" and not (mimetype.startswith("application/") and mimetype.endswith("+json")):
        shown = request.content_type or "none"
        raise ApiError(415, f"send the body as application/json (got {shown})", field="Content-Type")
    raw = request.get_data(cache=False)  # raises 413 past MAX_CONTENT_LENGTH
    if not raw.strip():
        raise ApiError(400, "empty body; expected a JSON object", field="body")
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise ApiError(400, f"malformed JSON: {exc}", field="body") from None


def parse_request(data: Any, settings: Settings) -> BriefingRequest:
    model = briefing_request_model(settings.max_articles, settings.max_article_chars, settings.max_focus_chars)
    return model.model_validate(data)  # ValidationError -> 422 naming the field


def to_articles(body: BriefingRequest, settings: Settings) -> list[Article]:
    articles = []
    for i, mapping in enumerate(body.article_mappings()):
        where = f"articles[{i}]"
        article = article_from_mapping(mapping, where)
        if len(article.text) > settings.max_article_chars:  # text extracted from html
            raise InputError(
                f"article text is {len(article.text)} characters; the limit is {settings.max_article_chars}",
                f"{where}.html",
            )
        articles.append(article)
    return articles


def negotiate_format(body: BriefingRequest) -> str:
    """The body's "format" wins; otherwise the Accept header; JSON when neither says."""
    if body.format:
        return body.format
    if not request.headers.get("Accept"):
        return "json"
    best = request.accept_mimetypes.best_match(list(MEDIA_TYPES))
    if best is None:
        raise ApiError(
            406,
            f"cannot answer with {request.headers['Accept']}; accepted: {', '.join(MEDIA_TYPES)}",
            field="Accept",
        )
    return MEDIA_TYPES[best]


@briefings_blueprint.post("/briefings")
def create_briefing() -> Response:
    settings = _settings()
    body = parse_request(read_json_body(), settings)
    fmt = negotiate_format(body)
    articles = to_articles(body, settings)
    add_log_fields(articles=len(articles), format=fmt)

    state = _model_state()
    if not state.ready:
        raise ApiError(503, "the model is still loading; retry shortly", headers={"Retry-After": RETRY_AFTER_SECONDS})
    briefing = build_briefing(
        articles,
        focus=body.focus,
        max_words=body.max_words,
        order=body.order,
        summarizer=state.summarizer,
        model_status=state.status,
    )
    record_briefing(briefing, fmt, len(articles))
    add_log_fields(mode=briefing.mode, words=briefing.word_count, timings=briefing.timings)

    response = Response(render(briefing, fmt), status=200, content_type=CONTENT_TYPES[fmt])
    response.headers["X-Mojaz-Mode"] = briefing.mode
    if briefing.model and briefing.model.isascii():
        response.headers["X-Mojaz-Model"] = briefing.model
    response.vary.add("Accept")
    return response
