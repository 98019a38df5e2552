"""Many light screens in one thread: Socket.IO over a raw WebSocket, just enough to receive `state`.

A python-socketio Client costs a few threads per connection; three hundred of them on the same
two cores as the server would measure the clients more than the server. These screens speak
the same protocol a browser's socket.io client does over the websocket transport (Engine.IO 4,
Socket.IO 5: open, connect to "/", answer pings, receive events) with one selector loop per
process, and note when each snapshot version arrives (time.time(), the machine's one clock).
Clients spreads many of them over a few processes (bench/hall.py, bench/phones.py).
"""
from __future__ import annotations

import base64
import multiprocessing
import json
import os
import selectors
import socket
import struct
import time
from urllib.parse import urlsplit


def _frame(text: str) -> bytes:
    """A masked text frame (a client must mask what it sends)."""
    payload = text.encode()
    mask = os.urandom(4)
    header = bytes([0x81])
    if len(payload) < 126:
        header += bytes([0x80 | len(payload)])
    elif len(payload) < 65536:
        header += bytes([0x80 | 126]) + struct.pack("!H", len(payload))
    else:
        header += bytes([0x80 | 127]) + struct.pack("!Q", len(payload))
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


class _Connection:
    def __init__(self, host: str, port: int, cookie: str | None = None):
        self.sock = socket.create_connection((host, port), timeout=20)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {host}:{port}\r\n"
                           f"Origin: http://{host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           + (f"Cookie: {cookie}\r\n" if cookie else "") +
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed during the handshake")
            response += chunk
        head, self.buffer = response.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(head.decode(errors="replace"))
        self.fragments: list[bytes] = []
        self.sock.setblocking(False)

    def send(self, text: str) -> None:
        self.sock.setblocking(True)
        self.sock.sendall(_frame(text))
        self.sock.setblocking(False)

    def messages(self) -> list[str]:
        """Whole text messages now in the buffer."""
        found = []
        while len(self.buffer) >= 2:
            opcode, length, start = self.buffer[0] & 0x0F, self.buffer[1] & 0x7F, 2
            if length == 126:
                if len(self.buffer) < 4:
                    break
                length, start = struct.unpack("!H", self.buffer[2:4])[0], 4
            elif length == 127:
                if len(self.buffer) < 10:
                    break
                length, start = struct.unpack("!Q", self.buffer[2:10])[0], 10
            if len(self.buffer) < start + length:
                break
            payload, fin = self.buffer[start:start + length], self.buffer[0] & 0x80
            self.buffer = self.buffer[start + length:]
            if opcode in (0, 1):
                self.fragments.append(payload)
                if fin:
                    found.append(b"".join(self.fragments).decode())
                    self.fragments = []
            elif opcode == 9:  # a WebSocket ping
                self.sock.setblocking(True)
                self.sock.sendall(bytes([0x8A, 0x80]) + os.urandom(4))
                self.sock.setblocking(False)
        return found


def run_screens(url: str, count: int, ready, stop, results, cookies: list[str] | None = None,
                auth: dict | None = None, event: str = "state") -> None:
    """Connect `count` screens, record {version: [arrival times]} until `stop`, then report it.
    A delegate's phone (bench/phones.py) gives each connection its cookie, the connect's `auth`
    ({"delegate": true}) and listens for its own event ("programme")."""
    parts = urlsplit(url)
    selector = selectors.DefaultSelector()
    arrivals: dict[int, list[float]] = {}
    connections = []
    for number in range(count):
        connection = _Connection(parts.hostname, parts.port, cookies[number] if cookies else None)
        connections.append(connection)
        selector.register(connection.sock, selectors.EVENT_READ, connection)
    pending_open = set(connections)

    def handle(connection: _Connection, arrived: float) -> None:
        for message in connection.messages():
            if message.startswith("0"):  # Engine.IO open: join the default namespace
                connection.send("40" + (json.dumps(auth) if auth else ""))
            elif message == "2":  # Engine.IO ping
                connection.send("3")
            elif message.startswith(f'42["{event}"'):
                snapshot = json.loads(message[2:])[1]
                arrivals.setdefault(snapshot["version"], []).append(arrived)
                pending_open.discard(connection)

    for connection in connections:  # the open packet often comes in the same read as the handshake
        handle(connection, time.time())
    deadline = time.monotonic() + 120
    reported = False
    while not stop.is_set() and time.monotonic() < deadline + 900:
        for key, _ in selector.select(timeout=0.1):
            connection = key.data
            try:
                chunk = connection.sock.recv(1 << 20)
            except BlockingIOError:
                continue
            if not chunk:
                selector.unregister(connection.sock)
                continue
            connection.buffer += chunk
            handle(connection, time.time())
        if not pending_open and not reported:
            ready.put(count)
            reported = True
    results.put(arrivals)
    for connection in connections:
        connection.sock.close()


class Clients:
    """`count` Socket.IO clients in `processes` processes (phones with their cookies, or screens)."""

    def __init__(self, url: str, count: int, processes: int, cookies: list[str] | None = None,
                 auth: dict | None = None, event: str = "state"):
        self.ready, self.results, self.stop = multiprocessing.Queue(), multiprocessing.Queue(), multiprocessing.Event()
        share = [count // processes + (1 if n < count % processes else 0) for n in range(processes)]
        starts = [sum(share[:n]) for n in range(len(share))]
        self.workers = [multiprocessing.Process(target=run_screens, args=(
            url, n, self.ready, self.stop, self.results, cookies[start:start + n] if cookies else None, auth, event))
            for n, start in zip(share, starts) if n]
        for worker in self.workers:
            worker.start()
        self.connected = sum(self.ready.get(timeout=600) for _ in self.workers)

    def close(self) -> dict[int, list[float]]:
        self.stop.set()
        arrivals: dict[int, list[float]] = {}
        for _ in self.workers:
            for version, times in self.results.get(timeout=120).items():
                arrivals.setdefault(version, []).extend(times)
        for worker in self.workers:
            worker.join(30)
        return arrivals
