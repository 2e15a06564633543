"""create_app: the Flask application, configured from the environment (MOJAZ_*) or a dict."""

from __future__ import annotations

from typing import Any

from flask import Flask

from app.config import Settings, get_settings
from app.service.auth import require_api_key
from app.service.briefings import briefings_blueprint
from app.service.desk import desk_blueprint
from app.service.docs import docs_blueprint
from app.service.errors import install_error_handlers
from app.service.health import health_blueprint
from app.service.logs import configure_logging, install_request_logging
from app.service.metrics import install_request_metrics, metrics_blueprint
from app.service.model_state import Loader, ModelState
from app.service.request_body import install_body_checks
from app.service.security import install_security_headers


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """config keys: "settings" (a Settings), "model_loader" (settings -> (summarizer, ModelStatus)),
    lower-case Settings fields as overrides (e.g. {"api_keys": "k1", "model": "none"}), and
    upper-case Flask config (e.g. {"TESTING": True})."""
    config = dict(config or {})
    settings: Settings = config.pop("settings", None) or get_settings(
        **{key: config.pop(key) for key in list(config) if key.islower() and key != "model_loader"}
    )
    loader: Loader | None = config.pop("model_loader", None)

    configure_logging(settings.log_level)
    app = Flask("app.service", static_folder=None)
    app.config.update(MAX_CONTENT_LENGTH=settings.max_body_bytes)
    app.config.update(config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]

    # Before-request hooks run in this order: request id first, so every later log line has it.
    install_request_logging(app)
    install_request_metrics(app)
    install_error_handlers(app)
    install_security_headers(app)
    install_body_checks(app)
    require_api_key(app, settings.api_key_list())

    app.register_blueprint(briefings_blueprint)
    app.register_blueprint(health_blueprint)
    app.register_blueprint(metrics_blueprint)
    app.register_blueprint(docs_blueprint)
    app.register_blueprint(desk_blueprint)

    state = ModelState(settings, loader)
    app.extensions["mojaz.settings"] = settings
    app.extensions["mojaz.model"] = state
    state.start()
    return app
