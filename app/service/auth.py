"""Optional API keys: with MOJAZ_API_KEYS set, /v1/* needs "Authorization: Bearer <key>"."""

from __future__ import annotations

import hmac

from flask import Flask, request

from app.service.errors import ApiError

CHALLENGE = 'Bearer realm="mojaz"'


def key_matches(given: str, keys: list[str]) -> bool:
    """Constant-time against every key (no early exit), so timing tells nothing about which was close."""
    given_bytes = given.encode()
    matched = False
    for key in keys:
        matched |= hmac.compare_digest(given_bytes, key.encode())
    return matched


PROTECTED_PREFIX = "/v1/"


def require_api_key(app: Flask, keys: list[str]) -> None:
    """Guards every path under /v1/ (also unknown ones, so routes cannot be probed without a key)."""
    if not keys:
        return

    @app.before_request
    def _check() -> None:
        if not request.path.startswith(PROTECTED_PREFIX):
            return
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(
                401,
                "this endpoint needs 'Authorization: Bearer <key>'",
                field="Authorization",
                headers={"WWW-Authenticate": CHALLENGE},
            )
        if not key_matches(token.strip(), keys):
            raise ApiError(
                401,
                "unknown API key",
                field="Authorization",
                headers={"WWW-Authenticate": f'{CHALLENGE}, error="invalid_token"'},
            )
