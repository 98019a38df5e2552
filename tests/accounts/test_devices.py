"""Devices and roles: the admin pairs and revokes devices; a revoked token stops working at once,
as a Bearer token, as a paired page's cookie and on a socket."""
from __future__ import annotations

import re
import time

import pytest
import requests
import sqlalchemy as sa

from conference.core.db import db
from conference.core.models import Device

from tests.conftest import bearer


def csrf_token(page_html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', page_html).group(1)


def device_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Device))


def pair_path(made: dict) -> str:
    """The path of the pairing address POST /api/devices answered with."""
    return "/pair/" + made["pair_url"].rsplit("/pair/", 1)[1]


def first_code(client, auth) -> tuple[int, str]:
    delegate = client.get("/api/delegates", headers=auth("admin")).get_json()["delegates"][0]
    return delegate["id"], delegate["badge_code"]


def test_admin_pairs_a_device_and_gets_its_token_and_pairing_address(client, auth):
    response = client.post("/api/devices", json={"role": "door", "label": "Cửa 2"}, headers=auth("admin"))
    assert response.status_code == 201
    answer = response.get_json()
    assert answer["device"]["role"] == "door" and answer["device"]["label"] == "Cửa 2"
    assert answer["device"]["revoked_at"] is None and answer["device"]["created_at"]
    assert answer["pair_url"].startswith("http://localhost/pair/") and answer["token"] not in answer["pair_url"]
    _, code = first_code(client, auth)
    scan = client.post("/api/checkins", json={"code": code}, headers=bearer(answer["token"]))
    assert scan.status_code == 201 and scan.get_json()["delegate"]["checked_in_device"] == "Cửa 2"


def test_device_list_gives_id_role_label_created_and_revoked(client, auth, tokens):
    listed = client.get("/api/devices", headers=auth("admin")).get_json()["devices"]
    assert {d["role"] for d in listed} == {"admin", "mc", "door", "display", "button"}
    for device in listed:
        assert set(device) >= {"id", "role", "label", "created_at", "revoked_at"}
        assert "token" not in device and "token_hash" not in device


def test_a_device_without_a_label_gets_a_numbered_default_one(client, auth, tokens):
    made = client.post("/api/devices", json={"role": "door"}, headers=auth("admin")).get_json()
    assert made["device"]["label"] == "Cửa 2"  # the tokens fixture made door 1


def test_revoked_bearer_token_is_refused_at_the_next_request(client, auth, tokens):
    made = client.post("/api/devices", json={"role": "door"}, headers=auth("admin")).get_json()
    _, code = first_code(client, auth)
    assert client.get("/api/delegates", headers=bearer(made["token"])).status_code == 200
    revoked = client.delete(f"/api/devices/{made['device']['id']}", headers=auth("admin"))
    assert revoked.status_code == 200 and revoked.get_json()["device"]["revoked_at"]
    refused = client.post("/api/checkins", json={"code": code}, headers=bearer(made["token"]))
    assert refused.status_code == 401 and refused.get_json()["error"]["code"] == "unauthorized"
    assert client.get("/api/delegates", headers=bearer(made["token"])).status_code == 401


def test_revoked_device_cookie_from_the_pairing_page_stops_working(app, auth, tokens):
    tablet = app.test_client()
    made = tablet.post("/api/devices", json={"role": "door"}, headers=auth("admin")).get_json()
    paired = tablet.get(pair_path(made))
    assert paired.status_code == 302 and paired.headers["Location"].endswith("/door")
    door_page = tablet.get("/door")
    assert door_page.status_code == 200
    headers = {"X-CSRFToken": csrf_token(door_page.get_data(as_text=True))}
    assert tablet.get("/api/delegates").status_code == 200
    delegate_id, code = first_code(tablet, auth)
    assert tablet.post("/api/checkins", json={"code": code}, headers=headers).status_code == 201

    app.test_client().delete(f"/api/devices/{made['device']['id']}", headers=auth("admin"))
    assert tablet.get("/api/delegates").status_code == 401
    assert tablet.delete(f"/api/checkins/{delegate_id}", headers=headers).status_code == 401
    assert tablet.get("/door").status_code == 302  # back to the sign-in page
    assert app.test_client().get(pair_path(made)).status_code == 404


def test_cookie_caller_without_the_csrf_header_changes_nothing(app, auth, pairings):
    tablet = app.test_client()
    tablet.get(f"/pair/{pairings['door']}")
    _, code = first_code(tablet, auth)
    forged = tablet.post("/api/checkins", json={"code": code})
    assert forged.status_code == 400 and forged.get_json()["error"]["code"]
    assert tablet.get("/api/state").get_json()["attendance"]["present"] == 0


@pytest.mark.parametrize("role", ["mc", "door", "display", None])
@pytest.mark.parametrize("method, path, payload", [
    ("get", "/api/devices", None),
    ("post", "/api/devices", {"role": "admin"}),
    ("delete", "/api/devices/1", None),
])
def test_only_the_admin_may_manage_devices(app, client, tokens, role, method, path, payload):
    before = device_count(app)
    headers = bearer(tokens[role]) if role else {}
    response = getattr(client, method)(path, json=payload, headers=headers)
    assert response.status_code == (403 if role else 401)
    assert response.get_json()["error"]["code"] == ("forbidden" if role else "unauthorized")
    assert device_count(app) == before
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Device)
                                 .where(Device.revoked_at.is_not(None))) == 0


