"""Forms and sign-in under attack: CSRF on every form and cookie API call, the login limit,
a foreign Origin on the socket, oversized uploads."""
from __future__ import annotations

import io
import re

import pytest
import requests
import socketio

from tests.conftest import ADMIN_LOGIN, ADMIN_PASSWORD, sign_in
from tests.web.test_access_matrix import fingerprint, routes

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SIX_MB = 6 * 1024 * 1024


def signed_in_admin(app):
    """A browser signed in as the office, by a real sign-in."""
    return sign_in(app.test_client())


def form_routes(app) -> list[tuple[str, str, str]]:
    """The POST routes of pages; a press address carries its own secret (tests/show/test_show_button_box.py)
    and a phone's ballot is its JSON call, refused 401 before CSRF to a caller with no delegate's page
    (its missing token: tests/votes/test_votes.py)."""
    return [(m, r, u) for m, r, u in routes(app)
            if m == "POST" and not r.startswith(("/api/", "/press/")) and r != "/me/ballot"]


def api_write_routes(app) -> list[tuple[str, str, str]]:
    return [(m, r, u) for m, r, u in routes(app) if m in ("POST", "PUT", "DELETE") and r.startswith("/api/")]


def test_every_form_posted_without_its_csrf_token_is_refused_and_changes_nothing(app):
    client = signed_in_admin(app)
    before = fingerprint(app)
    forms = form_routes(app)
    assert len(forms) > 10  # the office's forms, sign-in and sign-out at least
    answers = {rule: client.post(url.replace("987654", "1"), data={"name": "x", "password": "x"}).status_code
               for _, rule, url in forms}
    assert {rule: status for rule, status in answers.items() if status != 400} == {}
    assert fingerprint(app) == before
    assert client.get("/admin").status_code == 200  # signing out without the token did not sign out


def test_every_api_write_by_cookie_without_the_csrf_header_is_refused_and_changes_nothing(app):
    client = signed_in_admin(app)
    before = fingerprint(app)
    answers = {f"{method} {rule}": client.open(url.replace("987654", "1"), method=method, json={}).status_code
               for method, rule, url in api_write_routes(app)}
    assert {call: status for call, status in answers.items() if status != 400} == {}
    assert fingerprint(app) == before


def test_the_same_form_with_its_csrf_token_is_accepted(app):
    client = signed_in_admin(app)
    token = client.get("/admin/groups").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', token).group(1)
    before = fingerprint(app)
    answer = client.post("/admin/groups", data={"csrf_token": token, "name": "Khách mời đặc biệt", "color": "#123456"})
    assert answer.status_code in (200, 302, 303) and fingerprint(app) != before


def test_an_address_is_held_after_ten_wrong_passwords(app):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = CSRF_FIELD.search(page).group(1)
    wrong = [client.post("/login", data={"csrf_token": token, "login": f"guess-{n}", "password": "x"}).status_code
             for n in range(10)]
    assert wrong == [401] * 10
    right = client.post("/login", data={"csrf_token": token, "login": ADMIN_LOGIN, "password": ADMIN_PASSWORD})
    assert right.status_code == 429  # even the right password waits once the limit is reached
    assert "Thử sai quá nhiều lần; hãy chờ 15 phút rồi thử lại." in right.get_data(as_text=True)  # not "10 per 1 minute"
    assert client.get("/admin").status_code in (302, 303)


def test_a_socket_from_a_foreign_origin_is_refused(live_server):
    handshake = live_server.url + "/socket.io/?EIO=4&transport=polling"
    assert requests.get(handshake, headers={"Origin": "http://evil.example"}, timeout=10).status_code == 400
    assert requests.get(handshake, headers={"Origin": live_server.url}, timeout=10).status_code == 200
    intruder = socketio.Client(reconnection=False)  # polling: the Origin header is exactly the one given
    with pytest.raises(socketio.exceptions.ConnectionError):
        intruder.connect(live_server.url, headers={"Origin": "http://evil.example"}, transports=["polling"],
                         wait_timeout=5)
    neighbour = socketio.Client(reconnection=False)
    neighbour.connect(live_server.url, headers={"Origin": live_server.url}, transports=["polling"], wait_timeout=5)
    assert neighbour.connected
    # Not waiting for the long-poll in flight to come back (up to the 25 s ping): the test is done.
    neighbour.eio.disconnect(abort=True)


@pytest.mark.parametrize("path, role", [("/api/checkins", "door"), ("/api/delegates", "door"),
                                        ("/api/show/message", "mc"), ("/api/honourees/import", "admin")])
def test_a_body_over_five_megabytes_gets_a_json_413_and_changes_nothing(app, client, auth, path, role):
    before = fingerprint(app)
    if path.endswith("/import"):
        answer = client.post(path, headers=auth(role), content_type="multipart/form-data",
                             data={"file": (io.BytesIO(b"a" * SIX_MB), "roster.csv")})
    else:
        answer = client.post(path, headers={**auth(role), "Content-Type": "application/json"},
                             data=b'{"code": "' + b"A" * SIX_MB + b'"}')
    assert answer.status_code == 413
    assert answer.is_json and answer.get_json()["error"]["code"]
    assert fingerprint(app) == before


def test_an_oversized_upload_to_the_office_import_form_is_refused(app):
    client = signed_in_admin(app)
    page = client.get("/admin/import").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    before = fingerprint(app)
    answer = client.post("/admin/import", content_type="multipart/form-data",
                         data={"csrf_token": token, "file": (io.BytesIO(b"a" * SIX_MB), "roster.csv")})
    assert answer.status_code == 413 and fingerprint(app) == before


def test_a_real_server_answers_an_oversized_body_with_a_json_413(live_server):
    token = live_server.token("door")
    answer = requests.post(live_server.url + "/api/checkins", data=b"{" + b" " * SIX_MB + b"}",
                           headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                           timeout=30)
    assert answer.status_code == 413 and answer.json()["error"]["code"]
