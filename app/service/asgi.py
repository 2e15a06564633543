"""The service for gunicorn's asyncio worker (gunicorn.conf.py: worker_class "asgi").

A client that sends its body slowly must cost the others nothing. Under gunicorn's sync and threaded
workers a request holds a thread while its body trickles in, so a few slow clients stop everyone. Here
the whole body is read on the worker's event loop first (one coroutine per client, thousands are cheap),
within MOJAZ_MAX_BODY_BYTES and MOJAZ_BODY_TIMEOUT, and only then does the Flask app get one of the
worker's MOJAZ_THREADS threads (a2wsgi runs WSGI apps in a thread pool).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from a2wsgi import WSGIMiddleware

from app.service.request_body import BODY_PROBLEM

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BufferedBody:
    """ASGI middleware: reads each HTTP request's body in full before calling `app`, which then sees one
    http.request message and a Content-Length header (a chunked body gets one too). A body over `max_bytes`
    or slower than `read_timeout` seconds is not passed on; the scope says why (BODY_PROBLEM) and the Flask
    app answers 413 or 408 in its usual problem+json form (app/service/request_body.py)."""

    def __init__(self, app: ASGIApp, max_bytes: int, read_timeout: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.read_timeout = read_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body, problem = await self._read(scope, receive)
        if problem == "disconnect":
            return  # nobody is left to answer
        headers = [(k, v) for k, v in scope["headers"] if k.lower() not in (b"content-length", b"transfer-encoding")]
        headers.append((b"content-length", str(len(body)).encode()))
        scope = {**scope, "headers": headers}
        if problem:
            scope[BODY_PROBLEM] = problem
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _read(self, scope: Scope, receive: Receive) -> tuple[bytes, str | None]:
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            return b"", "too_large"  # refused without reading it
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(self.read_timeout):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return b"", "disconnect"
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > self.max_bytes:
                        return b"", "too_large"
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        return b"".join(chunks), None
        except TimeoutError:
            return b"", "timeout"


def create_asgi_app(config: dict[str, Any] | None = None) -> BufferedBody:
    """gunicorn.conf.py's app: "app.service.asgi:create_asgi_app()"."""
    from app.service.factory import create_app

    flask_app = create_app(config)
    settings = flask_app.extensions["mojaz.settings"]
    return BufferedBody(
        WSGIMiddleware(flask_app, workers=settings.threads),  # type: ignore[arg-type]
        max_bytes=settings.max_body_bytes,
        read_timeout=settings.body_timeout,
    )
