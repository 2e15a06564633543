"""GET /healthz (the process answers) and GET /readyz (the model stage has loaded; its mode)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from app.service.errors import ApiError

health_blueprint = Blueprint("health", __name__)


@health_blueprint.get("/healthz")
def healthz() -> Response:
    return jsonify(status="ok")


@health_blueprint.get("/readyz")
def readyz() -> Response:
    state = current_app.extensions["mojaz.model"]
    status = state.status
    if not state.ready or status is None:
        raise ApiError(503, "the model is still loading", headers={"Retry-After": "5"})
    return jsonify(
        mode=status.mode,
        model=status.model if status.mode != "extractive" else None,
        reason=status.reason,
        load_seconds=round(status.load_seconds, 3),
    )
