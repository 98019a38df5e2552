"""No request can hold the server (issue 15): hundreds of hostile connections from one address while a
door keeps checking in, against the real server process (`python3 -m conference serve`) and the
production command (deploy/gunicorn.command).

Each attack is what an attacker on the venue network needs no token for: Socket.IO polling POSTs far
over their limit whose sender never reads nor closes, connections that send their headers a line at
a time (slowloris), bodies that trickle, connections that send nothing. Each oversized POST must be
answered 413 at once and its connection closed, every slow one closed within the time limits of
conference/core/config.py, the door answered as usual throughout, and the server's open descriptors
(/proc/PID/fd) must not grow with the attack and must come back once it ends.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import selectors
import socket
import statistics
import threading
import time
import uuid
import warnings
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from conference.core.config import (BODY_MAX_BYTES, CONNECTIONS_MAX, CONNECTIONS_PER_ADDRESS, HEADER_TIMEOUT,
                                    PACKET_MAX_BYTES)
from conference.web.serving import body_time
from tests.conftest import ROOT, LiveServer, bearer
from tests.scale.test_scale_processes import Screen, close_all

OVERSIZED_POSTS = 300
SLOW_CONNECTIONS = 300  # a third each: headers a line at a time, a trickling body, nothing at all
CLOSE_WITHIN = HEADER_TIMEOUT + 6  # gunicorn's gthread worker waits 5 s for a first byte, then keep-alive


def open_descriptors(server: LiveServer) -> int:
    """The descriptors of the process that serves (gunicorn: its worker, the arbiter's only child)."""
    pid = server.process.pid
    children = open(f"/proc/{pid}/task/{pid}/children").read().split()
    return len(os.listdir(f"/proc/{children[0] if children else pid}/fd"))


class Door:
    """A door tablet scanning one badge after another on one keep-alive connection, timing each."""

    def __init__(self, server: LiveServer):
        self.url, self.session = server.url, requests.Session()
        self.session.headers.update(bearer(server.token("door")))
        delegates = self.session.get(self.url + "/api/delegates", timeout=10).json()["delegates"]
        self.codes = [delegate["badge_code"] for delegate in delegates]
        self.latencies: list[float] = []
        self.statuses: list[int] = []

    def scan(self) -> None:
        began = time.perf_counter()
        answer = self.session.post(self.url + "/api/checkins", timeout=30,
                                   json={"code": self.codes.pop(), "nonce": uuid.uuid4().hex, "device": "Cửa 1"})
        self.latencies.append(time.perf_counter() - began)
        self.statuses.append(answer.status_code)

    def keep_scanning(self, stop: threading.Event, every: float = 0.25) -> None:
        while not stop.is_set() and self.codes:
            self.scan()
            stop.wait(every)


def polling_session(server: LiveServer) -> str:
    opened = requests.get(server.url + "/socket.io/?EIO=4&transport=polling", timeout=10)
    return json.loads(opened.text[1:])["sid"]


def connect(server: LiveServer) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=30)


