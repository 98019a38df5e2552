"""A Socket.IO polling POST whose client stops sending its body half-way costs one warning line
naming the client, never a traceback (conference/web/polls.py): against the real server
(`python3 -m conference serve`), whose time limit cuts the body off. gunicorn's worker never hands
such a request to the application (it waits for a small body to be all there, test_connections.py)."""
from __future__ import annotations

import socket
import time

import pytest

from conference.web.serving import body_time
from tests.conftest import LiveServer, lanes
from tests.web.test_connections import connect, polling_session

ANNOUNCED = 1000  # bytes the POST says it sends; it sends two


@pytest.fixture
@lanes("slow")
def server(tmp_path):
    started = LiveServer(tmp_path / "instance").start()
    yield started
    started.stop()


def stalled_poll(server: LiveServer, sid: str) -> socket.socket:
    """A polling POST announcing ANNOUNCED bytes and sending two: '40', a Socket.IO connect."""
    connection = connect(server)
    connection.sendall(f"POST /socket.io/?EIO=4&transport=polling&sid={sid} HTTP/1.1\r\n"
                       f"Host: 127.0.0.1:{server.port}\r\nContent-Type: text/plain;charset=UTF-8\r\n"
                       f"Content-Length: {ANNOUNCED}\r\n\r\n40".encode())
    return connection


def logged(server: LiveServer, words: str, within: float = 5) -> str:
    """The server's log once it holds `words` (or after `within` seconds)."""
    deadline = time.monotonic() + within
    while True:
        text = server.log.read_text(errors="replace")
        if words in text or time.monotonic() > deadline:
            return text
        time.sleep(0.1)


def test_a_polling_post_whose_body_stops_half_way_is_one_warning_line_without_a_traceback(server):
    connection = stalled_poll(server, polling_session(server))
    try:
        connection.settimeout(body_time(str(ANNOUNCED)) + 10)
        began = time.monotonic()
        answer = connection.recv(4096)
        waited = time.monotonic() - began
    finally:
        connection.close()
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]  # engine.io's answer to a body it could not read
    assert waited < body_time(str(ANNOUNCED)) + 5
    log = logged(server, "stopped sending")
    warnings = [line for line in log.splitlines() if "stopped sending" in line]
    assert len(warnings) == 1 and "127.0.0.1" in warnings[0] and "WARNING" in warnings[0], log[-2000:]
    assert "Traceback" not in log, log[-3000:]


def test_a_polling_post_whose_client_leaves_half_way_is_one_warning_line_without_a_traceback(server):
    sid = polling_session(server)
    stalled_poll(server, sid).close()
    log = logged(server, "stopped sending")
    assert [line for line in log.splitlines() if "stopped sending" in line], log[-2000:]
    assert "Traceback" not in log, log[-3000:]
