"""Every error is application/problem+json (RFC 9457): status, title, detail, and the offending field."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, jsonify
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, RequestEntityTooLarge

from app.deadline import DeadlineExceeded
from app.errors import InputError
from app.service.logs import add_log_fields, request_id

PROBLEM_JSON = "application/problem+json"
DEADLINE_RETRY_AFTER = "10"
logger = logging.getLogger("mojaz.http")


class ApiError(Exception):
    """An error the service answers on purpose (bad content type, auth, not ready, ...)."""

    def __init__(
        self,
        status: int,
        detail: str,
        field: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.field = field
        self.headers = dict(headers or {})


def problem(
    status: int,
    detail: str,
    *,
    field: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> Response:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if field is not None:
        body["field"] = field
    body["request_id"] = request_id()
    body.update(extensions)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    response.headers.update(headers or {})
    add_log_fields(problem=detail if status < 500 else "internal error", field=field)
    return response


# The member tags pydantic puts in an error's location for a union field ("id": str | int -> "id.str").
_UNION_TAGS = frozenset({"str", "int", "float", "bool", "none"})


def field_path(loc: Iterable[int | str]) -> str:
    """Pydantic's ("articles", 0, "text") -> "articles[0].text", the form app.articles uses."""
    path = ""
    for part in loc:
        if isinstance(part, str) and (part in _UNION_TAGS or "[" in part):
            continue
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "body"


def validation_problem(exc: ValidationError) -> Response:
    errors: list[dict[str, str]] = []
    for err in exc.errors(include_url=False, include_input=False, include_context=False):
        field, detail = field_path(err["loc"]), err["msg"].removeprefix("Value error, ")
        same = next((e for e in errors if e["field"] == field), None)
        if same is None:
            errors.append({"field": field, "detail": detail, "type": err["type"]})
        elif detail not in same["detail"]:  # one field, several union members: one entry
            same["detail"] += f", or {detail[0].lower()}{detail[1:]}"
    first = errors[0]
    return problem(422, f"{first['field']}: {first['detail']}", field=first["field"], errors=errors)


def install_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Response:
        return problem(exc.status, exc.detail, field=exc.field, headers=exc.headers)

    @app.errorhandler(InputError)
    def _input_error(exc: InputError) -> Response:
        return problem(422, exc.detail, field=exc.field or "articles")

    @app.errorhandler(DeadlineExceeded)
    def _deadline(exc: DeadlineExceeded) -> Response:
        detail = (
            f"the briefing took longer than {exc.seconds:g} s (MOJAZ_REQUEST_TIMEOUT) and was stopped "
            f"during {exc.stage}; send fewer or shorter articles, or retry later"
        )
        return problem(503, detail, headers={"Retry-After": DEADLINE_RETRY_AFTER})

    @app.errorhandler(ValidationError)
    def _validation_error(exc: ValidationError) -> Response:
        return validation_problem(exc)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        headers: dict[str, str] = {}
        detail = exc.description or HTTPStatus(status).description
        if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
            headers["Allow"] = ", ".join(sorted(exc.valid_methods))
        if isinstance(exc, RequestEntityTooLarge):
            limit = app.config.get("MAX_CONTENT_LENGTH")
            detail = f"request body is larger than the limit of {limit} bytes (MOJAZ_MAX_BODY_BYTES)"
            return problem(413, detail, field="body", headers=headers)
        return problem(status, detail, headers=headers)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        # The trace goes to the log (with the request id), never to the caller.
        logger.exception("unhandled error", extra={"request_id": request_id()})
        return problem(500, "internal error; quote the request id when reporting it")
