"""Faults: a process killed during a burst, a restart with screens connected, Redis going away.

Real processes, real PostgreSQL and Redis. The Redis that goes away is a private redis-server
this module starts on a free port, never the machine's own.
"""
from __future__ import annotations

import shutil
import subprocess
import threading
import time
import uuid

import pytest
import redis
import requests

from tests.conftest import LiveServer, bearer, free_port, lanes, unavailable
from tests.scale.test_scale_processes import Screen, close_all, cluster_env, start_cluster

pytestmark = pytest.mark.slow


class PrivateRedis:
    """redis-server on a port of its own, keeping nothing on disk; killed and restarted at will."""

    def __init__(self, directory):
        if shutil.which("redis-server") is None:
            unavailable("redis-server is not installed")
        self.port = free_port()
        self.directory = directory
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> "PrivateRedis":
        self.directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
                return self
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("private redis-server did not start")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


@pytest.fixture
@lanes("slow", "services")
def private_redis(tmp_path):
    server = PrivateRedis(tmp_path / "redis").start()
    yield server
    server.kill()


def wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def current_version(server: LiveServer) -> int:
    return requests.get(server.url + "/api/state", timeout=10).json()["version"]


def test_kill_9_of_a_process_during_a_burst_loses_no_acknowledged_check_in_and_duplicates_none(
        tmp_path, postgres_url, redis_url):
    doomed, survivor = start_cluster(tmp_path, cluster_env(postgres_url, redis_url), ("serve", "serve"))
    try:
        token = survivor.token("door")
        delegates = requests.get(survivor.url + "/api/delegates", headers=bearer(token), timeout=10).json()["delegates"]
        acknowledged: dict[str, tuple[int, dict]] = {}  # nonce -> first answer the door was given
        scans = {d["id"]: {"code": d["badge_code"], "nonce": uuid.uuid4().hex, "device": "Cửa"} for d in delegates}

        def door(mine: list[dict]) -> None:
            for scan in mine:
                for server in (doomed, survivor):  # the tablet retries the same scan elsewhere
                    try:
                        answer = requests.post(server.url + "/api/checkins", json=scan, headers=bearer(token),
                                               timeout=10)
                    except requests.RequestException:
                        continue
                    acknowledged[scan["nonce"]] = (answer.status_code, answer.json())
                    break

        doors = [threading.Thread(target=door, args=(list(scans.values())[n::6],)) for n in range(6)]
        for thread in doors:
            thread.start()
        wait_until(lambda: len(acknowledged) >= 15, timeout=20)
        doomed.kill()
        for thread in doors:
            thread.join(60)

        assert len(acknowledged) == len(scans)
        assert all(status == 201 for status, _ in acknowledged.values())
        listed = requests.get(survivor.url + "/api/delegates", headers=bearer(token), timeout=10).json()["delegates"]
        assert all(d["checked_in_at"] for d in listed)
        state = requests.get(survivor.url + "/api/state", timeout=10).json()
        assert state["attendance"]["present"] == len(scans)
        for scan in list(scans.values())[:10]:  # a replay after the crash gets the first answer again
            again = requests.post(survivor.url + "/api/checkins", json=scan, headers=bearer(token), timeout=10)
            assert (again.status_code, again.json()) == acknowledged[scan["nonce"]]
        assert requests.get(survivor.url + "/api/state", timeout=10).json()["attendance"]["present"] == len(scans)
    finally:
        doomed.kill()
        survivor.stop()


def test_screens_connected_through_a_server_restart_end_on_the_current_state(live_server):
    screens = [Screen(live_server.url) for _ in range(12)]
    try:
        mc = bearer(live_server.token("mc"))
        requests.post(live_server.url + "/api/show/next", headers=mc, timeout=10)
        live_server.restart()  # kill -9, then the same command on the same port
        assert wait_until(lambda: all(s.client.connected for s in screens), timeout=15)
        moved = requests.post(live_server.url + "/api/show/next", headers=mc, timeout=10).json()
        for screen in screens:
            assert screen.wait_for_version(moved["version"], timeout=10)
            assert screen.latest["current"] == moved["current"]
        assert all(s.latest["version"] == current_version(live_server) for s in screens)
    finally:
        close_all(screens)


def test_redis_going_away_and_coming_back_leaves_every_screen_converged(tmp_path, postgres_url, private_redis):
    env = cluster_env(postgres_url, private_redis.url)
    mc_side, hall_side = start_cluster(tmp_path, env, ("serve", "serve"))
    screens = [Screen(hall_side.url) for _ in range(4)] + [Screen(mc_side.url)]
    try:
        mc = bearer(mc_side.token("mc"))
        private_redis.kill()
        began = time.monotonic()
        answer = requests.post(mc_side.url + "/api/show/next", headers=mc, timeout=20)
        assert answer.status_code == 200 and time.monotonic() - began < 5  # the MC is not held up
        for screen in screens:  # with no Redis, each process still brings its own screens up to date
            assert screen.wait_for_version(answer.json()["version"], timeout=10)

        private_redis.start()  # back on the same port
        moved = requests.post(mc_side.url + "/api/show/message", json={"message": "Redis đã trở lại"},
                              headers=mc, timeout=20).json()
        for screen in screens:
            assert screen.wait_for_version(moved["version"], timeout=15)
            assert screen.latest["message"] == "Redis đã trở lại"
        assert {s.latest["version"] for s in screens} == {current_version(hall_side)}
    finally:
        close_all(screens)
        mc_side.stop()
        hall_side.stop()
