"""The app factory: create_app builds the Flask app, its extensions, its views and its database."""
from __future__ import annotations

import mimetypes
import os
from pathlib import Path

from flask import Flask, jsonify, request
from flask_babel import gettext
from sqlalchemy.exc import DBAPIError, DisconnectionError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from conference.core.config import default_instance, load_settings
from conference.core.db import MAX_ID, db, install_transaction_steps, keep_sqlite_file_private
from conference.core.errors import N_, ConferenceError
from conference.core.extensions import babel, csrf, limiter, socketio
from conference.core.resources import STATIC, TEMPLATES

# pdf.js ships as ES modules (.mjs); a browser refuses a module served as anything but JavaScript,
# and not every platform's MIME table knows the extension.
mimetypes.add_type("text/javascript", ".mjs")


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
    if app.config.get("PREPARE_DATABASE", True):
        _refuse_a_weak_admin_password(app.config["ADMIN_PASSWORD"])  # before anything is made
    keep_sqlite_file_private(app.config["SQLALCHEMY_DATABASE_URI"])  # before anything opens it

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
    _check_pooled_connections(app)
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
    from conference.web.cooperative import async_mode
    socketio.init_app(app, async_mode=app.config.get("SOCKETIO_ASYNC_MODE") or async_mode(),
                      message_queue=app.config["REDIS_URL"],
                      channel=app.config.get("SOCKETIO_CHANNEL", "flask-socketio"),
                      cors_allowed_origins=app.config.get("SOCKETIO_CORS_ORIGINS"))


def _check_pooled_connections(app: Flask) -> None:
    """On a database server (PostgreSQL), each pooled connection is tested as a request takes it
    (pool_pre_ping, one round trip): after the server restarted, a dead connection is replaced
    instead of failing the request. SQLite's file has no connection to lose."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True,
                                                   **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})}


def _install_transaction_steps(realtime) -> None:
    """What every domain action's write transaction does besides its change (core/db.py
    write_transaction): the audit entry before the commit, the screens' new snapshot after it."""
    from conference.accounts import audit
    audit.watch_writes()  # notes the rows each write transaction touches, for its entry
    install_transaction_steps(record_change=audit.record_change, publish=realtime.publish)


def _wrap_wsgi(app: Flask) -> None:
    """Around the whole app, sockets included: a polling body that stops half-way, the trusted
    proxies' headers, then the body limits."""
    from conference.web.polls import QuietStalledPolls
    app.wsgi_app = QuietStalledPolls(app.wsgi_app, app.logger)  # web/polls.py: one line, no traceback
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
        first = prepare_database(load_demo=app.config["LOAD_DEMO"], admin_password=app.config["ADMIN_PASSWORD"],
                                 reset_admin=app.config["ADMIN_PASSWORD_RESET"])
    if first:  # printed once by the start banner (cli.py), or logged under a WSGI server (wsgi.py)
        app.extensions["first_admin_password"] = first


def _refuse_a_weak_admin_password(password: str | None) -> None:
    """CONFERENCE_ADMIN_PASSWORD is held to the rules of every password set, or the start stops
    with the reason, in the command line's language."""
    from conference.accounts.users import parse_password
    from conference.cli.language import language
    from conference.core.i18n import catalogue
    try:
        parse_password(password)
    except ConferenceError as error:
        raise SystemExit(f"CONFERENCE_ADMIN_PASSWORD: {error.text(catalogue(language()).gettext)}") from None


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

    from conference.web.http_errors import storage_answer

    def storage_error(error: Exception):
        """The database held by another process, the disk full, or the database server out of
        reach (restarted, the connection cut): nothing was written, and the caller is told to try
        again (the door's outbox does so by itself), never a 500. Any other database error is a bug."""
        trouble = storage_trouble(error)
        if trouble is None:
            return unexpected_error(error)
        said = str(getattr(error, "orig", None) or error).strip()
        app.logger.warning("storage trouble (%s): %s", trouble[0], said.splitlines()[0] if said else type(error).__name__)
        _rollback_quietly()
        return storage_answer(trouble, _wants_json())

    for kind in STORAGE_ERRORS:
        app.register_error_handler(kind, storage_error)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):  # a bug: log it, never show a traceback
        app.logger.exception("unexpected error")
        _rollback_quietly()
        body = {"error": {"code": "internal_error", "message": gettext("Lỗi máy chủ, vui lòng thử lại.")}}
        return jsonify(body), 500


def _rollback_quietly() -> None:
    """Give the request's connection back. On a connection that died the rollback may fail too:
    the session is then dropped, and the pool has already let that connection go."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the answer is already decided; the next request starts afresh
        db.session.remove()


# What SQLite and PostgreSQL say when the storage, not the request, is at fault.
_BUSY = ("database is locked", "database table is locked", "lock timeout", "could not obtain lock")
_FULL = ("database or disk is full", "disk is full", "no space left on device", "could not extend file")


def _driver_errors() -> tuple[type[Exception], ...]:
    """psycopg's own errors for a connection that is gone: an OperationalError (the server shut
    down, restarted, or cut the connection) or an InterfaceError (a connection already closed)."""
    try:
        import psycopg
    except ImportError:  # an install on SQLite only
        return ()
    return psycopg.OperationalError, psycopg.InterfaceError


UNREACHABLE = _driver_errors()
# What create_app answers with storage_answer: SQLAlchemy's wrapping of any driver error (most of
# them are bugs, answered 500), the pool's own disconnect, and a driver error raised unwrapped.
STORAGE_ERRORS = (DBAPIError, DisconnectionError, *UNREACHABLE)


def storage_trouble(error: Exception) -> tuple[str, str, int] | None:
    """(code, msgid, seconds to wait) for a busy, full or unreachable storage; None for anything
    else (a bug: the caller answers 500)."""
    text = str(getattr(error, "orig", error)).lower()
    if any(words in text for words in _BUSY):
        return "storage_busy", N_("Cơ sở dữ liệu đang bận, vui lòng thử lại sau giây lát."), 2
    if any(words in text for words in _FULL):
        return "storage_full", N_("Ổ đĩa máy chủ đã đầy: báo cho văn phòng giải phóng chỗ trống."), 30
    if _unreachable(error):
        return "storage_unavailable", N_("Mất kết nối tới cơ sở dữ liệu (máy chủ dữ liệu đang khởi động lại?); "
                                         "vui lòng thử lại sau giây lát."), 5
    return None


def _unreachable(error: Exception) -> bool:
    """The database server is out of reach: SQLAlchemy saw the connection die (it is dropped from
    the pool, and the next request gets a new one), the pool could not make one, or the driver says
    so itself (refused, restarted, shutting down)."""
    if getattr(error, "connection_invalidated", False) or isinstance(error, DisconnectionError):
        return True
    return isinstance(getattr(error, "orig", error), UNREACHABLE)
