"""Optional API keys: with MOJAZ_API_KEYS set, /v1/* needs "Authorization: Bearer <key>"."""

from __future__ import annotations

import hmac

from flask import Blueprint, request

from app.service.errors import ApiError

CHALLENGE = 'Bearer realm="mojaz"'


def key_matches(given: str, keys: list[str]) -> bool:
    """Constant-time against every key (no early exit), so timing tells nothing about which was close."""
    given_bytes = given.encode()
    matched = False
    for key in keys:
        matched |= hmac.compare_digest(given_bytes, key.encode())
    return matched


def require_api_key(blueprint: Blueprint, keys: list[str]) -> None:
    if not keys:
        return

    @blueprint.before_request
    def _check() -> None:
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