def oversized_poll(server: LiveServer, sid: str) -> tuple[bytes, float, bool]:
    """A polling POST announcing 32 times its limit and sending 1.5 times it, never closing: (status
    line, seconds to the answer, whether the server closed the connection within a few seconds after)."""
    connection = connect(server)
    began = time.monotonic()
    connection.sendall(f"POST /socket.io/?EIO=4&transport=polling&sid={sid} HTTP/1.1\r\n"
                       f"Host: 127.0.0.1:{server.port}\r\nContent-Type: text/plain;charset=UTF-8\r\n"
                       f"Content-Length: {32 * PACKET_MAX_BYTES}\r\n\r\n".encode())
    try:
        connection.sendall(b"4" + b"x" * (PACKET_MAX_BYTES * 3 // 2))
        answer = connection.recv(4096)
        answered = time.monotonic() - began
        return answer.split(b"\r\n", 1)[0], answered, closed_within(connection, 8)
    finally:
        connection.close()


def closed_within(connection: socket.socket, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    try:
        while (left := deadline - time.monotonic()) > 0:
            connection.settimeout(left)
            if not connection.recv(65536):
                return True
    except (socket.timeout, TimeoutError):
        return False
    except OSError:  # reset: closed too
        return True
    return False


class SlowClients:
    """Connections that each send a byte every second, in one of three ways, and never finish."""

    KINDS = ("headers", "body", "idle")

    def __init__(self, server: LiveServer, count: int):
        self.server = server
        self.selector = selectors.DefaultSelector()
        self.opened: dict[socket.socket, tuple[str, float]] = {}
        self.lifetimes: dict[str, list[float]] = {kind: [] for kind in self.KINDS}
        for number in range(count):
            self._open(self.KINDS[number % len(self.KINDS)])

    def _open(self, kind: str) -> None:
        connection = connect(self.server)
        if kind == "body":
            connection.sendall(b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n"
                               b"Content-Type: application/x-www-form-urlencoded\r\n\r\npassword=")
        elif kind == "headers":
            connection.sendall(b"GET /api/state HTTP/1.1\r\n")
        connection.setblocking(False)
        self.selector.register(connection, selectors.EVENT_READ)
        self.opened[connection] = (kind, time.monotonic())

    def trickle(self, seconds: float) -> None:
        """Send each open connection its next byte every second for `seconds`, noting when each closes."""
        deadline = time.monotonic() + seconds
        while self.opened and time.monotonic() < deadline:
            next_byte = time.monotonic() + 1
            while (left := next_byte - time.monotonic()) > 0:
                for key, _ in self.selector.select(left):
                    self._read(key.fileobj)
            for connection, (kind, _) in list(self.opened.items()):
                if kind != "idle":
                    try:
                        connection.send(b"X" if kind == "headers" else b"x")
                    except OSError:
                        self._closed(connection)

    def _read(self, connection: socket.socket) -> None:
        try:
            if connection.recv(65536):
                return  # an answer (408, 400): the close follows
        except BlockingIOError:
            return
        except OSError:
            pass
        self._closed(connection)

    def _closed(self, connection: socket.socket) -> None:
        kind, opened = self.opened.pop(connection)
        self.lifetimes[kind].append(time.monotonic() - opened)
        self.selector.unregister(connection)
        connection.close()

    def close(self) -> None:
        for connection in list(self.opened):
            self._closed(connection)
        self.selector.close()


def test_hundreds_of_hostile_connections_leave_the_door_checking_in_as_usual(server):
    door = Door(server)
    for _ in range(8):
        door.scan()
    usual = statistics.median(door.latencies)
    calm_descriptors = open_descriptors(server)
    stop = threading.Event()
    scanning = threading.Thread(target=door.keep_scanning, args=(stop,))
    slow = SlowClients(server, SLOW_CONNECTIONS)
    during = len(door.latencies)
    scanning.start()
    try:
        sids = [polling_session(server) for _ in range(10)]
        with ThreadPoolExecutor(50) as attackers:
            polls = list(attackers.map(lambda n: oversized_poll(server, sids[n % len(sids)]),
                                       range(OVERSIZED_POSTS)))
        attacked_descriptors = open_descriptors(server)
        slow.trickle(CLOSE_WITHIN + 4)
    finally:
        left_open = len(slow.opened)
        slow.close()
        stop.set()
        scanning.join(30)

    assert {status for status, _, _ in polls} == {b"HTTP/1.1 413 REQUEST ENTITY TOO LARGE"}
    assert max(answered for _, answered, _ in polls) < 2, "an oversized POST waited for its answer"
    assert all(closed for _, _, closed in polls), "the server kept an oversized POST's connection"
    assert left_open == 0, f"{left_open} slow connections still open after {CLOSE_WITHIN + 4} s"
    assert max(lifetime for kind in slow.lifetimes.values() for lifetime in kind) < CLOSE_WITHIN
    scans = door.latencies[during:]
    assert len(scans) >= 20 and set(door.statuses) == {201}
    assert statistics.median(scans) < max(0.25, 3 * usual) and max(scans) < 2, (usual, scans)
    assert attacked_descriptors < calm_descriptors + SLOW_CONNECTIONS + 60
    time.sleep(1)
    assert open_descriptors(server) <= calm_descriptors + 5
    assert requests.get(server.url + "/api/state", timeout=5).status_code == 200


def trickled_upload(server: LiveServer, length: int) -> tuple[bytes, float]:
    """A body sent a byte a second, too large to wait for before a thread takes it: (the answer, when)."""
    connection = connect(server)
    began = time.monotonic()
    connection.sendall(f"POST /login HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n"
                       f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {length}\r\n\r\n"
                       "password=".encode())
    try:
        while time.monotonic() - began < 60:
            connection.settimeout(1)
            try:
                if answer := connection.recv(65536):
                    answered = time.monotonic() - began
                    while more := connection.recv(65536):  # up to the close
                        answer += more
                    return answer, answered
            except TimeoutError:
                connection.send(b"x")
        return b"", time.monotonic() - began
    finally:
        connection.close()


def test_screens_idle_for_longer_than_the_time_limits_keep_their_connections(server):
    """The limits are for requests: a WebSocket, and a polling GET the server holds until it has
    something to send (up to the 25 s ping), are not cut by them; meanwhile a body that trickles
    is answered 408 once its time is up."""
    screens = [Screen(server.url), Screen(server.url, transports=("polling",))]
    try:
        sessions = [screen.client.get_sid() for screen in screens]
        length = 200 * 1024
        answer, after = trickled_upload(server, length)
        assert answer.startswith(b"HTTP/1.1 408") and b'"request_timeout"' in answer, answer[:300]
        assert body_time(str(length)) - 1 < after < body_time(str(length)) + 3
        time.sleep(max(0.0, HEADER_TIMEOUT + 5 - after))
        moved = requests.post(server.url + "/api/show/next", headers=bearer(server.token("mc")), timeout=10)
        for screen in screens:
            assert screen.wait_for_version(moved.json()["version"], timeout=10)
        assert [screen.client.get_sid() for screen in screens] == sessions  # never reconnected
        assert [screen.client.transport() for screen in screens] == ["websocket", "polling"]
    finally:
        close_all(screens)


def test_the_nginx_example_refuses_what_the_application_refuses():
    site = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    sizes = re.findall(r"client_max_body_size (\d+)([km]);", site)
    assert [int(number) * {"k": 1024, "m": 1024 * 1024}[unit] for number, unit in sizes] == [
        BODY_MAX_BYTES, PACKET_MAX_BYTES]
    assert f"client_header_timeout {HEADER_TIMEOUT}s;" in site
    assert f"limit_conn conference_per_address {CONNECTIONS_PER_ADDRESS};" in site
    gunicorn = (ROOT / "deploy" / "gunicorn.command").read_text(encoding="utf-8")
    assert "--worker-class conference.web.gunicorn_worker.BoundedGeventWorker" in gunicorn and "--timeout 0" not in gunicorn
    connections = int(re.search(r"--worker-connections (\d+)", gunicorn).group(1))
    assert connections > CONNECTIONS_MAX, "gunicorn's pool would stop accepting before the caps refuse"


def test_a_chunked_body_without_a_length_is_cut_off_at_its_limit(server):
    """No Content-Length to check first: the body is counted as it is read, and refused with the
    API's JSON 413 once it passes BODY_MAX_BYTES."""
    connection = connect(server)
    try:
        connection.sendall(f"POST /api/checkins HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           f"Authorization: Bearer {server.token('door')}\r\nTransfer-Encoding: chunked\r\n\r\n"
                           .encode())
        chunk = b'{"code": "' + b"A" * (256 * 1024)
        answer = b""
        with contextlib.suppress(OSError):  # once refused, the server may stop reading: a reset
            for _ in range(BODY_MAX_BYTES // len(chunk) + 2):
                connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        connection.settimeout(10)
        with contextlib.suppress(OSError):
            while more := connection.recv(65536):
                answer += more
    finally:
        connection.close()
    assert answer.startswith(b"HTTP/1.1 413") and b'"request_entity_too_large"' in answer, answer[:300]


@pytest.mark.slow
def test_connections_that_never_start_tls_do_not_hold_the_https_server(tmp_path):
    """`serve --https` did the TLS handshake on the one thread that accepts connections: three
    connections that sent nothing held every tablet out."""
    server = LiveServer(tmp_path / "instance", env={"CONFERENCE_ADMIN_PASSWORD": "hostile-test"}, https=True).start()
    silent = [connect(server) for _ in range(3)]
    try:
        with warnings.catch_warnings():  # the self-signed certificate has its own tests
            warnings.simplefilter("ignore")
            assert requests.get(server.url + "/api/state", verify=False, timeout=5).status_code == 200
        assert all(closed_within(connection, CLOSE_WITHIN) for connection in silent)
    finally:
        for connection in silent:
            connection.close()
        server.stop()
