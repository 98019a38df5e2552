"""The server hardening that leans on other projects' internals, listed in one place.

The server (serving.py, on gevent), gunicorn's worker (gunicorn_worker.py) and the body and message
limits (limits.py) keep slow or hostile clients from holding a process. Where no maintained option does
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
PHONES = "tests/web/test_hall_of_phones.py::"

PIECES = (
    Hardening("headers a byte at a time, a trickling body, or nothing at all, holding a connection",
              "serving.py: BoundedHandler, DeadlineReader", "gevent", "25.5.1",
              ("gevent.pywsgi:WSGIHandler.handle_one_request", "gevent.pywsgi:WSGIHandler.run_application",
               "gevent.pywsgi:WSGIHandler._sendall", "gevent.pywsgi:WSGIHandler._handle_client_error",
               "gevent.pywsgi:WSGIHandler.close_connection", "gevent.pywsgi:WSGIHandler.environ"),
              CONNECTIONS_TEST),
    Hardening("hundreds of connections from one address, or thousands in all, exhausting the process",
              "serving.py: CappedServerMixin, ConnectionCaps", "gevent", "25.5.1",
              ("gevent.baseserver:BaseServer.do_handle", "gevent.server:StreamServer.do_close",
               "gevent.server:StreamServer.wrap_socket_and_handle", "gevent.server:StreamServer.ssl_args"),
              PHONES + "test_connections_past_the_cap_of_one_address_are_refused_at_once_and_others_served"),
    Hardening("a connection that never starts TLS, holding its connection",
              "serving.py: CappedServerMixin.wrap_socket_and_handle", "gevent", "25.5.1",
              ("gevent.server:StreamServer.wrap_socket",),
              "tests/web/test_connections.py::test_connections_that_never_start_tls_do_not_hold_the_https_server"),
    Hardening("the same limits under the production command, and WebSockets found on its sockets",
              "gunicorn_worker.py: BoundedGeventWorker, CappedGunicornServer", "gunicorn", "27.0.1",
              ("gunicorn.workers.ggevent:GeventPyWSGIWorker.server_class",
               "gunicorn.workers.ggevent:GeventPyWSGIWorker.wsgi_handler",
               "gunicorn.workers.ggevent:GeventWorker.init_process", "gunicorn.workers.ggevent:PyWSGIServer",
               "gunicorn.workers.ggevent:PyWSGIHandler.get_environ"),
              CONNECTIONS_TEST),
    Hardening("a WebSocket message sent as endless fragments, growing in memory without bound",
              "limits.py: bound_websocket_messages", "python-engineio", "4.15.1",
              ("engineio.base_server:BaseServer._async", "engineio.async_drivers._websocket_wsgi:SimpleWebSocketWSGI.server_args"),
              PHONES + "test_a_websocket_message_sent_as_endless_fragments_is_cut_off_at_its_limit"),
    Hardening("a WebSocket's socket, which simple-websocket finds by the server's name and its input's _sock",
              "serving.py: DeadlineReader._sock; gunicorn_worker.py: CappedGunicornServer", "simple-websocket", "1.1.0",
              ("simple_websocket.ws:Server.mode", "simple_websocket.ws:Base.max_message_size"),
              "tests/web/test_connections.py::test_screens_idle_for_longer_than_the_time_limits_keep_their_connections"),
    Hardening("refused polling POSTs whose client never collects the goodbye, holding a connection each",
              "limits.py: answer_refused_polls_at_once", "python-engineio", "4.15.1",
              ("engineio.base_server:BaseServer.reason.SERVER_DISCONNECT", "engineio.server:Server.disconnect",
               "engineio.socket:Socket.close", "engineio.socket:Socket.upgraded"),
              CONNECTIONS_TEST),
    Hardening("polling POSTs whose body stops half-way, each writing a traceback to the log",
              "polls.py: QuietStalledPolls, PollBody", "python-engineio", "4.15.1",
              ("engineio.socket:Socket.handle_post_request", "engineio.server:Server.handle_request",
               "engineio.exceptions:EngineIOError"),
              "tests/web/test_stalled_polls.py::test_a_polling_post_whose_body_stops_half_way_is_one_warning_line_without_a_traceback"),
    Hardening("a chunked body without a length, read past its limit",
              "limits.py: BodyLimit, CappedInput", "Werkzeug", "3.1.9",
              ("werkzeug.wrappers:Request.max_content_length",),
              "tests/web/test_connections.py::test_a_chunked_body_without_a_length_is_cut_off_at_its_limit"),
)
