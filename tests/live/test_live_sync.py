"""Live sync: one publish after every committed change, the full snapshot on connect and after
every change, sockets authorised by token, anonymous watchers read-only."""
from __future__ import annotations

import queue
import time

import pytest
import requests
import socketio

from conference.core.extensions import socketio as server_socketio

from tests.conftest import bearer

SNAPSHOT_KEYS = {"version", "conference", "agenda", "current", "attendance", "award", "message"}


def states(test_client) -> list[dict]:
    return [message["args"][0] for message in test_client.get_received() if message["name"] == "state"]


def first_delegate(client, auth) -> dict:
    return client.get("/api/delegates", headers=auth("door")).get_json()["delegates"][0]


def test_every_client_gets_the_full_snapshot_when_it_connects(app, tokens):
    for auth in ({"token": tokens["mc"]}, {"token": tokens["door"]}, None):
        received = states(server_socketio.test_client(app, auth=auth))
        assert len(received) == 1 and set(received[0]) >= SNAPSHOT_KEYS
        assert received[0]["conference"]["title"] and len(received[0]["agenda"]) == 9
        assert set(received[0]["attendance"]) >= {"present", "expected"}


def test_one_publish_after_each_committed_change_and_none_after_a_refusal(app, client, auth):
    screen = server_socketio.test_client(app)
    version = states(screen)[0]["version"]
    delegate = first_delegate(client, auth)

    client.post("/api/checkins", json={"code": delegate["badge_code"]}, headers=auth("door"))
    [after_checkin] = states(screen)
    assert after_checkin["version"] == version + 1 and after_checkin["attendance"]["present"] == 1

    client.post("/api/checkins", json={"code": delegate["badge_code"]}, headers=auth("door"))  # already in
    client.post("/api/checkins", json={"code": "0123456789ABCDEFG"}, headers=auth("door"))  # unknown
    client.post("/api/show/next", headers=auth("display"))  # refused: wrong role
    assert states(screen) == []

    client.post("/api/show/next", headers=auth("mc"))
    [after_next] = states(screen)
    assert after_next["version"] == version + 2 and after_next["current"] == 1

    client.delete(f"/api/checkins/{delegate['id']}", headers=auth("door"))
    [after_undo] = states(screen)
    assert after_undo["version"] == version + 3 and after_undo["attendance"]["present"] == 0


def test_a_change_is_answered_with_the_very_snapshot_the_screens_were_sent(app, client, auth):
    screen = server_socketio.test_client(app)
    [first] = states(screen)
    assert first["current"] is None  # before the start: going back changes nothing
    unchanged = client.post("/api/show/previous", headers=auth("mc"))
    assert unchanged.status_code == 200 and unchanged.get_json()["version"] == first["version"]
    assert states(screen) == []

    answer = client.post("/api/show/next", headers=auth("mc")).get_json()
    [sent] = states(screen)
    assert answer == sent and answer["version"] == first["version"] + 1  # server_time too: the same one


def test_a_failed_publish_is_logged_and_the_change_still_stands(app, client, auth, monkeypatch, caplog):
    def message_queue_down(*args, **kwargs):
        raise ConnectionError("message queue down")

    before = client.get("/api/state").get_json()
    monkeypatch.setattr(server_socketio, "emit", message_queue_down)
    answer = client.post("/api/show/next", headers=auth("mc"))
    assert answer.status_code == 200 and answer.get_json()["version"] == before["version"] + 1
    assert "publish after a commit of conference" in caplog.text
    monkeypatch.undo()
    after = client.get("/api/state").get_json()
    assert after["version"] == before["version"] + 1 and after["current"] == answer.get_json()["current"]


def test_every_screen_of_the_conference_receives_each_change(app, client, auth, tokens):
    screens = [server_socketio.test_client(app, auth=a) for a in ({"token": tokens["display"]}, None,
                                                                   {"token": tokens["mc"]})]
    for screen in screens:
        screen.get_received()
    client.post("/api/show/message", json={"message": "Mời đại biểu vào hội trường"}, headers=auth("mc"))
    for screen in screens:
        [state] = states(screen)
        assert state["message"] == "Mời đại biểu vào hội trường"


def test_sync_with_an_ack_answers_the_current_snapshot(app, client, auth):
    screen = server_socketio.test_client(app)
    client.post("/api/show/goto", json={"position": 4}, headers=auth("mc"))
    answer = screen.emit("sync", callback=True)
    assert set(answer) >= SNAPSHOT_KEYS and answer["current"] == 4


def test_a_socket_with_a_bad_token_is_refused(app, tokens):
    for token in ("nope", tokens["door"] + "x", "", 42, "x" * 1000):
        assert not server_socketio.test_client(app, auth={"token": token}).is_connected()