@pytest.mark.parametrize("payload, code", [
    ({"role": "superuser"}, "invalid_role"),
    ({"role": ["door"]}, "invalid_role"),
    ({"role": None}, "invalid_role"),
    ({}, "invalid_role"),
    ({"role": "door", "label": "x" * 81}, "invalid_label"),
    ({"role": "door", "label": 7}, "invalid_label"),
])
def test_bad_device_requests_are_refused_and_pair_nothing(app, client, auth, payload, code):
    auth_headers = auth("admin")
    before = device_count(app)
    response = client.post("/api/devices", json=payload, headers=auth_headers)
    assert response.status_code == 400 and response.get_json()["error"]["code"] == code
    assert device_count(app) == before


@pytest.mark.parametrize("device_id, code", [("999999", "unknown_device"),
                                             # beyond the id column's range: no route matches it
                                             ("99999999999999999999999", "not_found")])
def test_revoking_an_unknown_device_is_a_404(client, auth, device_id, code):
    response = client.delete(f"/api/devices/{device_id}", headers=auth("admin"))
    assert response.status_code == 404 and response.get_json()["error"]["code"] == code


def test_revoked_device_socket_is_refused_at_its_next_sync_and_reconnect(app, client, auth):
    from conference.core.extensions import socketio
    made = client.post("/api/devices", json={"role": "display"}, headers=auth("admin")).get_json()
    screen = socketio.test_client(app, auth={"token": made["token"]})
    assert screen.is_connected()
    client.delete(f"/api/devices/{made['device']['id']}", headers=auth("admin"))
    assert not screen.is_connected()  # closed by the revoke itself
    again = socketio.test_client(app, auth={"token": made["token"]})
    assert not again.is_connected()


def test_socket_connected_with_a_paired_cookie_is_refused_once_revoked(app, auth):
    from conference.core.extensions import socketio
    tablet = app.test_client()
    made = tablet.post("/api/devices", json={"role": "door"}, headers=auth("admin")).get_json()
    tablet.get(pair_path(made))
    first = socketio.test_client(app, flask_test_client=tablet)
    assert first.is_connected() and first.get_received()[0]["name"] == "state"
    tablet.delete(f"/api/devices/{made['device']['id']}", headers=auth("admin"))
    assert not socketio.test_client(app, flask_test_client=tablet).is_connected()


def test_revoking_on_the_live_server_disconnects_an_open_socket_and_refuses_reconnect(live_server):
    import socketio
    admin = bearer(live_server.token("admin"))
    made = requests.post(live_server.url + "/api/devices", json={"role": "display", "label": "Màn hình"},
                         headers=admin, timeout=10).json()
    assert made["pair_url"].startswith(live_server.url + "/pair/")
    screen = socketio.Client(reconnection=False)
    screen.connect(live_server.url, auth={"token": made["token"]}, transports=["websocket"], wait_timeout=10)
    try:
        assert screen.connected
        requests.delete(f"{live_server.url}/api/devices/{made['device']['id']}", headers=admin, timeout=10)
        deadline = time.monotonic() + 10
        while screen.connected and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not screen.connected
    finally:
        screen.disconnect()
    again = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        again.connect(live_server.url, auth={"token": made["token"]}, transports=["websocket"], wait_timeout=10)
    again.disconnect()


def test_revoke_from_the_command_line_stops_the_token(live_server):
    import subprocess
    import sys
    token = live_server.token("door", "Cửa CLI")
    listed = subprocess.run([sys.executable, "-m", "conference", "devices"], cwd=live_server_root(),
                            env=live_server.env, capture_output=True, text=True, check=True).stdout
    device_id = next(line.split("\t")[0] for line in listed.splitlines() if "Cửa CLI" in line)
    assert requests.get(live_server.url + "/api/delegates", headers=bearer(token), timeout=10).status_code == 200
    import socketio
    tablet = socketio.Client(reconnection=False)
    tablet.connect(live_server.url, auth={"token": token}, transports=["websocket"], wait_timeout=10)
    revoked = subprocess.run([sys.executable, "-m", "conference", "revoke", device_id], cwd=live_server_root(),
                             env=live_server.env, capture_output=True, text=True)
    assert revoked.returncode == 0 and "Cửa CLI" in revoked.stdout
    assert requests.get(live_server.url + "/api/delegates", headers=bearer(token), timeout=10).status_code == 401
    deadline = time.monotonic() + 8  # the CLI is another process: the server's watch closes the socket
    while tablet.connected and time.monotonic() < deadline:
        time.sleep(0.05)
    connected = tablet.connected
    tablet.disconnect()
    assert not connected
    unknown = subprocess.run([sys.executable, "-m", "conference", "revoke", "999999"], cwd=live_server_root(),
                             env=live_server.env, capture_output=True, text=True)
    assert unknown.returncode == 1 and "thiết bị" in unknown.stderr


def test_the_device_list_shows_when_a_device_was_last_connected(live_server):
    import socketio
    admin = bearer(live_server.token("admin"))
    made = requests.post(live_server.url + "/api/devices", json={"role": "display", "label": "Màn chiếu"},
                         headers=admin, timeout=10).json()
    assert made["device"]["last_seen_at"] is None

    def last_seen() -> str | None:
        listed = requests.get(live_server.url + "/api/devices", headers=admin, timeout=10).json()["devices"]
        return next(d["last_seen_at"] for d in listed if d["id"] == made["device"]["id"])

    screen = socketio.Client(reconnection=False)
    screen.connect(live_server.url, auth={"token": made["token"]}, transports=["websocket"], wait_timeout=10)
    try:
        deadline = time.monotonic() + 8  # written by the server's watch, every 2 s
        while last_seen() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert last_seen() is not None
    finally:
        screen.disconnect()


def live_server_root():
    from tests.conftest import ROOT
    return ROOT
