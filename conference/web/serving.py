"""How a process serves: what it does once before it takes requests (the CLI's serve and
conference.wsgi), and the server of `python3 -m conference serve`, which gunicorn's worker
(gunicorn_worker.py, deploy/gunicorn.command) shares.

Both are gevent's WSGI server: a connection costs a greenlet (a few KB), not a thread, so a hall of
phones and screens fits in one process (web/cooperative.py makes the standard library cooperative
first). Each connection is bounded: ConnectionCaps refuses one past the caps per address and in all;
BoundedHandler gives the headers, the body and each write their time. The internals of gevent it
overrides are listed in hardening.py, with the version and the tests.
"""
from __future__ import annotations

import gc
import io
import ipaddress
import logging
import ssl
import threading
import time

import gevent
from gevent.pywsgi import WSGIHandler, WSGIServer
from werkzeug.exceptions import RequestTimeout

from conference.core.config import (BODY_MAX_BYTES, BODY_MIN_RATE, CONNECTIONS_MAX, CONNECTIONS_PER_ADDRESS,
                                    HEADER_TIMEOUT)
from conference.core.log_redaction import redact_logger

log = logging.getLogger("conference.server")


def tune_garbage_collector() -> None:
    """Fewer, cheaper collections while serving. Everything made at start-up (the app, the
    libraries, the ORM's mappings) lives as long as the process, so it is frozen out of the
    collector's scans, and the youngest generation is collected every 20,000 allocations
    instead of 700: a request makes thousands. It trades a few MB of memory for a lower tail
    latency under many doors (bench/checkin_load.py measures both)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def open_file_limit() -> int:
    """The descriptors this process may open, raised first to the hard limit (a systemd unit sets it,
    deploy/conference@.service): a shell's soft limit is often 1,024, fewer than a hall's phones."""
    try:
        import resource
    except ImportError:  # Windows: no such limit
        return CONNECTIONS_MAX + 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError):  # some systems refuse an unlimited soft limit: keep the soft one
            pass
    return soft if soft != resource.RLIM_INFINITY else CONNECTIONS_MAX + 1024


def raise_open_file_limit() -> None:
    open_file_limit()


def body_time(content_length: str | None) -> float:
    """Seconds a body may take to arrive: a fixed allowance, then BODY_MIN_RATE (config.py)."""
    length = int(content_length) if content_length and content_length.isdigit() else BODY_MAX_BYTES
    return HEADER_TIMEOUT + min(length, BODY_MAX_BYTES) / BODY_MIN_RATE


REFUSAL = (b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 10\r\nConnection: close\r\n"
           b"Content-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s")
REFUSAL_TEXT = "Máy chủ đang nhận quá nhiều kết nối; xin thử lại sau ít giây.\nToo many connections; try again in a few seconds.\n"


class ConnectionCaps:
    """How many connections each address and the whole process hold. Past a cap a connection is
    answered 503 at once, on the thread that accepts (a few bytes fit the socket's buffer), and
    closed: it never costs a greenlet. `exempt` addresses (this machine, a trusted proxy) have the
    total cap only."""

    def __init__(self, total: int, per_address: int, exempt: frozenset[str]):
        self.total, self.per_address, self.exempt = total, per_address, exempt
        self.held: dict[str, int] = {}
        self.count = 0
        self.lock = threading.Lock()  # gevent's, once cooperative: one accept loop, but greenlets release

    @classmethod
    def for_this_process(cls, trusted: str = "") -> "ConnectionCaps":
        exempt = {"127.0.0.1", "::1", "::ffff:127.0.0.1"} | {
            item.strip() for item in trusted.split(",") if item.strip() and "/" not in item}
        return cls(min(CONNECTIONS_MAX, open_file_limit() - 64), CONNECTIONS_PER_ADDRESS, frozenset(exempt))

    def admit(self, address: str) -> bool:
        with self.lock:
            mine = self.held.get(address, 0)
            if self.count >= self.total or (mine >= self.per_address and address not in self.exempt):
                return False
            self.held[address], self.count = mine + 1, self.count + 1
            return True

    def release(self, address: str) -> None:
        with self.lock:
            self.count -= 1
            left = self.held.pop(address, 1) - 1
            if left:
                self.held[address] = left


def refuse(connection, tls: bool) -> None:
    """A connection past a cap: the 503 (not on a TLS port, where it would be noise), then the close."""
    if not tls:
        text = REFUSAL_TEXT.encode()
        try:
            connection.setblocking(False)
            connection.send(REFUSAL % (len(text), text))
        except OSError:
            pass
    connection.close()


class CappedServerMixin:
    """gevent's server with ConnectionCaps in front of every connection, and the TLS handshake in the
    connection's own greenlet within HEADER_TIMEOUT."""

    caps: ConnectionCaps

    def do_handle(self, connection, address):
        peer = peer_of(address)
        if not self.caps.admit(peer):
            log.warning("refused a connection from %s: too many connections", peer)
            return refuse(connection, bool(self.ssl_args))
        super().do_handle(connection, address)

    def do_close(self, connection, address):  # once for every connection do_handle admitted
        self.caps.release(peer_of(address))
        super().do_close(connection, address)

    def wrap_socket_and_handle(self, connection, address):
        try:
            with gevent.Timeout(HEADER_TIMEOUT):
                secure = self.wrap_socket(connection, **self.ssl_args)
        except (gevent.Timeout, OSError, ssl.SSLError):  # a port scan, plain http on https, too slow
            return
        try:
            return self.handle(secure, address)
        finally:
            secure.close()


def peer_of(address) -> str:
    host = address[0] if isinstance(address, tuple) and address else str(address)
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host


class WebSocketHandover:
    """What simple-websocket finds as a WebSocket's socket (it looks for wsgi.input.raw._sock and
    takes a duplicate of it)."""

    def __init__(self, connection):
        self.connection = connection

    def dup(self) -> "WholeSends":
        return WholeSends(self.connection.dup())


class WholeSends:
    """A WebSocket's socket whose send() sends everything. simple-websocket writes each frame with
    one send() and ignores how much was taken: a blocking socket takes it all, a cooperative one
    only what fits its buffer, and the rest was lost, every frame after it garbage to the client
    (a hall of 2,300 clients showed it)."""

    def __init__(self, connection):
        self.connection = connection

    def send(self, data, flags: int = 0) -> int:
        self.connection.sendall(data, flags)
        return len(data)

    def __getattr__(self, name: str):
        return getattr(self.connection, name)


class DeadlineReader(io.RawIOBase):
    """The connection's reads, all within `deadline` (a monotonic time): a socket timeout alone
    bounds each read, so a client sending a byte every few seconds would never be cut off. Late, a
    read raises `late`, or with None (the answer has been sent, what still comes is dropped) ends as
    if the client had closed, and `ended` says the connection must close."""

    def __init__(self, connection):
        self.connection = connection
        self._sock = WebSocketHandover(connection)  # the name simple-websocket looks for
        self.deadline: float | None = None
        self.late: type[Exception] | None = TimeoutError
        self.ended = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.deadline is None:  # a WebSocket: its reads are simple-websocket's
            return self.connection.recv_into(buffer)
        try:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the client took too long")
            self.connection.settimeout(left)
            return self.connection.recv_into(buffer)
        except OSError:
            if self.late is None:
                self.ended = True
                return 0
            raise self.late() from None

    def expect(self, seconds: float | None, late: type[Exception] | None) -> None:
        self.deadline = None if seconds is None else time.monotonic() + seconds
        self.late = late


class BoundedHandler(WSGIHandler):
    """A connection gets HEADER_TIMEOUT for each request line and its headers (an idle keep-alive
    connection is closed then too), body_time() for its body, and each write the same HEADER_TIMEOUT.
    Once the answer is out, what the client still sends (a refused body) is read and dropped for
    LINGER at most, so that it sees the answer rather than a reset, then the connection closes. A
    WebSocket has no time limit: engine.io's ping every 25 s closes one whose client has gone."""

    LINGER = 1.0

    def __init__(self, connection, address, server, rfile=None):
        self.reader = DeadlineReader(connection)
        super().__init__(connection, address, server, io.BufferedReader(self.reader))

    def handle_one_request(self):
        self.reader.expect(HEADER_TIMEOUT, TimeoutError)
        result = super().handle_one_request()
        return None if result is True and self.reader.ended else result

    def run_application(self):
        if self.environ.get("HTTP_UPGRADE", "").lower() == "websocket":
            self.reader.expect(None, None)
            self.socket.settimeout(None)
            self.close_connection = True  # once it ends, what is left on the socket is the WebSocket's
            return super().run_application()
        self.reader.expect(body_time(self.environ.get("CONTENT_LENGTH")), RequestTimeout)  # answered 408
        try:
            super().run_application()
        finally:
            left = self.reader.deadline - time.monotonic()
            self.reader.expect(max(0.0, min(left, self.LINGER)), None)

    def _sendall(self, data):
        if self.reader.deadline is not None:  # not a WebSocket's
            self.socket.settimeout(HEADER_TIMEOUT)
        super()._sendall(data)

    def _handle_client_error(self, ex):
        """A client too slow or gone while sending its headers: closed with a line in the log, not the
        traceback gevent prints."""
        if isinstance(ex, OSError):
            log.info("closed a connection from %s: %s", peer_of(self.client_address), ex)
            return None
        return super()._handle_client_error(ex)


class EmbeddedServer(CappedServerMixin, WSGIServer):
    """`python3 -m conference serve`'s server."""

    def __init__(self, host: str, port: int, app, certificate: tuple[str, str] | None, caps: ConnectionCaps):
        self.caps = caps
        secure = {"ssl_context": tls_context(*certificate)} if certificate else {}
        super().__init__((host, port), app, handler_class=BoundedHandler, log=None, error_log=log, **secure)


def tls_context(certificate: str, key: str) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    return context


def serve_embedded(app, host: str, port: int, certificate: tuple[str, str] | None = None) -> None:
    """`python3 -m conference serve`. Its log names requests it could not handle: a token in an
    address is written /press/… (log_redaction.py)."""
    redact_logger(log)
    caps = ConnectionCaps.for_this_process(app.config.get("TRUSTED_PROXIES", "") if app.config.get("BEHIND_PROXY") else "")
    EmbeddedServer(host, port, app, certificate, caps).serve_forever()
