"""Button boxes (docs/SHOW.md §6): a button device's press addresses move the show by GET or POST,
as a Stream Deck's "Website" action or Companion sends them, and do nothing else. Its token is
refused everywhere else (Bearer, /pair, Socket.IO), no other token works in a press address, a
prefetch presses nothing, and no log nor the audit trail writes the token."""
from __future__ import annotations

import re
import socket
import time

import pytest
import requests
import socketio

from tests.conftest import ADMIN_LOGIN, ADMIN_PASSWORD, LiveServer, bearer, lanes, page_csrf_token, sign_in
from tests.web.test_english import data_strings, left_in_vietnamese
from tests.scale.test_scale_processes import GunicornServer

SPECULATIVE = [{"Sec-Purpose": "prefetch"}, {"Sec-Purpose": "prefetch;prerender"}, {"Purpose": "prefetch"},
               {"X-Moz": "prefetch"}, {"X-Purpose": "preview"}]


@pytest.fixture(scope="module")
@lanes("slow")
def server(tmp_path_factory):
    """One real server for the module: each test reads the show before it presses."""
    live = LiveServer(tmp_path_factory.mktemp("button") / "instance").start()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def button(server) -> str:
    return server.token("button", "Stream Deck")


def state(server) -> dict:
    return requests.get(server.url + "/api/state", timeout=10).json()


def press(server, token: str, action: str, method: str = "GET", **options) -> requests.Response:
    return requests.request(method, f"{server.url}/press/{token}/{action}", timeout=10, **options)


def place(snapshot: dict) -> tuple:
    return snapshot["current"], snapshot["current_step"]


