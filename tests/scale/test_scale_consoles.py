"""Who is driving, across processes: an MC console hears the MC consoles connected to every server
process of the installation (conference/live/consoles.py keeps each process's labels in Redis), sees
them leave, sees a killed process's leave within about 10 s, and still connects while Redis is away.

Real `python3 -m conference serve` processes on the machine's PostgreSQL and Redis, as in
tests/scale/test_scale_processes.py, each run on a Redis channel of its own.
"""
from __future__ import annotations

import threading
import time

import pytest
import socketio

from tests.conftest import LiveServer, lanes
from tests.scale.test_fault_recovery import private_redis  # noqa: F401 - a fixture, used by name
from tests.scale.test_scale_processes import cluster_env, start_cluster

pytestmark = [pytest.mark.services, pytest.mark.slow]

LEFT, RIGHT = "Bàn MC trái", "Bàn MC phải"


class Console:
    """An MC console: a real Socket.IO client with an MC token, keeping every drivers list it hears."""

    def __init__(self, server: LiveServer, token: str):
        self.heard: list[list[str]] = []
        self.changed = threading.Condition()
        self.client = socketio.Client(reconnection=False)
        self.client.on("drivers", self._on_drivers)
        self.client.connect(server.url, auth={"token": token}, transports=["websocket"], wait_timeout=10)

    def _on_drivers(self, message: dict) -> None:
        with self.changed:
            self.heard.append(message["drivers"])
            self.changed.notify_all()

    def hears(self, *labels: str, timeout: float = 10) -> bool:
        """Whether the last list heard is these labels, waiting up to timeout for it."""
        with self.changed:
            return self.changed.wait_for(lambda: self.heard[-1:] == [sorted(labels)], timeout)

    def close(self) -> None:
        self.client.disconnect()


@pytest.fixture
@lanes("slow")
def two_processes(tmp_path, postgres_url, redis_url):
    servers = start_cluster(tmp_path, cluster_env(postgres_url, redis_url), ("serve", "serve"))
    yield servers
    for server in servers:
        server.stop()


def test_consoles_on_two_processes_hear_each_other_come_and_go(two_processes):
    first, second = two_processes
    left = Console(first, first.token("mc", label=LEFT))
    right = None
    try:
        assert left.hears(LEFT)
        right = Console(second, second.token("mc", label=RIGHT))
        assert right.hears(LEFT, RIGHT) and left.hears(LEFT, RIGHT)
        right.close()
        assert left.hears(LEFT)
    finally:
        for console in (left, right):
            if console is not None:
                console.close()


def test_a_killed_process_s_console_leaves_the_survivor_s_list_within_10_s(two_processes):
    survivor, doomed = two_processes
    staying = Console(survivor, survivor.token("mc", label=LEFT))
    lost = Console(doomed, doomed.token("mc", label=RIGHT))
    try:
        assert staying.hears(LEFT, RIGHT) and lost.hears(LEFT, RIGHT)
        doomed.kill()  # kill -9: its entry in Redis is never removed, it expires
        killed = time.monotonic()
        assert staying.hears(LEFT, timeout=15)
        assert time.monotonic() - killed < 10.5
    finally:
        lost.close()
        staying.close()


def test_a_console_connects_while_redis_is_away_and_the_lists_join_when_it_is_back(
        tmp_path, postgres_url, private_redis):  # noqa: F811 - the imported fixture
    first, second = start_cluster(tmp_path, cluster_env(postgres_url, private_redis.url), ("serve", "serve"))
    consoles = []
    try:
        late_token = second.token("mc", label=RIGHT)  # the CLI writes the token to PostgreSQL only
        consoles.append(Console(first, first.token("mc", label=LEFT)))
        assert consoles[0].hears(LEFT)
        private_redis.kill()
        began = time.monotonic()
        consoles.append(Console(second, late_token))
        assert time.monotonic() - began < 5 and consoles[1].hears(RIGHT)  # its own process's list
        private_redis.start()  # back on the same port, empty: each process writes its entry again
        assert consoles[0].hears(LEFT, RIGHT, timeout=15) and consoles[1].hears(LEFT, RIGHT, timeout=15)
    finally:
        for console in consoles:
            console.close()
        first.stop()
        second.stop()
