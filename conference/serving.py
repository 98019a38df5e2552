"""How a process serves: what it does once before it takes requests (the CLI's serve and
conference.wsgi), and the embedded server of `python3 -m conference serve` with its time limits."""
from __future__ import annotations

import gc
import io
import re
import resource
import socket
import ssl
import time

from gunicorn.workers.gthread import _DEFER as DEFER_TO_POLLER, ThreadWorker
from werkzeug.exceptions import RequestTimeout
from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler, load_ssl_context

from .config import BODY_MAX_BYTES, BODY_MIN_RATE, HEADER_TIMEOUT


def tune_garbage_collector() -> None:
    """Fewer, cheaper collections while serving. Everything made at start-up (the app, the
    libraries, the ORM's mappings) lives as long as the process, so it is frozen out of the
    collector's scans, and the youngest generation is collected every 20,000 allocations
    instead of 700: a request makes thousands. With twenty doors at 150 scans/s this took the
    p99 of a check-in from 120-180 to 100-115 ms, for 7 MB more memory (bench/checkin_load.py)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def raise_open_file_limit() -> None:
    """Every connection costs a file descriptor, and a shell's soft limit is often 1,024: raised to
    the hard limit (a systemd unit sets it, deploy/conference@.service), so that a burst of
    connections is met by the timeouts below rather than by "Too many open files"."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError):  # some systems refuse an unlimited soft limit: keep the soft one
            pass


def serve_embedded(app, host: str, port: int, certificate: tuple[str, str] | None = None) -> None:
    """`python3 -m conference serve`: Werkzeug's threaded server, one thread per connection, with
    the time limits of EmbeddedRequestHandler and the TLS handshake in the connection's thread."""
    server = EmbeddedServer(host, port, app, certificate)
    server.log_startup()
    server.serve_forever()


class EmbeddedServer(ThreadedWSGIServer):
    """Werkzeug does the TLS handshake in accept(), on the one thread that accepts every connection:
    a client that opened a connection and sent nothing held the whole https server. The handshake
    is done by the connection's own thread instead, within its time limit."""

    def __init__(self, host: str, port: int, app, certificate: tuple[str, str] | None):
        super().__init__(host, port, app, EmbeddedRequestHandler)
        if certificate:
            self.ssl_context = load_ssl_context(*certificate)
            self.socket = self.ssl_context.wrap_socket(self.socket, server_side=True,
                                                       do_handshake_on_connect=False)


class _DeadlineReader(io.RawIOBase):
    """The connection's reads, each given only the time left before `deadline` (a monotonic time):
    a socket timeout alone bounds each read, so a client sending a byte every few seconds would
    never be cut off. Late, a read raises `late`, or with None (the answer has started, what is read
    is dropped) ends as if the client had closed: Werkzeug's drain then closes its selector, which
    it leaks when the read raises (an epoll descriptor per refused body, until a garbage collection)."""

    def __init__(self, connection: socket.socket):
        self.connection = connection
        self.deadline: float | None = None
        self.late: type[Exception] | None = TimeoutError

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.deadline is None:
            return self.connection.recv_into(buffer)
        try:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the client took too long")
            self.connection.settimeout(left)
            return self.connection.recv_into(buffer)
        except OSError:
            if self.late is None:
                return 0
            raise self.late() from None

    def expect(self, seconds: float | None, late: type[Exception] | None) -> None:
        self.deadline = None if seconds is None else time.monotonic() + seconds
        self.late = late


def body_time(content_length: str | None) -> float:
    """Seconds a body may take to arrive: a fixed allowance, then BODY_MIN_RATE (config.py)."""
    length = int(content_length) if content_length and content_length.isdigit() else BODY_MAX_BYTES
    return HEADER_TIMEOUT + min(length, BODY_MAX_BYTES) / BODY_MIN_RATE


class EmbeddedRequestHandler(WSGIRequestHandler):
    """A connection gets HEADER_TIMEOUT for its request line and headers (an idle connection is
    closed then too; Werkzeug closes every connection after its response, so there is no idle
    keep-alive), body_time() for its body, and each write the same HEADER_TIMEOUT. Once the answer
    has started, what the client still sends (a refused body) is read and dropped for LINGER at
    most, so that it sees the answer rather than a reset, then the connection closes. A WebSocket
    has no time limit: engine.io's ping every 25 s closes one whose client has gone."""

    timeout = HEADER_TIMEOUT
    LINGER = 1.0

    def setup(self) -> None:
        super().setup()
        self.reader = _DeadlineReader(self.connection)
        self.rfile = io.BufferedReader(self.reader)

    def handle(self) -> None:
        if isinstance(self.connection, ssl.SSLSocket) and not self._handshake():
            return
        super().handle()

    def _handshake(self) -> bool:
        try:
            self.connection.do_handshake()
            return True
        except (OSError, ssl.SSLError):  # a port scan, plain http on the https port, too slow
            return False

    def handle_one_request(self) -> None:
        self.reader.expect(HEADER_TIMEOUT, TimeoutError)  # Werkzeug logs it and closes
        super().handle_one_request()

    def run_wsgi(self) -> None:
        if self.headers.get("Upgrade", "").lower() == "websocket":
            self.reader.expect(None, None)
            self.connection.settimeout(None)
        else:  # the application answers 408, as any error
            self.reader.expect(body_time(self.headers.get("Content-Length")), RequestTimeout)
        super().run_wsgi()

    def send_response(self, code: int, message: str | None = None) -> None:
        if self.reader.deadline is not None:
            left = self.reader.deadline - time.monotonic()
            self.reader.expect(min(left, self.LINGER), None)
            self.connection.settimeout(self.timeout)  # for the answer's writes
        super().send_response(code, message)


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
    byte now and then held its 100 threads, and every door waited (issue 15). Here a connection
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
