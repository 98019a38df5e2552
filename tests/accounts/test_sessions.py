"""Server-side sessions: the cookie names a session row and nothing else; a copied cookie stops
working the moment its session ends (sign-out, a new password, a revoked device, a removed account,
an administrator's hand, idle time), on every process."""
from __future__ import annotations

import base64
import json
import re
import zlib
from datetime import timedelta

import pytest
import requests
import sqlalchemy as sa

from tests.conftest import ADMIN_LOGIN, ADMIN_PASSWORD, LiveServer, bearer, page_csrf_token, sign_in

COOKIE = "session"


def copied(app, client):
    """Another browser holding a copy of this client's session cookie (as a thief would)."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return thief


def office_opens(client) -> bool:
    return client.get("/admin").status_code == 200


def changes_the_hall_message(client, csrf_token: str) -> int:
    return client.post("/api/show/message", json={"message": "Ai đó"}, headers={"X-CSRFToken": csrf_token}).status_code


def session_rows(app) -> list:
    from conference.core.db import db
    from conference.core.models import LoginSession
    with app.app_context():
        rows = db.session.scalars(sa.select(LoginSession).order_by(LoginSession.id)).all()
        db.session.expunge_all()
        db.session.rollback()
    return rows


def set_times(app, **values) -> None:
    """Move the times of every open session (to age them without waiting)."""
    from conference.core.db import db
    from conference.core.models import LoginSession
    with app.app_context():
        db.session.execute(sa.update(LoginSession).where(LoginSession.ended_at.is_(None)).values(**values))
        db.session.commit()


def test_a_cookie_copied_before_sign_out_is_refused_after_it(app, admin_client):
    thief = copied(app, admin_client)
    assert office_opens(thief) and changes_the_hall_message(thief, admin_client.csrf_token) == 200
    admin_client.post("/logout", data={"csrf_token": admin_client.csrf_token})
    assert not office_opens(thief) and not office_opens(admin_client)
    assert changes_the_hall_message(thief, admin_client.csrf_token) == 401
    [row] = session_rows(app)
    assert row.ended_at is not None and row.user_id is not None


def test_a_new_password_ends_every_session_of_the_account(app, admin_client):
    from conference.accounts.users import create_user, find_user, set_password
    with app.app_context():
        create_user("lan", "staff", password="lan-password-1")
    lan = sign_in(app.test_client(), "lan", "lan-password-1")
    thief = copied(app, lan)
    with app.app_context():
        set_password(find_user("lan").id, "lan-password-2")
    assert not office_opens(thief) and not office_opens(lan)
    assert office_opens(admin_client)  # another account's sessions are untouched


def test_removing_an_account_ends_its_sessions(app, admin_client):
    from conference.accounts.users import create_user, find_user
    with app.app_context():
        create_user("lan", "staff", password="lan-password-1")
        lan_id = find_user("lan").id
    thief = copied(app, sign_in(app.test_client(), "lan", "lan-password-1"))
    assert office_opens(thief)
    admin_client.post(f"/admin/users/{lan_id}/delete", data={"csrf_token": admin_client.csrf_token})
    assert not office_opens(thief)


def test_revoking_a_device_ends_its_paired_browsers(app, pairings, admin_client):
    tablet = app.test_client()
    tablet.get(f"/pair/{pairings['door']}")
    thief = copied(app, tablet)
    assert thief.get("/door").status_code == 200
    device_id = next(row.device_id for row in session_rows(app) if row.device_id)
    admin_client.post(f"/admin/devices/{device_id}/revoke", data={"csrf_token": admin_client.csrf_token})
    assert thief.get("/door").status_code == 302 and tablet.get("/door").status_code == 302
    assert all(row.ended_at for row in session_rows(app) if row.device_id == device_id)


def test_an_administrator_sees_who_is_signed_in_and_ends_a_session(app, admin_client, pairings):
    from conference.accounts.users import create_user
    with app.app_context():
        create_user("lan", "staff", name="Nguyễn Thị Lan", password="lan-password-1")
    lan = sign_in(app.test_client(), "lan", "lan-password-1")
    app.test_client().get(f"/pair/{pairings['door']}", headers={"User-Agent": "Máy cửa <script>"})
    page = admin_client.get("/admin/users").get_data(as_text=True)
    assert "Nguyễn Thị Lan" in page and "door test" in page and "phiên này" in page
    assert "Máy cửa &lt;script&gt;" in page
    lan_session = next(row.id for row in session_rows(app) if row.user_id and row.user.login == "lan")
    ended = admin_client.post(f"/admin/users/sessions/{lan_session}/end", data={"csrf_token": admin_client.csrf_token})
    assert ended.status_code == 303 and not office_opens(lan) and office_opens(admin_client)
    assert f'data-session="{lan_session}"' not in admin_client.get("/admin/users").get_data(as_text=True)


def cookie_contents(value: str) -> list[str]:
    """What anyone who sees the cookie can read without the secret key: its base64 payload."""
    payload = value.lstrip(".").split(".")[0]
    data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    if value.startswith("."):
        data = zlib.decompress(data)
    found = []

    def strings(item):
        if isinstance(item, dict):
            for key, inner in item.items():
                found.append(key)
                strings(inner)
        elif isinstance(item, (list, tuple)):
            for inner in item:
                strings(inner)
        elif isinstance(item, str):
            found.append(item)
    strings(json.loads(data))
    return found


def test_a_paired_devices_cookie_reveals_nothing_usable_with_the_api(app, tokens, pairings):
    tablet = app.test_client()
    tablet.get(f"/pair/{pairings['door']}")
    raw = tablet.get_cookie(COOKIE).value
    contents = cookie_contents(raw)
    assert contents and tokens["door"] not in raw and tokens["door"] not in contents
    assert pairings["door"] not in raw and pairings["door"] not in contents
    for candidate in contents + [raw]:
        assert app.test_client().get("/api/delegates", headers=bearer(candidate)).status_code == 401, candidate
    assert tablet.get("/api/delegates").status_code == 200  # the cookie itself still works for the tablet


def test_an_idle_session_expires_and_a_used_one_moves_on_at_most_once_a_minute(app, admin_client):
    from conference.core.db import utcnow
    [row] = session_rows(app)
    assert timedelta(hours=11.9) < row.expires_at - row.created_at <= timedelta(hours=12)
    assert office_opens(admin_client)
    assert session_rows(app)[0].last_seen_at == row.last_seen_at  # seen within the minute: not written
    set_times(app, last_seen_at=utcnow() - timedelta(minutes=2), expires_at=utcnow() + timedelta(hours=1))
    assert office_opens(admin_client)
    moved = session_rows(app)[0]
    assert utcnow() - moved.last_seen_at < timedelta(seconds=30)
    assert moved.expires_at - moved.last_seen_at == timedelta(hours=12)
    set_times(app, expires_at=utcnow() - timedelta(seconds=1))
    assert not office_opens(admin_client)


def test_a_paired_device_stays_signed_in_for_days_and_the_limits_are_configurable(tmp_path):
    from conference import create_app
    from tests.conftest import FAST_HASH
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True, "PASSWORD_HASH_METHOD": FAST_HASH,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'idle.db'}", "ADMIN_PASSWORD": ADMIN_PASSWORD,
                      "ACCOUNT_SESSION_IDLE_HOURS": 1})
    from conference.core.models import Role
    from conference.accounts.devices import create_device
    from conference.core.state import default_conference_id
    with app.app_context():
        pairing = create_device(default_conference_id(), Role.DOOR).pairing
    app.test_client().get(f"/pair/{pairing}")
    sign_in(app.test_client())
    device_row, user_row = sorted(session_rows(app), key=lambda row: row.user_id is not None)
    assert device_row.expires_at - device_row.created_at == timedelta(days=7)
    assert user_row.expires_at - user_row.created_at == timedelta(hours=1)


def test_a_socket_with_the_cookie_of_an_ended_session_is_refused(app, pairings):
    from conference.core.extensions import socketio
    tablet = app.test_client()
    tablet.get(f"/pair/{pairings['door']}")
    live = socketio.test_client(app, flask_test_client=tablet)
    assert live.is_connected()
    live.disconnect()
    thief = copied(app, tablet)
    tablet.post("/logout", data={"csrf_token": page_csrf_token(tablet.get("/door").get_data(as_text=True))})
    refused = socketio.test_client(app, flask_test_client=thief)
    assert not refused.is_connected()


def test_signing_in_again_starts_a_new_session_and_ends_the_old_one(app, admin_client):
    thief = copied(app, admin_client)
    sign_in(admin_client)  # the same browser signs in again: a fresh id, the old one ends
    assert office_opens(admin_client) and not office_opens(thief)


# --- several processes -------------------------------------------------------------------------

def http_sign_in(server: LiveServer) -> requests.Session:
    browser = requests.Session()
    page = browser.get(server.url + "/login", timeout=10).text
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    answer = browser.post(server.url + "/login", timeout=10, allow_redirects=False,
                          data={"csrf_token": token, "login": ADMIN_LOGIN, "password": ADMIN_PASSWORD})
    assert answer.status_code == 302
    return browser


@pytest.mark.slow
@pytest.mark.services
def test_a_sign_out_on_one_process_refuses_the_cookie_on_the_other(tmp_path, postgres_url, redis_url):
    from tests.scale.test_scale_processes import cluster_env
    env = {**cluster_env(postgres_url, redis_url), "CONFERENCE_ADMIN_PASSWORD": ADMIN_PASSWORD}
    first = LiveServer(tmp_path / "one", env=env).start()
    second = LiveServer(tmp_path / "two", env=env).start()
    try:
        browser = http_sign_in(first)
        thief = requests.Session()
        thief.cookies.set(COOKIE, browser.cookies[COOKIE])
        office = second.url + "/admin"
        assert thief.get(office, timeout=10, allow_redirects=False).status_code == 200
        page = browser.get(first.url + "/admin", timeout=10).text
        browser.post(first.url + "/logout", data={"csrf_token": page_csrf_token(page)}, timeout=10)
        assert thief.get(office, timeout=10, allow_redirects=False).status_code == 302
        assert thief.get(first.url + "/admin", timeout=10, allow_redirects=False).status_code == 302
    finally:
        first.stop()
        second.stop()
