"""Scale-out: several server processes on one PostgreSQL database, joined by Redis, share one state.

Each test starts real processes (`python3 -m conference serve` and the production command of
deploy/, gunicorn) against the machine's PostgreSQL and Redis, each run on a Redis channel of
its own so that parallel runs on the same Redis never hear each other.
"""
from __future__ import annotations

import shlex
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
import socketio

from tests.conftest import ROOT, LiveServer, bearer, lanes

pytestmark = [pytest.mark.services, pytest.mark.slow]

GUNICORN = (ROOT / "deploy" / "gunicorn.command").read_text(encoding="utf-8").strip()


def cluster_env(postgres_url: str, redis_url: str) -> dict[str, str]:
    """What every process of one installation shares: database, queue, channel, secret."""
    return {"DATABASE_URL": postgres_url, "REDIS_URL": redis_url,
            "SOCKETIO_CHANNEL": f"conference-test-{uuid.uuid4().hex}", "SECRET_KEY": uuid.uuid4().hex,
            "CONFERENCE_ADMIN_PASSWORD": "scale-test-password"}


class GunicornServer(LiveServer):
    """The production command of deploy/gunicorn.command, on a free port."""

    def start(self) -> "GunicornServer":
        self.instance.mkdir(parents=True, exist_ok=True)
        command = shlex.split(GUNICORN.replace("$PORT", str(self.port)))
        command[0:1] = [sys.executable, "-m", "gunicorn"]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.log.read_text(errors="replace")[-2000:])
            try:
                if requests.get(self.url + "/api/state", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start in 30 s")


class Screen:
    """A real Socket.IO client that keeps the newest snapshot it was sent."""

    def __init__(self, url: str, transports: tuple[str, ...] = ("websocket",), **options):
        self.versions: list[int] = []
        self.latest: dict | None = None
        self.changed = threading.Condition()
        self.client = socketio.Client(reconnection_delay=0.2, reconnection_delay_max=1, **options)
        self.client.on("state", self._on_state)
        self.client.connect(url, transports=list(transports), wait_timeout=10)

    def _on_state(self, snapshot: dict) -> None:
        with self.changed:
            self.versions.append(snapshot["version"])
            if self.latest is None or snapshot["version"] >= self.latest["version"]:
                self.latest = snapshot
            self.changed.notify_all()

    def wait_for_version(self, version: int, timeout: float = 10) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.latest is not None and self.latest["version"] >= version,
                                         timeout)

    def close(self) -> None:
        self.client.shutdown()


def close_all(screens: list[Screen]) -> None:
    """Disconnect every screen at once (a client's close handshake may take a few seconds)."""
    closers = [threading.Thread(target=screen.close, daemon=True) for screen in screens]
    for closer in closers:
        closer.start()
    for closer in closers:
        closer.join(10)


def start_cluster(tmp_path: Path, env: dict, kinds: tuple[str, ...]) -> list[LiveServer]:
    """Processes of one installation; the first creates the schema and the demo alone."""
    servers = []
    for number, kind in enumerate(kinds):
        server_class = GunicornServer if kind == "gunicorn" else LiveServer
        servers.append(server_class(tmp_path / f"process-{number}", env=env).start())
    return servers


@pytest.fixture
@lanes("slow")
def cluster(tmp_path, postgres_url, redis_url):
    """Two processes (the CLI server and gunicorn) on one PostgreSQL database and one Redis."""
    servers = start_cluster(tmp_path, cluster_env(postgres_url, redis_url), ("serve", "gunicorn"))
    yield servers
    for server in servers:
        server.stop()


def version(server: LiveServer) -> int:
    return requests.get(server.url + "/api/state", timeout=10).json()["version"]


def test_a_display_on_one_process_sees_an_advance_made_on_another(cluster):
    first, second = cluster
    screens = [Screen(second.url), Screen(first.url)]
    try:
        before = version(first)
        answer = requests.post(first.url + "/api/show/next", headers=bearer(first.token("mc")), timeout=10)
        assert answer.status_code == 200 and answer.json()["version"] > before
        for screen in screens:
            assert screen.wait_for_version(answer.json()["version"], timeout=10)
            assert screen.latest["current"] == answer.json()["current"]
        assert requests.get(second.url + "/api/state", timeout=10).json()["current"] == answer.json()["current"]
    finally:
        close_all(screens)


