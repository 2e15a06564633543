"""The analysts' desk: a page to brief an article set and check each key point against its source.

GET /                        the page (one static script and one stylesheet, nothing from elsewhere)
POST /v1/articles/parse      uploaded files read by the CLI's readers (app/article_files.py)
POST /v1/briefings/render    a briefing the page already has, as Markdown or HTML (no second engine run)
GET /daily/, /daily/<day>.html   the daily reports of MOJAZ_REPORTS_DIR
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path, PurePath
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from app import prompts
from app.article_files import SUFFIXES, read_uploaded
from app.articles import Article
from app.briefing import Briefing
from app.config import Settings
from app.errors import InputError
from app.render import CONTENT_TYPES, FORMATS, render
from app.render.templating import arabic_date
from app.service.errors import ApiError
from app.service.security import inline_style_hashes

desk_blueprint = Blueprint(
    "desk", __name__, template_folder="templates", static_folder="static", static_url_path="/static"
)

# The page's policy: its own script, stylesheet and API only. The service's security headers (when present)
# use setdefault, so this one, set first, stands on the desk's responses.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
# A daily report is a file we wrote with one inline <style>: that block by its hash, and no script at all.
REPORT_CSP = (
    "default-src 'none'; style-src {styles}; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'none'"
)
REPORT_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})\.html")
LENGTHS = (("100", "قصير (100 كلمة)"), ("250", "متوسط (250 كلمة)"), ("400", "مطوّل (400 كلمة)"))


def _settings() -> Settings:
    return current_app.extensions["mojaz.settings"]


@desk_blueprint.after_request
def _page_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


@desk_blueprint.get("/")
def desk_page() -> str:
    settings = _settings()
    return render_template(
        "desk.html",
        auth=bool(settings.api_key_list()),
        daily=bool(settings.reports_dir),
        default_focus=prompts.default_focus(),
        default_words=settings.max_words,
        lengths=LENGTHS,
        max_focus_chars=settings.max_focus_chars,
        accept=",".join(SUFFIXES),
    )


def _article_json(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "text": article.text,
        "source": article.source,
        "url": article.url,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "file": article.extra.get("file"),
    }


@desk_blueprint.post("/v1/articles/parse")
def parse_articles() -> Response:
    """Files in the multipart field "files" -> {"articles": [...]}, each with the text the engine will read."""
    settings = _settings()
    if request.mimetype != "multipart/form-data":
        shown = request.content_type or "none"
        raise ApiError(415, f"send the files as multipart/form-data (got {shown})", field="Content-Type")
    uploads = request.files.getlist("files")  # past MAX_CONTENT_LENGTH werkzeug raises 413
    if not uploads:
        raise ApiError(422, "no files; send one or more in the multipart field 'files'", field="files")
    if len(uploads) > settings.max_articles:
        raise ApiError(422, f"{len(uploads)} files; the limit is {settings.max_articles}", field="files")
    # Only the base name: it labels the articles and the messages, and is never used as a path.
    files = [(_base_name(upload.filename), upload.read()) for upload in uploads]
    articles = read_uploaded(files)
    if len(articles) > settings.max_articles:
        raise ApiError(422, f"{len(articles)} articles; the limit is {settings.max_articles}", field="files")
    for article in articles:
        if len(article.text) > settings.max_article_chars:
            raise InputError(
                f"article text is {len(article.text)} characters; the limit is {settings.max_article_chars}",
                str(article.extra.get("file")),
            )
    return jsonify(articles=[_article_json(article) for article in articles])


def _base_name(filename: str | None) -> str:
    return PurePath((filename or "").replace("\\", "/")).name or "upload"


@desk_blueprint.post("/v1/briefings/render")
def render_briefing() -> Response:
    """A briefing (the JSON /v1/briefings answered) rendered as ?format=markdown|html|json."""
    fmt = request.args.get("format", "markdown")
    if fmt not in FORMATS:
        raise ApiError(422, f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}", field="format")
    if not request.is_json:
        shown = request.content_type or "none"
        raise ApiError(415, f"send the briefing as application/json (got {shown})", field="Content-Type")
    request.get_json()  # malformed JSON: 400
    # strict, from the JSON text: a wrong type is 422, as /openapi.json says, not coerced (issue 13)
    briefing = Briefing.model_validate_json(request.get_data(), strict=True)
    return Response(render(briefing, fmt), status=200, content_type=CONTENT_TYPES[fmt])


def _reports_dir() -> Path:
    folder = _settings().reports_dir
    if not folder:
        raise ApiError(404, "no daily reports here: MOJAZ_REPORTS_DIR is not set", field="MOJAZ_REPORTS_DIR")
    return Path(folder)


def _report_day(name: str) -> date | None:
    match = REPORT_NAME.fullmatch(name)
    if not match:
        return None
    try:
        return date.fromisoformat(match[1])
    except ValueError:
        return None


@desk_blueprint.get("/daily/")
def daily_index() -> str:
    folder = _reports_dir()
    days: list[date] = []
    if folder.is_dir():
        days = sorted(
            (day for path in folder.iterdir() if (day := _report_day(path.name)) and path.is_file()), reverse=True
        )
    return render_template(
        "desk_daily.html",
        reports=[(day.isoformat(), arabic_date_of(day)) for day in days],
        auth=bool(_settings().api_key_list()),
        daily=True,
    )


def arabic_date_of(day: date) -> str:
    return arabic_date(datetime(day.year, day.month, day.day))


@desk_blueprint.get("/daily/<name>")
def daily_report(name: str) -> Response:
    folder = _reports_dir()
    # Only names the daily command writes (2015-08-06.html), and only files really inside the folder:
    # the route never takes a slash, and a symlink leading out of the folder is refused.
    if _report_day(name) is None:
        raise ApiError(404, "no such report; names look like 2015-08-06.html", field="name")
    path = folder / name
    try:
        resolved = path.resolve(strict=True)
        if resolved.parent != folder.resolve(strict=True) or not resolved.is_file():
            raise FileNotFoundError(name)
        data = resolved.read_bytes()
    except OSError:
        raise ApiError(404, f"no report {name} in the reports folder", field="name") from None
    hashes = inline_style_hashes(data)
    response = Response(data, status=200, content_type="text/html; charset=utf-8")
    response.headers["Content-Security-Policy"] = REPORT_CSP.format(styles=" ".join(hashes) or "'none'")
    return response


def openapi_paths(problem: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """The desk's routes for /openapi.json; `problem` builds a problem+json response object."""

    def page(operation_id: str, summary: str, **responses: Any) -> dict[str, Any]:
        html = {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}}
        return {"get": {"operationId": operation_id, "summary": summary, "responses": {"200": html, **responses}}}

    article = {
        "type": "object",
        "properties": {
            name: {"type": ["string", "null"]}
            for name in ("id", "title", "text", "source", "url", "published_at", "file")
        },
    }
    return {
        "/": page("desk", "The analysts' desk: paste or upload articles, brief them, check each point in its source"),
        "/static/{filename}": {
            "get": {
                "operationId": "deskStatic",
                "summary": "The desk's script and stylesheet",
                "parameters": [{"name": "filename", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "the file", "content": {"*/*": {"schema": {"type": "string"}}}}},
            }
        },
        "/v1/articles/parse": {
            "post": {
                "operationId": "parseArticles",
                "summary": "Read uploaded article files (.txt, .html, .json, .jsonl) as the CLI reads them",
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "files": {"type": "array", "items": {"type": "string", "format": "binary"}}
                                },
                                "required": ["files"],
                            }
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "the articles, each with the text the engine will read",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"articles": {"type": "array", "items": article}},
                                }
                            }
                        },
                    },
                    "413": problem("the files are over MOJAZ_MAX_BODY_BYTES"),
                    "415": problem("the body is not multipart/form-data"),
                    "422": problem("no files, an unsupported type, bad UTF-8 or JSON; `field` names the file"),
                },
            }
        },
        "/v1/briefings/render": {
            "post": {
                "operationId": "renderBriefing",
                "summary": "Render a briefing JSON (as /v1/briefings answered it) as Markdown, HTML or JSON",
                "parameters": [
                    {
                        "name": "format",
                        "in": "query",
                        "required": False,
                        "schema": {"enum": list(FORMATS), "default": "markdown"},
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Briefing"}}},
                },
                "responses": {
                    "200": {
                        "description": "the briefing in that format",
                        "content": {
                            "text/markdown": {"schema": {"type": "string"}},
                            "text/html": {"schema": {"type": "string"}},
                            "application/json": {"schema": {"$ref": "#/components/schemas/Briefing"}},
                        },
                    },
                    "400": problem("malformed JSON"),
                    "415": problem("the body is not application/json"),
                    "422": problem("not a briefing, or an unknown format"),
                },
            }
        },
        "/daily/": page(
            "dailyReports", "The daily reports in MOJAZ_REPORTS_DIR, newest first", **{"404": problem("not configured")}
        ),
        "/daily/{name}": {
            "get": {
                "operationId": "dailyReport",
                "summary": "One daily report's HTML (names like 2015-08-06.html)",
                "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}},
                    "404": problem("no such report, or MOJAZ_REPORTS_DIR is not set"),
                },
            }
        },
    }
