"""Conference day: the system that runs the day of a formal conference."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from .config import load_settings
from .db import MAX_ID, db
from .errors import ConferenceError
from .extensions import babel, csrf, limiter, socketio

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app. Tests pass the settings they need; nothing else differs."""
    app = Flask(__name__, instance_relative_config=True,
                template_folder=str(PROJECT_ROOT / "templates"),
                static_folder=str(PROJECT_ROOT / "static"))
    instance = Path((test_config or {}).get("INSTANCE_PATH") or os.environ.get("CONFERENCE_INSTANCE")
                    or app.instance_path)
    app.config.update(load_settings(instance))
    app.config["INSTANCE_PATH"] = str(instance)
    if test_config:
        app.config.update(test_config)

    from . import security_headers
    security_headers.init_app(app)  # CSP and friends on every response; Secure cookies under https
    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    from .i18n import init_app as init_i18n, select_locale, select_timezone
    init_i18n(app)  # compiles the catalogues into the instance folder and remembers ?lang=
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    from flask_babel import get_locale
    app.jinja_env.globals["get_locale"] = get_locale
    # Imported before init_app: its handlers then join socketio.handlers, which every init_app
    # registers on its new server (imported after, they would bind to the first app's server only).
    from . import realtime  # noqa: F401 - registers the socket handlers
    socketio.init_app(app, async_mode=app.config.get("SOCKETIO_ASYNC_MODE", "threading"),
                      message_queue=app.config["REDIS_URL"],
                      channel=app.config.get("SOCKETIO_CHANNEL", "flask-socketio"),
                      cors_allowed_origins=app.config.get("SOCKETIO_CORS_ORIGINS"))
    from . import proxies
    proxies.init_app(app)  # deploy/nginx.conf: the client's address and scheme, from trusted proxies only

    app.url_map.converters["int"] = RowIdConverter
    from .blueprints import register_blueprints
    register_blueprints(app)
    _register_error_handlers(app)

    from . import cli
    cli.init_app(app)

    from .setup import prepare_database
    if app.config.get("PREPARE_DATABASE", True):
        with app.app_context():
            prepare_database(load_demo=app.config["LOAD_DEMO"])
    return app


class RowIdConverter(IntegerConverter):
    """<int:id> in every route: an id beyond the id column's range is simply not found (404)
    instead of reaching the database, which cannot bind it."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ConferenceError)
    def conference_error(error: ConferenceError):
        return jsonify(error.to_dict()), error.status

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if not _wants_json():
            return error
        code = (error.name or "error").lower().replace(" ", "_")
        body = {"error": {"code": code, "message": error.description or error.name}}
        return jsonify(body), error.code

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):  # a bug: log it, never show a traceback
        app.logger.exception("unexpected error")
        db.session.rollback()
        body = {"error": {"code": "internal_error", "message": "Lỗi máy chủ, vui lòng thử lại."}}
        return jsonify(body), 500
