"""gunicorn's gevent worker with the embedded server's caps and time limits (deploy/gunicorn.command:
--worker-class conference.web.gunicorn_worker.BoundedGeventWorker). Apart from serving.py so that the
embedded server, which also runs on Windows, never imports gunicorn. What it relies on of gunicorn's
worker is listed in hardening.py: tests/web/test_hardening.py fails when gunicorn changes."""
from __future__ import annotations

import os

import gevent
from gunicorn.glogging import Logger
from gunicorn.workers.ggevent import GeventPyWSGIWorker, PyWSGIHandler, PyWSGIServer

from conference.core.log_redaction import redact_logger
from .serving import BoundedHandler, CappedServerMixin, ConnectionCaps


class BoundedGunicornHandler(BoundedHandler, PyWSGIHandler):
    """The embedded server's time limits, with gunicorn's access log and environ."""


class CappedGunicornServer(CappedServerMixin, PyWSGIServer):
    """gunicorn's server behind ConnectionCaps. Its environ names gunicorn as the server software,
    where simple-websocket looks for "gevent" to find a WebSocket's socket: both are named."""

    def __init__(self, *args, environ=None, **kwargs):
        environ = dict(environ or {})
        environ["SERVER_SOFTWARE"] = f"gevent/{gevent.__version__} {environ.get('SERVER_SOFTWARE', 'gunicorn')}"
        super().__init__(*args, environ=environ, **kwargs)


class BoundedGeventWorker(GeventPyWSGIWorker):
    """gunicorn's gevent worker (it makes the standard library cooperative before it loads the app),
    each connection capped and timed as in the embedded server. gunicorn's own pool of
    --worker-connections stops accepting when full, with no answer: the caps refuse first, clearly."""

    server_class = CappedGunicornServer
    wsgi_handler = BoundedGunicornHandler

    def init_process(self):
        caps = ConnectionCaps.for_this_process(os.environ.get("CONFERENCE_TRUSTED_PROXIES", ""))
        caps.total = min(caps.total, self.worker_connections - 1)
        CappedGunicornServer.caps = caps
        super().init_process()


class RedactingLogger(Logger):
    """gunicorn's logger (deploy/gunicorn.command: --logger-class) with every token in an address
    written /press/… and /pair/…: its access log, if one is turned on (--access-logfile), names
    each request, and its error log names a request it could not handle (log_redaction.py)."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        redact_logger(self.error_log)
        redact_logger(self.access_log)
