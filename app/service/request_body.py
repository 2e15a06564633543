"""The request body of POST /v1/briefings: read within MOJAZ_MAX_BODY_BYTES however it is framed, parsed as
JSON, every string checked (a lone surrogate cannot be written back out) and cleaned of characters that
change how text is shown or cut (NUL and other controls, bidi embeddings, overrides, isolates and marks)."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from app.service.errors import ApiError

# C0 controls but tab, newline and carriage return; DEL; LRM, RLM, ALM; LRE, RLE, PDF, LRO, RLO; LRI, RLI,
# FSI, PDI.
_INVISIBLE_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")

# Set by the ASGI layer (app/service/asgi.py) in the request's scope when the body never reached the app.
BODY_PROBLEM = "mojaz.body_problem"


def read_body(limit: int) -> bytes:
    """The raw body. With Content-Length werkzeug answers 413 past the limit; a chunked body (no length, the
    server ends the stream) is read to one byte past the limit, so an over-long one is refused too instead
    of being cut at the limit."""
    environ = request.environ
    if request.content_length is None and environ.get("wsgi.input_terminated"):
        raw = environ["wsgi.input"].read(limit + 1)
        if len(raw) > limit:
            raise RequestEntityTooLarge()
        return raw
    return request.get_data(cache=False)


def check_strings(value: Any, where: str = "body") -> None:
    """ApiError 422 naming the field for a lone surrogate (e.g. "\\ud800") in any string, keys too: such a
    string can be parsed but never written back out."""
    if isinstance(value, str):
        if _SURROGATE.search(value):
            raise ApiError(422, f"{where}: contains an unpaired surrogate; send valid UTF-16 / UTF-8", field=where)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            check_strings(item, f"{where}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            shown = key.encode("utf-8", "backslashreplace").decode()  # the field name must be writable too
            path = shown if where == "body" else f"{where}.{shown}"
            check_strings(key, path)
            check_strings(item, path)


def strip_controls(value: Any) -> Any:
    """The parsed JSON with NUL, other controls and bidi controls removed from every string."""
    if isinstance(value, str):
        return _INVISIBLE_CONTROLS.sub("", value)
    if isinstance(value, list):
        return [strip_controls(item) for item in value]
    if isinstance(value, dict):
        return {strip_controls(key): strip_controls(item) for key, item in value.items()}
    return value


def read_json_body() -> Any:
    mimetype = request.mimetype
    if mimetype != "application/json" and not (mimetype.startswith("application/") and mimetype.endswith("+json")):
        shown = request.content_type or "none"
        raise ApiError(415, f"send the body as application/json (got {shown})", field="Content-Type")
    raw = read_body(current_app.config["MAX_CONTENT_LENGTH"])
    if not raw.strip():
        raise ApiError(400, "empty body; expected a JSON object", field="body")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise ApiError(400, f"malformed JSON: {exc}", field="body") from None
    try:
        check_strings(data)
    except RecursionError:
        raise ApiError(400, "JSON nested too deeply", field="body") from None
    return data


def install_body_checks(app: Flask) -> None:
    """Answers, through the usual problem+json handlers, for a body the ASGI layer refused."""

    @app.before_request
    def _body_problem() -> None:
        scope = request.environ.get("asgi.scope") or {}
        problem = scope.get(BODY_PROBLEM)
        if problem == "too_large":
            raise RequestEntityTooLarge()
        if problem == "timeout":
            seconds = current_app.extensions["mojaz.settings"].body_timeout
            raise ApiError(408, f"the body did not arrive within {seconds:g} s (MOJAZ_BODY_TIMEOUT)", field="body")
