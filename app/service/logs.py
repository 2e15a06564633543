"""Structured JSON logs and the request id that ties a request's log lines and response together."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, g, request

LOGGER_NAME = "mojaz"
REQUEST_ID_HEADER = "X-Request-ID"
# A caller's id is echoed only when it is short and plain, so it cannot forge log lines or headers.
_CALLER_ID = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")
# Attributes every LogRecord has; anything else was passed with extra= and becomes a JSON field.
_RECORD_FIELDS = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and every extra= field."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _RECORD_FIELDS})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str) -> logging.Logger:
    """The "mojaz" logger writes JSON lines to stderr (gunicorn and Docker collect them). Idempotent."""
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(level.upper())
    if not any(getattr(handler, "_mojaz", False) for handler in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        handler._mojaz = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.propagate = False
    return logger


def request_id() -> str:
    return getattr(g, "request_id", "-")


def install_request_logging(app: Flask) -> None:
    logger = logging.getLogger(f"{LOGGER_NAME}.http")

    @app.before_request
    def _start() -> None:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = given if _CALLER_ID.match(given) else uuid.uuid4().hex
        g.started = time.perf_counter()

    @app.after_request
    def _finish(response):  # type: ignore[no-untyped-def]
        response.headers[REQUEST_ID_HEADER] = request_id()
        started = getattr(g, "started", None)
        # Only metadata: article text never reaches the logs at INFO.
        fields: dict[str, Any] = {
            "request_id": request_id(),
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
            "remote_addr": request.remote_addr,
        }
        fields.update(getattr(g, "log_fields", {}))
        logger.info("request", extra=fields)
        return response


def add_log_fields(**fields: Any) -> None:
    """Adds fields to this request's log line (counts, mode, timings — never text)."""
    if not hasattr(g, "log_fields"):
        g.log_fields = {}
    g.log_fields.update(fields)
