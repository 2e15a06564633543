"""POST /v1/briefings: an article set in, one briefing out (JSON, Markdown or HTML)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, request

from app import deadline
from app.articles import Article, article_from_mapping
from app.config import Settings
from app.engine import build_briefing
from app.errors import InputError
from app.render import CONTENT_TYPES, render
from app.service.errors import ApiError
from app.service.logs import add_log_fields
from app.service.metrics import record_briefing
from app.service.model_state import ModelState
from app.service.request_body import read_json_body, strip_controls
from app.service.schemas import BriefingRequest, briefing_request_model

# Media types in order of preference: "*/*" or no Accept header gives JSON.
MEDIA_TYPES = {"application/json": "json", "text/markdown": "markdown", "text/html": "html"}
RETRY_AFTER_SECONDS = "5"

briefings_blueprint = Blueprint("briefings", __name__, url_prefix="/v1")


def _settings() -> Settings:
    return current_app.extensions["mojaz.settings"]


def _model_state() -> ModelState:
    return current_app.extensions["mojaz.model"]


def parse_request(data: Any, settings: Settings) -> BriefingRequest:
    model = briefing_request_model(settings.max_articles, settings.max_article_chars, settings.max_focus_chars)
    model.model_validate(data)  # as sent: the limits the OpenAPI document states hold for what was sent
    return model.model_validate(strip_controls(data))  # ValidationError -> 422 naming the field


def to_articles(body: BriefingRequest, settings: Settings) -> list[Article]:
    articles: list[Article] = []
    seen: dict[str, int] = {}
    total_words = 0
    for i, mapping in enumerate(body.article_mappings()):
        where = f"articles[{i}]"
        article = article_from_mapping(mapping, where)
        if len(article.text) > settings.max_article_chars:  # text extracted from html
            raise InputError(
                f"article text is {len(article.text)} characters; the limit is {settings.max_article_chars}",
                f"{where}.html",
            )
        if article.id in seen:  # citations name articles by id: two with one id could not be told apart
            first = seen[article.id]
            if "id" in mapping:
                raise InputError(f"duplicate id {article.id!r}, also used by articles[{first}]", f"{where}.id")
            raise InputError(f"same title and text as articles[{first}]; send each article once", where)
        seen[article.id] = i
        total_words += len(article.text.split())
        if total_words > settings.max_total_words:
            raise ApiError(
                413,
                f"the articles hold more than {settings.max_total_words} words in all (MOJAZ_MAX_TOTAL_WORDS); "
                "send fewer or shorter articles",
                field=where,
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
    with deadline.time_limit(settings.request_timeout):
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
