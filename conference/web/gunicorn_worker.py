"""gunicorn's gthread worker with the embedded server's time limits (deploy/gunicorn.command:
--worker-class conference.web.gunicorn_worker.TimedThreadWorker). Apart from serving.py so that the
embedded server, which also runs on Windows, never imports gunicorn. It relies on internals of the
pinned gunicorn (the gthread worker's _DEFER, _keepalive_after, the parser's read-ahead buffer),
listed in hardening.py: tests/web/test_hardening.py fails when gunicorn changes."""
from __future__ import annotations

import re
import socket
import time

from gunicorn.glogging import Logger
from gunicorn.workers.gthread import _DEFER as DEFER_TO_POLLER, ThreadWorker
from werkzeug.exceptions import RequestTimeout

from conference.core.config import HEADER_TIMEOUT
from conference.core.log_redaction import redact_logger
from .serving import EmbeddedRequestHandler, body_time


class DeadlineSocket(socket.socket):
    """A connection of gunicorn's gthread worker whose blocking reads stop at a deadline, as the
    embedded server's do: late, a read raises `late` (RequestTimeout while the application reads
    the body; TimeoutError, on which gunicorn's drain and close give up), or with None ends as if
    the client had closed (gunicorn then drops the request quietly)."""

    deadline: float | None = None
    late: type[Exception] | None = None
    since: float | None = None  # when the worker first looked for the request it now waits for

    @classmethod
    def adopt(cls, connection: socket.socket) -> "DeadlineSocket":
        return cls(connection.family, connection.type, connection.proto, fileno=connection.detach())

    def expect(self, seconds: float, late: type[Exception] | None = None) -> None:
        self.deadline, self.late = time.monotonic() + seconds, late

    def recv(self, size: int, flags: int = 0) -> bytes:
        prior = self.gettimeout()
        if self.deadline is None or prior == 0:  # the worker's poller never blocks
            return super().recv(size, flags)
        try:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the client took too long")
            self.settimeout(left if prior is None else min(left, prior))
            return super().recv(size, flags)
        except TimeoutError:
            if self.late is None:
                return b""
            raise self.late("the client took too long") from None
        finally:
            self.settimeout(prior)  # writes keep the worker's own setting

    def linger(self) -> None:
        """Before a close: what the client still sends (a refused body) is dropped for LINGER at
        most, so that it reads its answer rather than a reset, here in the request's thread; the
        worker's own close, on the thread that accepts every connection, then waits no more."""
        try:
            self.shutdown(socket.SHUT_WR)
            self.expect(EmbeddedRequestHandler.LINGER, TimeoutError)
            while self.recv(65536):
                pass
        except OSError:
            pass
        self.expect(0, TimeoutError)


class TimedThreadWorker(ThreadWorker):
    """gunicorn's gthread worker (deploy/gunicorn.command) with the embedded server's time limits.
    Its own gives a thread to a connection as soon as it has sent a byte (or after 5 s of nothing),
    and that thread then waits for the headers and the body without a limit: 100 clients sending a
    byte now and then held its 100 threads, and every door waited. Here a connection
    gets a thread only once its headers have arrived (and its body too, if small: a check-in, a
    login, a Socket.IO packet); until then it waits in the worker's poller, which costs no thread,
    for HEADER_TIMEOUT at most. A large body (an upload) is read by its thread within body_time().
    With gunicorn's own TLS (--certfile) it is gthread as it was: TLS belongs to nginx (docs/SCALE.md)."""

    PEEK = 128 * 1024  # headers and a small body, looked at before a thread takes the request

    def enqueue_req(self, conn) -> None:
        if not self.cfg.is_ssl and not isinstance(conn.sock, DeadlineSocket):
            conn.sock = DeadlineSocket.adopt(conn.sock)
        super().enqueue_req(conn)

    def handle(self, conn):
        if not isinstance(conn.sock, DeadlineSocket):
            return super().handle(conn)
        arrived = self._arrived(conn)
        if arrived is None:
            conn.sock.expect(0, TimeoutError)  # closed on the accepting thread: no waiting there
            return False
        if not arrived:
            return DEFER_TO_POLLER
        conn.data_ready, conn.sock.since = True, None
        conn.sock.expect(HEADER_TIMEOUT)
        return super().handle(conn)

    def _arrived(self, conn) -> bool | None:
        """Whether the request is all here (True), not yet (False), or will never be (None: closed,
        or later than HEADER_TIMEOUT since the worker first looked for it)."""
        if conn.parser is not None and conn.parser.unreader.buf.getvalue():
            return True  # bytes read ahead with the previous request
        try:
            waiting = conn.sock.recv(self.PEEK, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        except BlockingIOError:
            waiting = None
        except OSError:
            return None
        if waiting == b"":
            return None
        if waiting and request_complete(waiting, self.PEEK):
            return True
        conn.sock.since = conn.sock.since or time.monotonic()
        return False if time.monotonic() - conn.sock.since < HEADER_TIMEOUT else None

    def handle_request(self, req, conn) -> bool:
        if not isinstance(conn.sock, DeadlineSocket):
            return super().handle_request(req, conn)
        length = next((value for name, value in req.headers if name == "CONTENT-LENGTH"), None)
        conn.sock.expect(body_time(length), RequestTimeout)  # the application answers 408
        try:
            return super().handle_request(req, conn)
        finally:
            conn.sock.late = TimeoutError  # gunicorn's drain of an unread body then gives up

    def _keepalive_after(self, conn, keepalive: bool) -> bool:
        if super()._keepalive_after(conn, keepalive):
            return True
        if isinstance(conn.sock, DeadlineSocket):
            conn.sock.linger()
        return False


def request_complete(waiting: bytes, most: int) -> bool:
    """Whether `waiting` (the first `most` bytes a connection has sent) holds its request: the
    headers, and the body unless it is larger than `most` (an upload, or one to refuse at once)."""
    end = waiting.find(b"\r\n\r\n")
    if end < 0:
        return len(waiting) >= most  # headers too long: gunicorn refuses them
    length = re.search(rb"\r\ncontent-length:[ \t]*(\d+)", waiting[:end], re.IGNORECASE)
    body = int(length.group(1)) if length else 0
    return body > most - end - 4 or len(waiting) - end - 4 >= body  # a large body is read by its thread


class RedactingLogger(Logger):
    """gunicorn's logger (deploy/gunicorn.command: --logger-class) with every token in an address
    written /press/… and /pair/…: its access log, if one is turned on (--access-logfile), names
    each request, and its error log names a request it could not handle (log_redaction.py)."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        redact_logger(self.error_log)
        redact_logger(self.access_log)
