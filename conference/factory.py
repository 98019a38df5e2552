"""The app factory: create_app builds the Flask app, its extensions, its views and its database."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, jsonify, request
from flask_babel import gettext
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from conference.core.config import default_instance, load_settings
from conference.core.db import MAX_ID, db, install_transaction_steps
from conference.core.errors import N_, ConferenceError
from conference.core.extensions import babel, csrf, limiter, socketio
from conference.core.resources import STATIC, TEMPLATES


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app. Tests pass the settings they need; nothing else differs."""
    instance = Path((test_config or {}).get("INSTANCE_PATH") or os.environ.get("CONFERENCE_INSTANCE")
                    or default_instance()).resolve()
    app = Flask(__name__, instance_path=str(instance), instance_relative_config=True,
                template_folder=str(TEMPLATES), static_folder=str(STATIC))
    app.config.update(load_settings(instance))
    app.config["INSTANCE_PATH"] = str(instance)
    if test_config:
        app.config.update(test_config)

    _init_extensions(app)
    _wrap_wsgi(app)

    app.url_map.converters["int"] = RowIdConverter
    from conference.web.blueprints import register_blueprints
    register_blueprints(app)
    # Browsers ask for /favicon.ico on their own (pages link static/favicon.svg).
    app.add_url_rule("/favicon.ico", "favicon", lambda: app.send_static_file("favicon.ico"))
    _register_error_handlers(app)

    _prepare_database(app)
    return app


def _init_extensions(app: Flask) -> None:
    """The database, forms, sign-in limits, languages and sockets, each wiring itself to the app."""
    from conference.web import security_headers
    security_headers.init_app(app)  # CSP and friends on every response; Secure cookies under https
    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    from conference.core.i18n import init_app as init_i18n, select_locale, select_timezone
    init_i18n(app)  # compiles the catalogues into the instance folder and remembers ?lang=
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    from flask_babel import get_locale
    app.jinja_env.globals["get_locale"] = get_locale
    # Imported before init_app: its handlers then join socketio.handlers, which every init_app
    # registers on its new server (imported after, they would bind to the first app's server only).
    from conference.live import realtime  # registers the socket handlers
    _install_transaction_steps(realtime)
    socketio.init_app(app, async_mode=app.config.get("SOCKETIO_ASYNC_MODE", "threading"),
                      message_queue=app.config["REDIS_URL"],
                      channel=app.config.get("SOCKETIO_CHANNEL", "flask-socketio"),
                      cors_allowed_origins=app.config.get("SOCKETIO_CORS_ORIGINS"))


def _install_transaction_steps(realtime) -> None:
    """What every domain action's write transaction does besides its change (core/db.py
    write_transaction): the audit entry before the commit, the screens' new snapshot after it."""
    from conference.accounts import audit
    audit.watch_writes()  # notes the rows each write transaction touches, for its entry
    install_transaction_steps(record_change=audit.record_change, publish=realtime.publish)


def _wrap_wsgi(app: Flask) -> None:
    """Around the whole app, sockets included: the trusted proxies' headers, then the body limits."""
    from conference.web import proxies
    proxies.init_app(app)  # deploy/nginx.conf: the client's address and scheme, from trusted proxies only
    from conference.web.limits import limit_requests
    limit_requests(app, socketio.server.eio)  # outermost: a body over its limit reaches nothing


def _prepare_database(app: Flask) -> None:
    """Migrate, load the demo on first start, make the first administrator (its password kept once)."""
    from conference.office.first_start import prepare_database
    if not app.config.get("PREPARE_DATABASE", True):
        return
    with app.app_context():
        first = prepare_database(load_demo=app.config["LOAD_DEMO"], admin_password=app.config["ADMIN_PASSWORD"])
    if first:  # printed once by the start banner (cli.py), or logged under a WSGI server (wsgi.py)
        app.extensions["first_admin_password"] = first


class RowIdConverter(IntegerConverter):
    """<int:id> in every route: an id beyond the id column's range is simply not found (404)
    instead of reaching the database, which cannot bind it. The range is in the pattern itself:
    a number the pattern takes but max refuses would be a 405 where a GET and a POST share the
    address (Werkzeug 3.1 counts the other method's rule as a match before it converts)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)
        if self.max is not None and not self.signed:
            self.regex = digits_up_to(self.max)


def digits_up_to(limit: int) -> str:
    """A pattern of the numbers 0..limit written without a sign: fewer digits than LIMIT, or as
    many with a smaller digit at the first place where they differ, or LIMIT itself."""
    text = str(limit)
    choices = [rf"\d{{1,{len(text) - 1}}}"] if len(text) > 1 else []
    for place, digit in enumerate(text):
        lowest = 1 if place == 0 and len(text) > 1 else 0
        if int(digit) > lowest:
            choices.append(rf"{text[:place]}[{lowest}-{int(digit) - 1}]\d{{{len(text) - place - 1}}}")
    return "(?:" + "|".join(choices + [text]) + ")"


def _wants_json() -> bool:
    from conference.web.limits import wants_json
    return wants_json(request)


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ConferenceError)
    def conference_error(error: ConferenceError):
        return jsonify(error.to_dict()), error.status

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        from conference.web.http_errors import answer
        return answer(error, _wants_json())

    from sqlalchemy.exc import OperationalError

    @app.errorhandler(OperationalError)
    def storage_error(error: OperationalError):
        """The database held by another process, or the disk full: nothing was written, and the
        caller is told to try again (the door's outbox does so by itself), never a 500."""
        trouble = storage_trouble(error)
        if trouble is None:
            return unexpected_error(error)
        code, msgid, retry_after = trouble
        message = gettext(msgid)
        app.logger.warning("storage trouble (%s): %s", code, error.orig)
        db.session.rollback()
        headers = {"Retry-After": str(retry_after)}
        if not _wants_json():  # an office form: the reason, on a page of its own
            return message, 503, {**headers, "Content-Type": "text/plain; charset=utf-8"}
        return jsonify({"error": {"code": code, "message": message}}), 503, headers

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):  # a bug: log it, never show a traceback
        app.logger.exception("unexpected error")
        db.session.rollback()
        body = {"error": {"code": "internal_error", "message": gettext("Lỗi máy chủ, vui lòng thử lại.")}}
        return jsonify(body), 500


# What SQLite and PostgreSQL say when the storage, not the request, is at fault.
_BUSY = ("database is locked", "database table is locked", "lock timeout", "could not obtain lock")
_FULL = ("database or disk is full", "disk is full", "no space left on device", "could not extend file")


def storage_trouble(error) -> tuple[str, str, int] | None:
    """(code, msgid, seconds to wait) for a busy or full storage, None for anything else."""
    text = str(getattr(error, "orig", error)).lower()
    if any(words in text for words in _BUSY):
        return "storage_busy", N_("Cơ sở dữ liệu đang bận, vui lòng thử lại sau giây lát."), 2
    if any(words in text for words in _FULL):
        return "storage_full", N_("Ổ đĩa máy chủ đã đầy: báo cho văn phòng giải phóng chỗ trống."), 30
    return None