def wait_for(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
    return condition()


# --- pressing --------------------------------------------------------------------------------

def test_a_get_press_moves_the_show_and_names_the_button_as_who_moved_it(server, button):
    press(server, button, "goto/1")
    answer = press(server, button, "next")
    assert answer.status_code == 200
    body = answer.json()
    now = state(server)
    assert body["ok"] is True and (body["current"], body["version"]) == (2, now["version"])
    assert set(body) == {"ok", "version", "current", "current_step", "finished", "screen", "award"}
    item = next(entry for entry in now["agenda"] if entry["position"] == 2)
    assert item["started_by"] == "Stream Deck"
    assert answer.headers["Cache-Control"] == "no-store" and answer.headers["Referrer-Policy"] == "no-referrer"
    assert "Set-Cookie" not in answer.headers


def test_a_post_press_needs_no_csrf_token_and_applies_without_a_place(server, button):
    """Companion POSTs with no body and no CSRF token: the address carries its own secret. A "from"
    sent anyway is not read: a button box's every press applies."""
    before = place(state(server))
    answer = press(server, button, "previous", "POST", json={"from": {"position": 99, "step": None}})
    assert answer.status_code == 200 and place(state(server)) != before


def test_goto_awards_and_screen_presses_do_what_they_say(server, button):
    assert press(server, button, "goto/4/2").json()["current_step"] == 2
    assert place(state(server)) == (4, 2)
    assert press(server, button, "screen/blackout").json()["screen"] == "blackout"
    assert press(server, button, "screen/standby", "POST").json()["screen"] == "standby"
    assert press(server, button, "screen/live").json()["screen"] == "live"
    press(server, button, "goto/5")
    award = press(server, button, "awards/next").json()["award"]
    assert (award["index"], award["reveal"]) == (0, False)
    assert press(server, button, "awards/next").json()["award"]["reveal"] is True
    assert press(server, button, "awards/previous").json()["award"]["reveal"] is False


def test_every_address_the_token_command_prints_presses(server):
    import subprocess
    import sys
    from tests.conftest import ROOT
    printed = subprocess.run([sys.executable, "-m", "conference", "token", "button", "--label", "Bàn MC",
                              "--host", "127.0.0.1", "--port", str(server.port)],
                             cwd=ROOT, env=server.env, capture_output=True, text=True, check=True).stdout
    addresses = [line.split()[-1] for line in printed.splitlines()]
    assert printed.startswith("Bàn MC: ") and "/pair/" not in printed and len(addresses) == 8
    for address in addresses:
        assert requests.get(address, timeout=10).status_code == 200, address


# --- refusals --------------------------------------------------------------------------------

def test_the_button_token_is_refused_as_a_bearer_for_pairing_and_on_a_socket(server, button):
    before = state(server)["version"]
    for path in ("/api/show/next", "/api/awards/next", "/api/checkins"):
        answer = requests.post(server.url + path, headers=bearer(button), json={}, timeout=10)
        assert answer.status_code == 401 and answer.json()["error"]["code"] == "unauthorized", path
    assert requests.get(server.url + "/api/delegates", headers=bearer(button), timeout=10).status_code == 401
    browser = requests.Session()
    paired = browser.get(f"{server.url}/pair/{button}", timeout=10, allow_redirects=False)
    unknown = requests.get(f"{server.url}/pair/not-a-token", timeout=10, allow_redirects=False)
    assert paired.status_code == unknown.status_code == 404  # the same answer as a token that does not exist
    assert browser.get(server.url + "/mc", timeout=10, allow_redirects=False).status_code == 302  # to /login
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(server.url, auth={"token": button}, transports=["websocket"], wait_timeout=10)
    client.disconnect()
    assert state(server)["version"] == before


@pytest.mark.parametrize("role", ["mc", "admin", "door", "display"])
def test_another_roles_token_in_a_press_address_is_refused(server, role):
    token = server.token(role)
    before = state(server)["version"]
    for method in ("GET", "POST"):
        answer = press(server, token, "next", method)
        assert answer.status_code == 401 and answer.json()["error"]["code"] == "unauthorized"
    assert press(server, "not-a-token", "next").json() == answer.json()  # says nothing of what the token is
    assert state(server)["version"] == before


def test_a_revoked_button_is_refused_at_its_next_press(server):
    admin = bearer(server.token("admin"))
    made = requests.post(server.url + "/api/devices", json={"role": "button", "label": "Companion"},
                         headers=admin, timeout=10).json()
    assert "pair_url" not in made and len(made["press_urls"]) == 8
    assert made["press_urls"][0] == f"{server.url}/press/{made['token']}/next"
    assert requests.get(made["press_urls"][0], timeout=10).status_code == 200
    requests.delete(f"{server.url}/api/devices/{made['device']['id']}", headers=admin, timeout=10)
    before = state(server)["version"]
    answer = requests.get(made["press_urls"][0], timeout=10)
    assert answer.status_code == 401 and state(server)["version"] == before


@pytest.mark.parametrize("header", SPECULATIVE, ids=lambda header: "=".join(*header.items()))
def test_a_prefetch_or_preview_presses_nothing(server, button, header):
    before = state(server)
    answer = press(server, button, "next", headers=header)
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "prefetch_refused"
    assert answer.headers["Cache-Control"] == "no-store"
    assert state(server)["version"] == before["version"] and place(state(server)) == place(before)
    assert press(server, button, "next", "HEAD").status_code == 405  # a link checker's HEAD neither
    assert state(server)["version"] == before["version"]


def test_unknown_actions_and_items_are_404_and_nothing_is_a_500(server, button):
    before = state(server)["version"]
    for action in ("bogus", "message", "screen/pink", "goto/-1", "goto/x", "next/", "", "goto/1/2/3",
                   "goto/99999999999999999999", "../api/show/next"):
        answer = press(server, button, action)
        assert answer.status_code == 404, action
        assert answer.headers["Cache-Control"] == "no-store" and "<a " not in answer.text, action
    assert press(server, button, "next", "PUT").status_code == 405
    assert state(server)["version"] == before
    missing = press(server, button, "goto/99")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "unknown_position"
    no_step = press(server, button, "goto/1/9")
    assert no_step.status_code == 404 and no_step.json()["error"]["code"] == "unknown_position"


def test_an_empty_agenda_is_answered_as_the_api_answers_it(app):
    from conference.core.models import Role
    from conference.accounts.devices import create_device
    from conference.office.lifecycle import activate, create_conference
    with app.app_context():
        empty = activate(create_conference("Hội nghị chưa có chương trình"), force=True)
        token = create_device(empty, Role.BUTTON, "Stream Deck")[1]
    answer = app.test_client().get(f"/press/{token}/next")
    assert answer.status_code == 409 and answer.get_json()["error"]["code"] == "empty_agenda"


# --- no log writes the token -----------------------------------------------------------------

def send_raw(server, request_line: str) -> bytes:
    """A request the server cannot parse, whose line it then names in its error log."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(f"{request_line}\r\nHost: x\r\n\r\n".encode())
        return connection.recv(1024)


def test_the_server_log_never_holds_the_token(server, button):
    press(server, button, "next")
    press(server, button, "bogus")
    answer = send_raw(server, f"GET /press/{button}/next extra HTTP/1.1")  # "Invalid HTTP method: 'GET …'"
    assert answer.startswith(b"HTTP/1.") and b" 400 " in answer.split(b"\r\n", 1)[0]
    assert wait_for(lambda: "Invalid HTTP method" in server.log.read_text(errors="replace"))
    log = server.log.read_text(errors="replace")
    assert "/press/…/next" in log and button not in log


def test_the_audit_trail_names_the_button_but_not_its_token(app):
    from conference.core.db import db
    from conference.core.models import AuditEntry, Role
    from conference.accounts.devices import create_device
    from conference.core.state import default_conference_id
    with app.app_context():
        token = create_device(default_conference_id(), Role.BUTTON, "Stream Deck")[1]
    assert app.test_client().get(f"/press/{token}/next").status_code == 200
    with app.app_context():
        entry = db.session.query(AuditEntry).order_by(AuditEntry.id.desc()).first()
        assert entry.actor.startswith("Stream Deck") and "button" in entry.actor
        assert entry.target == "GET /press/…/next" and token not in entry.target


@pytest.mark.slow
def test_gunicorns_access_log_never_holds_the_token(tmp_path):
    access = tmp_path / "access.log"
    live = GunicornServer(tmp_path / "instance", env={"GUNICORN_CMD_ARGS": f"--access-logfile {access}"}).start()
    try:
        token = live.token("button", "Stream Deck")
        assert press(live, token, "next").status_code == 200
        assert requests.get(f"{live.url}/pair/{token}", timeout=10).status_code == 404
        assert wait_for(lambda: access.exists() and "/pair/" in access.read_text())
    finally:
        live.stop()
    logged = access.read_text() + live.log.read_text(errors="replace")
    assert "GET /press/…/next" in logged and "GET /pair/…" in logged and token not in logged


# --- the office ------------------------------------------------------------------------------

def test_the_devices_page_offers_a_button_box_and_shows_its_press_addresses_once(app, admin_client):
    page = admin_client.get("/admin/devices").get_data(as_text=True)
    assert '<option value="button">' in page
    made = admin_client.post("/admin/devices", data={"csrf_token": admin_client.csrf_token, "role": "button",
                                                     "label": "Stream Deck"}, follow_redirects=True)
    html = made.get_data(as_text=True)
    assert made.status_code == 200 and 'id="press-addresses"' in html
    assert "/pair/" not in html and 'id="pairing-qr"' not in html  # a button box pairs no page
    addresses = re.findall(r'<code class="press-address">([^<]+)</code>', html)
    assert len(addresses) == 8 and addresses[0].endswith("/next") and addresses[-1].endswith("/goto/1")
    token = addresses[0].split("/press/", 1)[1].split("/", 1)[0]
    assert all(f"/press/{token}/" in address for address in addresses)
    assert app.test_client().get(f"/press/{token}/next").status_code == 200
    again = admin_client.get("/admin/devices").get_data(as_text=True)
    assert token not in again and 'id="press-addresses"' not in again  # shown once


def test_the_press_addresses_panel_is_wholly_english_when_english_is_chosen(app):
    client = sign_in(app.test_client(), ADMIN_LOGIN, ADMIN_PASSWORD)
    client.get("/admin/devices?lang=en")
    token = page_csrf_token(client.get("/admin/devices").get_data(as_text=True))
    made = client.post("/admin/devices", data={"csrf_token": token, "role": "button", "label": "Deck"},
                       follow_redirects=True)
    html = made.get_data(as_text=True)
    assert "Press addresses of “Deck”" in html and "Button box “Deck” created." in html
    assert left_in_vietnamese(html, data_strings()) == []
