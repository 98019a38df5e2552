"""How a process serves: what it does once before it takes requests (the CLI's serve and
conference.wsgi), and the embedded server of `python3 -m conference serve` with its time limits.
gunicorn's worker with the same limits is in gunicorn_worker.py (gunicorn runs on POSIX only).
What it overrides of Werkzeug is listed in hardening.py, with the version and the tests."""
from __future__ import annotations

import gc
import io
import logging
import select
import socket
import ssl
import time

from werkzeug.exceptions import RequestTimeout
from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler, load_ssl_context

from conference.core.config import BODY_MAX_BYTES, BODY_MIN_RATE, HEADER_TIMEOUT
from conference.core.log_redaction import redact_logger


def tune_garbage_collector() -> None:
    """Fewer, cheaper collections while serving. Everything made at start-up (the app, the
    libraries, the ORM's mappings) lives as long as the process, so it is frozen out of the
    collector's scans, and the youngest generation is collected every 20,000 allocations
    instead of 700: a request makes thousands. It trades a few MB of memory for a lower tail
    latency under many doors (bench/checkin_load.py measures both)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def raise_open_file_limit() -> None:
    """Every connection costs a file descriptor, and a shell's soft limit is often 1,024: raised to
    the hard limit (a systemd unit sets it, deploy/conference@.service), so that a burst of
    connections is met by the timeouts below rather than by "Too many open files"."""
    try:
        import resource
    except ImportError:  # Windows: no such limit to raise
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError):  # some systems refuse an unlimited soft limit: keep the soft one
            pass


def serve_embedded(app, host: str, port: int, certificate: tuple[str, str] | None = None) -> None:
    """`python3 -m conference serve`: Werkzeug's threaded server, one thread per connection, with
    the time limits of EmbeddedRequestHandler and the TLS handshake in the connection's thread.
    Werkzeug's lines name the request (an access line, or "Bad request syntax ('GET /press/…')"
    even at the ERROR level `serve` keeps it to): a token in the address is written /press/…
    (log_redaction.py)."""
    redact_logger(logging.getLogger("werkzeug"))
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


def _wait(connection: socket.socket, writing: bool, deadline: float) -> None:
    """Until the connection can be read (or written), or TimeoutError once `deadline` has passed.
    poll() where there is one: it takes any descriptor, and raise_open_file_limit() lets them pass
    select()'s 1,024; Windows has only select(), which has no such limit there."""
    left = deadline - time.monotonic()
    if left <= 0 or not _ready(connection, writing, left):
        raise TimeoutError("the client took too long")


if hasattr(select, "poll"):
    def _ready(connection: socket.socket, writing: bool, seconds: float) -> bool:
        poller = select.poll()
        poller.register(connection, select.POLLOUT if writing else select.POLLIN)
        return bool(poller.poll(seconds * 1000))
else:  # Windows
    def _ready(connection: socket.socket, writing: bool, seconds: float) -> bool:
        ready = select.select([] if writing else [connection], [connection] if writing else [], [], seconds)
        return bool(ready[0] or ready[1])


class _DeadlineReader(io.RawIOBase):
    """The connection's reads, all within `deadline` (a monotonic time): a socket timeout alone
    bounds each read, so a client sending a byte every few seconds would never be cut off. Late, a
    read raises `late`, or with None (the answer has started, what is read is dropped) ends as if
    the client had closed: Werkzeug's drain then closes its selector, which it leaks when the read
    raises (an epoll descriptor per refused body, until a garbage collection).

    The socket is non-blocking (EmbeddedRequestHandler.setup): a read takes what has arrived at
    once, and waits only when nothing has. A socket timeout set before each read did the same with
    three system calls where one is enough (set the timeout, poll, receive), each letting go of the
    interpreter's lock, which twenty doors contend for (bench/checkin_load.py prints the CPU time
    a request costs)."""

    def __init__(self, connection: socket.socket):
        self.connection = connection
        self.deadline: float | None = None
        self.late: type[Exception] | None = TimeoutError

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.deadline is None:  # a WebSocket: its socket is blocking again (run_wsgi)
            return self.connection.recv_into(buffer)
        try:
            while True:
                try:
                    return self.connection.recv_into(buffer)
                except (BlockingIOError, ssl.SSLWantReadError):  # nothing has arrived yet
                    _wait(self.connection, False, self.deadline)
                except ssl.SSLWantWriteError:  # TLS must write before it can read
                    _wait(self.connection, True, self.deadline)
        except OSError:
            if self.late is None:
                return 0
            raise self.late() from None

    def expect(self, seconds: float | None, late: type[Exception] | None) -> None:
        self.deadline = None if seconds is None else time.monotonic() + seconds
        self.late = late


class _DeadlineWriter(io.RawIOBase):
    """The answer's writes on the non-blocking socket, each within HEADER_TIMEOUT (what the socket
    timeout gave a sendall): a client that stops reading cannot hold its thread. It sends at once
    while the socket's buffer has room, and waits only when it is full (a sendall under a timeout
    polls before every send). TimeoutError is one of the errors on which Werkzeug drops the
    connection."""

    def __init__(self, connection: socket.socket):
        self.connection = connection

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        view, deadline = memoryview(data).cast("B"), None
        while view:
            try:
                view = view[self.connection.send(view):]
                continue
            except ssl.SSLWantReadError:  # TLS must read before it can write
                writing = False
            except (BlockingIOError, ssl.SSLWantWriteError):  # the socket's buffer is full
                writing = True
            if deadline is None:
                deadline = time.monotonic() + HEADER_TIMEOUT
            _wait(self.connection, writing, deadline)
        return len(data)


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

    # The connection's socket is non-blocking (socketserver's setup sets this timeout on it): every
    # read and write waits by itself, within its own deadline (_DeadlineReader, _DeadlineWriter).
    timeout = 0.0
    LINGER = 1.0

    def setup(self) -> None:
        super().setup()
        self.reader = _DeadlineReader(self.connection)
        self.rfile = io.BufferedReader(self.reader)
        self.wfile = _DeadlineWriter(self.connection)

    def handle(self) -> None:
        if isinstance(self.connection, ssl.SSLSocket) and not self._handshake():
            return
        super().handle()

    def _handshake(self) -> bool:
        """The TLS handshake, within HEADER_TIMEOUT in all."""
        deadline = time.monotonic() + HEADER_TIMEOUT
        try:
            while True:
                try:
                    self.connection.do_handshake()
                    return True
                except ssl.SSLWantReadError:
                    _wait(self.connection, False, deadline)
                except ssl.SSLWantWriteError:
                    _wait(self.connection, True, deadline)
        except (OSError, ssl.SSLError):  # a port scan, plain http on the https port, too slow
            return False

    def handle_one_request(self) -> None:
        self.reader.expect(HEADER_TIMEOUT, TimeoutError)  # Werkzeug logs it and closes
        super().handle_one_request()

    def run_wsgi(self) -> None:
        if self.headers.get("Upgrade", "").lower() == "websocket":
            self.reader.expect(None, None)
            self.connection.settimeout(None)  # blocking, for the WebSocket's own reads and writes
        else:  # the application answers 408, as any error
            self.reader.expect(body_time(self.headers.get("Content-Length")), RequestTimeout)
        super().run_wsgi()

    def send_response(self, code: int, message: str | None = None) -> None:
        if self.reader.deadline is not None:
            left = self.reader.deadline - time.monotonic()
            self.reader.expect(min(left, self.LINGER), None)
        super().send_response(code, message)