def test_a_delegate_scanned_at_two_processes_at_once_counts_once(cluster):
    first, second = cluster
    door_token = first.token("door")
    delegates = requests.get(first.url + "/api/delegates", headers=bearer(door_token), timeout=10).json()["delegates"]
    chosen = delegates[:8]
    outcomes: dict[int, list[int]] = {d["id"]: [] for d in chosen}
    barrier = threading.Barrier(len(chosen) * 4)

    def door(server: LiveServer, delegate: dict, number: int) -> None:
        session = requests.Session()
        barrier.wait(timeout=20)
        response = session.post(server.url + "/api/checkins", headers=bearer(door_token), timeout=20,
                                json={"code": delegate["badge_code"], "nonce": uuid.uuid4().hex,
                                      "device": f"Cửa {number}"})
        outcomes[delegate["id"]].append(response.status_code)

    threads = [threading.Thread(target=door, args=(server, delegate, number))
               for delegate in chosen for number, server in enumerate((first, second, first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for statuses in outcomes.values():
        assert sorted(statuses) == [200, 200, 200, 201]
    state = requests.get(second.url + "/api/state", timeout=10).json()
    assert state["attendance"]["present"] == len(chosen)


def test_the_same_scan_replayed_at_two_processes_gets_one_answer_and_counts_once(cluster):
    first, second = cluster
    door_token = first.token("door")
    delegate = requests.get(first.url + "/api/delegates", headers=bearer(door_token),
                            timeout=10).json()["delegates"][5]
    scan = {"code": delegate["badge_code"], "nonce": f"offline-{uuid.uuid4().hex}", "device": "Cửa 2"}
    barrier = threading.Barrier(6)
    answers: list[tuple[int, bytes]] = []

    def replay(server: LiveServer) -> None:
        barrier.wait(timeout=20)
        response = requests.post(server.url + "/api/checkins", json=scan, headers=bearer(door_token), timeout=20)
        answers.append((response.status_code, response.json()["delegate"]["checked_in_at"]))

    threads = [threading.Thread(target=replay, args=(server,)) for server in (first, second) * 3]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(answers) == 6 and len(set(answers)) == 1 and answers[0][0] == 201
    assert requests.get(first.url + "/api/state", timeout=10).json()["attendance"]["present"] == 1


def test_processes_started_together_on_an_empty_database_load_the_demo_once(tmp_path, postgres_url, redis_url):
    env = cluster_env(postgres_url, redis_url)
    servers = [LiveServer(tmp_path / f"together-{n}", env=env) for n in range(3)]
    starters = [threading.Thread(target=server.start) for server in servers]
    try:
        for starter in starters:
            starter.start()
        for starter in starters:
            starter.join(60)
        titles = {requests.get(s.url + "/api/state", timeout=10).json()["conference"]["id"] for s in servers}
        import psycopg
        with psycopg.connect(postgres_url.replace("postgresql+psycopg://", "postgresql://")) as connection:
            conferences = connection.execute("SELECT count(*) FROM conference").fetchone()[0]
        assert conferences == 1 and len(titles) == 1
    finally:
        for server in servers:
            server.stop()


def test_the_production_command_serves_pages_api_and_live_sync(cluster):
    _, gunicorn = cluster
    screen = Screen(gunicorn.url)
    try:
        assert requests.get(gunicorn.url + "/display", timeout=10).status_code == 200
        token = gunicorn.token("door")
        code = requests.get(gunicorn.url + "/api/delegates", headers=bearer(token), timeout=10).json()["delegates"][0]
        answer = requests.post(gunicorn.url + "/api/checkins", json={"code": code["badge_code"]},
                               headers=bearer(token), timeout=10)
        assert answer.status_code == 201
        assert screen.wait_for_version(version(gunicorn))
        assert screen.latest["attendance"]["present"] == 1
        assert screen.client.transport() == "websocket"
    finally:
        screen.close()


def test_the_nginx_example_proxies_pages_api_and_both_socket_transports(tmp_path, cluster):
    import shutil
    from tests.conftest import free_port, unavailable
    if shutil.which("nginx") is None:
        unavailable("nginx is not installed (apt-get install nginx-light)")
    first, second = cluster
    port = free_port()
    site = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    site = site.replace("server 127.0.0.1:5001;", f"server 127.0.0.1:{first.port};")
    site = site.replace("server 127.0.0.1:5002;", f"server 127.0.0.1:{second.port};")
    site = site.replace("server 127.0.0.1:5003;\n", "")
    site = site.replace("/var/log/nginx/access.log", f"{tmp_path}/access.log")
    assert f"server 127.0.0.1:{second.port};" in site and "ip_hash;" in site
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    import tempfile
    spool = Path(tempfile.mkdtemp(prefix="conference-nginx-"))  # nginx's workers (not root) spool bodies here
    spool.chmod(0o777)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/nginx-error.log;\ndaemon off;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {spool};\n  proxy_temp_path {spool};\n"
        f"  include {tmp_path}/site.conf;\n}}\n", encoding="utf-8")
    proxy = subprocess.Popen(["nginx", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    screens = []
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if requests.get(url + "/api/state", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        screens = [Screen(url), Screen(url, transports=("polling",))]  # polling needs the sticky upstream
        mc = bearer(first.token("mc"))
        moved = requests.post(url + "/api/show/next", headers=mc, timeout=10)
        assert moved.status_code == 200
        for screen in screens:
            assert screen.wait_for_version(moved.json()["version"], timeout=10)
        too_big = requests.post(url + "/api/show/message", data=b"{" + b" " * (5 * 1024 * 1024 + 10) + b"}",
                                headers={**mc, "Content-Type": "application/json"}, timeout=30)
        assert too_big.status_code == 413 and too_big.json()["error"]["code"]
    finally:
        close_all(screens)
        proxy.terminate()
        proxy.wait(10)
        shutil.rmtree(spool, ignore_errors=True)


def test_revoking_on_one_process_closes_the_device_socket_open_on_another(cluster):
    first, second = cluster
    admin = bearer(first.token("admin"))
    made = requests.post(first.url + "/api/devices", json={"role": "display", "label": "Màn hình B"},
                         headers=admin, timeout=10).json()
    screen = socketio.Client(reconnection=False)
    screen.connect(second.url, auth={"token": made["token"]}, transports=["websocket"], wait_timeout=10)
    try:
        assert screen.connected
        revoked = requests.delete(f"{first.url}/api/devices/{made['device']['id']}", headers=admin, timeout=10)
        assert revoked.status_code == 200
        deadline = time.monotonic() + 10  # the other process's watch runs every 2 s
        while screen.connected and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not screen.connected
    finally:
        screen.disconnect()
