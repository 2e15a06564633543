"""Security headers on every response: no MIME sniffing, no referrer, no framing, no caching of briefings,
and a Content-Security-Policy that allows same-origin scripts, styles and images only (no inline script)."""

from __future__ import annotations

import base64
import hashlib
import re

from flask import Flask, Response, request

# Same-origin files only; inline <style> blocks of our own HTML are allowed by their hash (below), inline
# script never.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'{styles}; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
_STYLE_BLOCK = re.compile(rb"<style[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)


def inline_style_hashes(html: bytes) -> list[str]:
    """CSP source expressions for the <style> blocks of a page we wrote (the briefing and /docs templates)."""
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(block).digest()).decode()}'"
        for block in dict.fromkeys(_STYLE_BLOCK.findall(html))
    ]


def content_security_policy(response: Response) -> str:
    styles = ""
    if response.mimetype == "text/html" and not response.is_streamed:
        hashes = inline_style_hashes(response.get_data())
        styles = "".join(f" {h}" for h in hashes)
    return CSP.format(styles=styles)


def _is_static(endpoint: str | None) -> bool:
    return bool(endpoint) and (endpoint == "static" or endpoint.endswith(".static"))  # type: ignore[union-attr]


def install_security_headers(app: Flask) -> None:
    @app.after_request
    def _headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Content-Security-Policy", content_security_policy(response))
        # Briefings, problems, health and metrics are per request; static files may set their own policy.
        if "Cache-Control" not in response.headers and not _is_static(request.endpoint):
            response.headers["Cache-Control"] = "no-store"
        return response