def test_every_app_in_one_process_authorises_its_sockets(tmp_path, tokens):
    from conference import create_app
    other = create_app({"INSTANCE_PATH": str(tmp_path / "other"), "TESTING": True,
                        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'other.db'}"})
    assert not server_socketio.test_client(other, auth={"token": "nope"}).is_connected()
    assert states(server_socketio.test_client(other))[0]["version"] >= 1


def test_an_anonymous_socket_only_watches(app, client, auth):
    watcher = server_socketio.test_client(app)
    version = states(watcher)[0]["version"]
    for event, data in (("next", None), ("checkin", {"code": "X"}), ("state", {"version": 999})):
        watcher.emit(event, data)
    assert watcher.emit("sync", callback=True)["version"] == version
    assert client.get("/api/state").get_json()["version"] == version


class LiveClient:
    """A real python-socketio client that keeps every snapshot it is sent."""

    def __init__(self, url: str, token: str | None = None):
        self.snapshots: queue.Queue = queue.Queue()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("state", self.snapshots.put)
        self.sio.connect(url, auth={"token": token} if token else None, transports=["websocket"],
                         wait_timeout=10)

    def wait_for(self, rule, timeout: float = 10) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            try:
                snapshot = self.snapshots.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError("no snapshot matched in time") from None
            if rule(snapshot):
                return snapshot

    def close(self):
        self.sio.disconnect()


@pytest.fixture
def live(live_server):
    clients: list[LiveClient] = []

    def connect(token=None):
        clients.append(LiveClient(live_server.url, token))
        return clients[-1]
    yield connect
    for made in clients:
        made.close()


def test_a_real_client_sees_each_check_in_and_each_advance(live_server, live):
    door, mc = bearer(live_server.token("door")), bearer(live_server.token("mc"))
    door_socket, hall = live(live_server.token("door")), live()
    first = hall.wait_for(lambda s: True)
    assert set(first) >= SNAPSHOT_KEYS and first["attendance"]["present"] == 0
    delegates = requests.get(live_server.url + "/api/delegates", headers=door, timeout=10).json()["delegates"]
    for number, delegate in enumerate(delegates[:5], start=1):
        answer = requests.post(live_server.url + "/api/checkins", json={"code": delegate["badge_code"]},
                               headers=door, timeout=10)
        assert answer.status_code == 201
        for client in (hall, door_socket):
            client.wait_for(lambda s, n=number: s["attendance"]["present"] == n)
    for position in (1, 2, 3):
        requests.post(live_server.url + "/api/show/next", headers=mc, timeout=10).raise_for_status()
        seen = hall.wait_for(lambda s, p=position: s["current"] == p)
        item = seen["agenda"][position - 1]
        assert item["started_at"] and item["ended_at"] is None
    assert door_socket.sio.call("sync", timeout=10)["current"] == 3


def test_a_screen_left_alone_gets_nothing_more_and_one_snapshot_per_change(live_server, live):
    """The server's watch of its own screens (every 2 s) sends nothing while nothing changes."""
    hall = live()
    first = hall.wait_for(lambda s: True)
    time.sleep(5)  # two rounds of the watch
    assert hall.snapshots.empty()
    requests.post(live_server.url + "/api/show/next", headers=bearer(live_server.token("mc")),
                  timeout=10).raise_for_status()
    assert hall.wait_for(lambda s: True)["version"] > first["version"]
    time.sleep(5)
    assert hall.snapshots.empty()


@pytest.mark.parametrize("token", ["not-a-token", "revoked"])
def test_a_real_client_with_a_bad_or_revoked_token_is_refused(live_server, token):
    if token == "revoked":
        admin = bearer(live_server.token("admin"))
        made = requests.post(live_server.url + "/api/devices", json={"role": "door"}, headers=admin,
                             timeout=10).json()
        requests.delete(f"{live_server.url}/api/devices/{made['device']['id']}", headers=admin, timeout=10)
        token = made["token"]
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(live_server.url, auth={"token": token}, transports=["websocket"], wait_timeout=10)
    client.disconnect()


def test_a_real_client_without_a_token_gets_the_snapshot_read_only(live_server, live):
    watcher = live()
    snapshot = watcher.wait_for(lambda s: True)
    assert set(snapshot) >= SNAPSHOT_KEYS
    watcher.sio.emit("next")
    assert watcher.sio.call("sync", timeout=10)["version"] == snapshot["version"]
    assert requests.post(live_server.url + "/api/show/next", timeout=10).status_code == 401
    assert requests.get(live_server.url + "/api/state", timeout=10).json()["version"] == snapshot["version"]
