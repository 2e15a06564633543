"""GET /openapi.json (OpenAPI 3.1, schemas generated from the pydantic models) and GET /docs."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from app.briefing import Briefing
from app.config import Settings
from app.service.desk import openapi_paths as desk_openapi_paths
from app.service.schemas import EXAMPLE_REQUEST, Health, Problem, Readiness, briefing_request_model

docs_blueprint = Blueprint("docs", __name__, template_folder="templates")

PROBLEM = "application/problem+json"
REF = "#/components/schemas/{model}"


def _problem(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {PROBLEM: {"schema": {"$ref": REF.format(model="Problem")}}},
    }
    if headers:
        response["headers"] = headers
    return response


def _json(model: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": REF.format(model=model)}}}}


_REQUEST_ID_HEADER = {
    "description": "the request's id (the caller's X-Request-ID, or a new one)",
    "schema": {"type": "string"},
}
_RETRY_AFTER = {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}}


def build_spec(settings: Settings) -> dict[str, Any]:
    request_model = briefing_request_model(settings.max_articles, settings.max_article_chars, settings.max_focus_chars)
    models: list[tuple[type[BaseModel], Any]] = [
        (request_model, "validation"),
        (Briefing, "serialization"),
        (Problem, "serialization"),
        (Readiness, "serialization"),
        (Health, "serialization"),
    ]
    _, top = models_json_schema(models, ref_template=REF)
    schemas = top["$defs"]
    auth = bool(settings.api_key_list())

    briefing_responses: dict[str, Any] = {
        "200": {
            "description": "the briefing; its mode says whether the model stage took part",
            "headers": {
                "X-Request-ID": _REQUEST_ID_HEADER,
                "X-Mojaz-Mode": {"description": "extractive or abstractive+extractive", "schema": {"type": "string"}},
            },
            "content": {
                "application/json": {"schema": {"$ref": REF.format(model="Briefing")}},
                "text/markdown": {"schema": {"type": "string"}},
                "text/html": {"schema": {"type": "string"}},
            },
        },
        "400": _problem("malformed JSON or an empty body"),
        "406": _problem("the Accept header names no format this service writes"),
        "413": _problem(f"the body is over {settings.max_body_bytes} bytes (MOJAZ_MAX_BODY_BYTES)"),
        "415": _problem("the body is not application/json"),
        "422": _problem(
            "valid JSON that is not a usable article set: no articles, too many, empty or over-long text, "
            "no Arabic text, a bad date, an unknown field; `field` names the offending one"
        ),
        "500": _problem("an unexpected error; no details are given, quote the request id"),
        "503": _problem("the model is still loading", _RETRY_AFTER),
    }
    if auth:
        briefing_responses["401"] = _problem(
            "missing or unknown API key",
            {"WWW-Authenticate": {"description": 'Bearer realm="mojaz"', "schema": {"type": "string"}}},
        )

    operation: dict[str, Any] = {
        "operationId": "createBriefing",
        "summary": "Write one sourced briefing of an article set about one event",
        "description": "The JSON answer equals `python -m app brief --format json`. The body's `format` wins "
        "over the Accept header; with neither, JSON.",
        "parameters": [
            {
                "name": "X-Request-ID",
                "in": "header",
                "required": False,
                "description": "echoed when it is 1 to 128 letters, digits or ._:@/+=-; otherwise a new id is used",
                "schema": {"type": "string"},
            },
            {
                "name": "Accept",
                "in": "header",
                "required": False,
                "schema": {"type": "string", "examples": ["application/json", "text/markdown", "text/html"]},
            },
        ],
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"$ref": REF.format(model="BriefingRequest")},
                    "example": EXAMPLE_REQUEST,
                }
            },
        },
        "responses": briefing_responses,
    }
    if auth:
        operation["security"] = [{"bearerAuth": []}]

    spec: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "Mojaz (موجز)",
            "version": "1",
            "description": "One sourced Arabic briefing from a set of news articles about one event.",
        },
        "paths": {
            "/v1/briefings": {"post": operation},
            "/healthz": {
                "get": {
                    "operationId": "health",
                    "summary": "The process is alive",
                    "responses": {"200": _json("Health", "alive")},
                }
            },
            "/readyz": {
                "get": {
                    "operationId": "readiness",
                    "summary": "The model stage has loaded; which mode the service runs in",
                    "responses": {
                        "200": _json("Readiness", "ready"),
                        "503": _problem("the model is still loading", _RETRY_AFTER),
                    },
                }
            },
            "/metrics": {
                "get": {
                    "operationId": "metrics",
                    "summary": "Prometheus metrics (all gunicorn workers together)",
                    "responses": {
                        "200": {
                            "description": "text exposition format",
                            "content": {"text/plain": {"schema": {"type": "string"}}},
                        }
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "responses": {
                        "200": {
                            "description": "OpenAPI 3.1",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
            "/docs": {
                "get": {
                    "operationId": "docs",
                    "summary": "This document as a page",
                    "responses": {
                        "200": {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}}
                    },
                }
            },
        },
        "components": {"schemas": schemas},
    }
    spec["paths"].update(desk_openapi_paths(_problem))
    # Unknown paths and wrong methods answer problem+json too.
    for item in spec["paths"].values():
        for op in item.values():
            op["responses"].setdefault("404", {"$ref": "#/components/responses/NotFound"})
            op["responses"].setdefault("405", {"$ref": "#/components/responses/MethodNotAllowed"})
    spec["components"]["responses"] = {
        "NotFound": _problem("no such route"),
        "MethodNotAllowed": _problem(
            "the route exists but not for this method",
            {"Allow": {"description": "allowed methods", "schema": {"type": "string"}}},
        ),
    }
    if auth:
        spec["components"]["securitySchemes"] = {"bearerAuth": {"type": "http", "scheme": "bearer"}}
    return spec


def current_spec() -> dict[str, Any]:
    """Built once per app, from that app's settings (limits and auth show in the document)."""
    extensions = current_app.extensions
    if "mojaz.openapi" not in extensions:
        extensions["mojaz.openapi"] = build_spec(extensions["mojaz.settings"])
    return extensions["mojaz.openapi"]


@docs_blueprint.get("/openapi.json")
def openapi() -> Response:
    return jsonify(current_spec())


@docs_blueprint.get("/docs")
def docs() -> str:
    spec = current_spec()
    return render_template(
        "docs.html",
        spec=spec,
        auth="security" in spec["paths"]["/v1/briefings"]["post"],
        base=request.host_url,
        example=json.dumps(EXAMPLE_REQUEST, ensure_ascii=False, indent=2),
        example_compact=json.dumps(EXAMPLE_REQUEST, ensure_ascii=False).replace("'", "'\\''"),
    )
