"""The server hardening that leans on other projects' internals, listed in one place.

The embedded server (serving.py), gunicorn's worker (gunicorn_worker.py) and the body limits
(limits.py) keep slow or hostile clients from holding a process. Where no maintained option does
the job, they override or patch a library's internals; each such piece is listed here with the
attack it answers, the test that makes that attack on a real server, the upstream version it was
written against and the internals it touches. tests/web/test_hardening.py fails when an installed
version is not the one named here, or an internal is gone, so an upgrade is a prompt to re-read
the piece rather than a surprise on the day.
"""
from __future__ import annotations

from typing import NamedTuple


class Hardening(NamedTuple):
    attack: str
    code: str  # where the piece is, in conference/web/
    package: str  # the distribution whose internals it relies on
    version: str  # the version it was written against (requirements.txt pins it)
    internals: tuple[str, ...]  # "module:attribute.attribute" it overrides, reads or patches
    test: str  # the test that makes the attack, "path::name"


CONNECTIONS_TEST = "tests/web/test_connections.py::test_hundreds_of_hostile_connections_leave_the_door_checking_in_as_usual"

PIECES = (
    Hardening("headers a byte at a time, a trickling body, or nothing at all, holding a thread",
              "serving.py: EmbeddedRequestHandler, _DeadlineReader, _DeadlineWriter", "Werkzeug", "3.1.9",
              ("werkzeug.serving:WSGIRequestHandler.setup", "werkzeug.serving:WSGIRequestHandler.handle_one_request",
               "werkzeug.serving:WSGIRequestHandler.run_wsgi", "werkzeug.serving:WSGIRequestHandler.send_response"),
              CONNECTIONS_TEST),
    Hardening("a connection that never starts TLS, holding the one thread that accepts",
              "serving.py: EmbeddedServer, EmbeddedRequestHandler._handshake", "Werkzeug", "3.1.9",
              ("werkzeug.serving:ThreadedWSGIServer", "werkzeug.serving:load_ssl_context"),
              "tests/web/test_connections.py::test_connections_that_never_start_tls_do_not_hold_the_https_server"),
    Hardening("clients sending a byte now and then, holding gunicorn's threads before their headers",
              "gunicorn_worker.py: TimedThreadWorker, DeadlineSocket", "gunicorn", "27.0.1",
              ("gunicorn.workers.gthread:_DEFER", "gunicorn.workers.gthread:ThreadWorker.enqueue_req",
               "gunicorn.workers.gthread:ThreadWorker.handle", "gunicorn.workers.gthread:ThreadWorker.handle_request",
               "gunicorn.workers.gthread:ThreadWorker._keepalive_after",
               "gunicorn.http.unreader:Unreader.buf"),
              CONNECTIONS_TEST),
    Hardening("refused polling POSTs whose client never collects the goodbye, holding a thread each",
              "limits.py: answer_refused_polls_at_once", "python-engineio", "4.15.1",
              ("engineio.base_server:BaseServer.reason.SERVER_DISCONNECT", "engineio.server:Server.disconnect",
               "engineio.socket:Socket.close", "engineio.socket:Socket.upgraded"),
              CONNECTIONS_TEST),
    Hardening("a chunked body without a length, read past its limit",
              "limits.py: BodyLimit, CappedInput", "Werkzeug", "3.1.9",
              ("werkzeug.wrappers:Request.max_content_length",),
              "tests/web/test_connections.py::test_a_chunked_body_without_a_length_is_cut_off_at_its_limit"),
)
