"""A hall full of phones on an open Wi-Fi (issue 22): what an attacker needs no sign-in for, against
the real server (`python3 -m conference serve`) and the production command (deploy/gunicorn.command).

Each attacker comes from addresses of its own (127.0.0.2 and up: the loopback network takes any
source address), as a phone on the venue's Wi-Fi would; the door checks in from 127.0.0.1 throughout.
The server holds a connection as a greenlet (conference/web/cooperative.py), so its threads must not
grow with connections, its memory must not grow with a message sent as endless fragments, and an
address past its cap is refused at once (conference/web/serving.py: ConnectionCaps).
"""
from __future__ import annotations

import base64
import os
import socket
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from conference.core.config import CONNECTIONS_PER_ADDRESS, PACKET_MAX_BYTES
from tests.conftest import LiveServer
from tests.web.test_connections import Door

FRAGMENT = 16 * 1024


def serving_pid(server: LiveServer) -> int:
    """The process that serves (gunicorn: its worker, the arbiter's only child)."""
    pid = server.process.pid
    children = open(f"/proc/{pid}/task/{pid}/children").read().split()
    return int(children[0]) if children else pid


def status_of(server: LiveServer, field: str) -> int:
    """A number of /proc/PID/status: Threads, or VmRSS in kB."""
    for line in open(f"/proc/{serving_pid(server)}/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def connect_from(server: LiveServer, source: str, receive_buffer: int = 0) -> socket.socket:
    connection = socket.socket()
    connection.settimeout(10)
    if receive_buffer:  # set before connecting: it bounds the window the server may send into
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    connection.bind((source, 0))
    connection.connect(("127.0.0.1", server.port))
    return connection


def open_websocket(server: LiveServer, source: str, receive_buffer: int = 0) -> socket.socket:
    """An engine.io WebSocket, opened by hand: what any browser on the Wi-Fi can do without a sign-in."""
    connection = connect_from(server, source, receive_buffer)
    key = base64.b64encode(os.urandom(16)).decode()
    connection.sendall(f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                       f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                       f"Sec-WebSocket-Version: 13\r\n\r\n".encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = connection.recv(4096)
        assert chunk, f"closed during the handshake: {head!r}"
        head += chunk
    assert head.startswith(b"HTTP/1.1 101"), head[:200]
    return connection


def frame(payload: bytes, opcode: int, final: bool) -> bytes:
    """A client's frame, masked (with a zero key, which leaves the payload as it is)."""
    head = bytes([(0x80 if final else 0) | opcode])
    size = len(payload)
    if size < 126:
        head += bytes([0x80 | size])
    elif size < 65536:
        head += bytes([0x80 | 126]) + size.to_bytes(2, "big")
    else:
        head += bytes([0x80 | 127]) + size.to_bytes(8, "big")
    return head + b"\0\0\0\0" + payload


def flood_with_fragments(server: LiveServer, source: str, most: int) -> tuple[int, bytes]:
    """One message that never ends: a text frame, then continuations, until the server closes or
    `most` bytes have gone. (bytes sent, what the server sent back after its open packet)."""
    connection = open_websocket(server, source)
    sent, received = 0, b""
    piece = frame(b"4" + b"x" * (FRAGMENT - 1), 0x1, False)
    more = frame(b"x" * FRAGMENT, 0x0, False)
    try:
        while sent < most:
            connection.sendall(piece if sent == 0 else more)
            sent += FRAGMENT
    except OSError:
        pass
    try:
        connection.settimeout(2)
        while chunk := connection.recv(65536):
            received += chunk
    except OSError:
        pass
    connection.close()
    return sent, received


def test_a_websocket_message_sent_as_endless_fragments_is_cut_off_at_its_limit(server):
    before = status_of(server, "VmRSS")
    most = 256 * 1024 * 1024  # what each attacker would send if nothing stopped it
    with ThreadPoolExecutor(2) as attackers:
        floods = list(attackers.map(lambda n: flood_with_fragments(server, f"127.0.0.{2 + n}", most), range(2)))
    grown = status_of(server, "VmRSS") - before
    for sent, received in floods:
        assert sent < 256 * PACKET_MAX_BYTES, f"the server read {sent} bytes of one message"
        assert (1009).to_bytes(2, "big") in received, "no close frame with 1009 (message too big)"
    assert grown < 64 * 1024, f"the server grew by {grown} kB"
    assert requests.get(server.url + "/api/state", timeout=5).status_code == 200


def test_connections_past_the_cap_of_one_address_are_refused_at_once_and_others_served(server):
    door = Door(server)
    for _ in range(5):
        door.scan()
    opened = [connect_from(server, "127.0.0.2") for _ in range(CONNECTIONS_PER_ADDRESS + 100)]
    time.sleep(1)  # the server has accepted them all; each admitted one waits for its request
    held, refused = [], 0
    try:
        for connection in opened:
            connection.setblocking(False)
            try:
                answer = connection.recv(4096)
            except BlockingIOError:
                held.append(connection)
                continue
            assert answer.startswith(b"HTTP/1.1 503") and b"Retry-After" in answer, answer
            refused += 1
        assert len(held) == CONNECTIONS_PER_ADDRESS and refused == 100
        assert requests.get(server.url + "/api/state", timeout=5).status_code == 200
        another = requests.Session()
        another.mount("http://", SourceAdapter("127.0.0.3"))
        assert another.get(server.url + "/api/state", timeout=5).status_code == 200
        door.scan()
        assert set(door.statuses) == {201}
    finally:
        for connection in opened:
            connection.close()
    time.sleep(0.5)  # the closes reach the server: the address has its connections back
    answer = requests.Session()
    answer.mount("http://", SourceAdapter("127.0.0.2"))
    assert answer.get(server.url + "/api/state", timeout=5).status_code == 200


def test_hundreds_of_websockets_and_handshakes_cost_no_thread_and_the_door_checks_in(server):
    door = Door(server)
    for _ in range(8):
        door.scan()
    usual = statistics.median(door.latencies)
    threads = status_of(server, "Threads")
    sources = [f"127.0.1.{n}" for n in range(1, 7)]  # 6 addresses, 60 WebSockets each
    with ThreadPoolExecutor(20) as openers:
        sockets = list(openers.map(lambda n: open_websocket(server, sources[n % len(sources)]), range(360)))
    try:
        with ThreadPoolExecutor(20) as handshakers:  # anonymous engine.io sessions, never used again
            opened = list(handshakers.map(lambda n: handshake(server, f"127.0.2.{1 + n % 50}"), range(1000)))
        assert set(opened) == {200}
        held_threads = status_of(server, "Threads")
        stop = threading.Event()
        during = len(door.latencies)
        scanning = threading.Thread(target=door.keep_scanning, args=(stop,))
        scanning.start()
        time.sleep(5)
        stop.set()
        scanning.join(30)
        scans = door.latencies[during:]
        assert len(scans) >= 10 and set(door.statuses) == {201}
        assert statistics.median(scans) < max(0.25, 3 * usual) and max(scans) < 2, (usual, scans)
        assert held_threads <= threads + 4, f"{threads} threads before, {held_threads} with 360 sockets held"
        assert all(still_open(connection) for connection in sockets[:20])
    finally:
        for connection in sockets:
            connection.close()


def handshake(server: LiveServer, source: str) -> int:
    session = requests.Session()
    session.mount("http://", SourceAdapter(source))
    with session:
        return session.get(server.url + "/socket.io/?EIO=4&transport=polling", timeout=10).status_code


def still_open(connection: socket.socket) -> bool:
    connection.setblocking(False)
    try:
        return connection.recv(65536) != b""  # engine.io's open packet, or a ping
    except BlockingIOError:
        return True
    except OSError:
        return False


class SourceAdapter(requests.adapters.HTTPAdapter):
    """requests from a chosen source address, as another phone on the Wi-Fi."""

    def __init__(self, source: str):
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)





def test_a_websocket_frame_is_sent_whole_though_the_socket_takes_part_of_it():
    """simple-websocket writes a frame with one send() and ignores what was not taken: on gevent's
    cooperative socket, with the buffer of a phone that reads slowly nearly full, send() takes part
    (the premise, checked first), and the rest was lost. WholeSends sends it all."""
    import gevent
    import gevent.socket

    from conference.web.serving import WholeSends

    def drain(reader) -> int:
        received = 0
        while chunk := reader.recv(65536):
            received += len(chunk)
        return received

    writer, reader = gevent.socket.socketpair()
    writer.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    data = b"x" * 1_000_000
    part = writer.send(data)
    assert part < len(data)
    draining = gevent.spawn(drain, reader)
    assert WholeSends(writer).send(data) == len(data)
    writer.close()
    assert draining.get(timeout=10) == part + len(data)
    reader.close()
