"""A browser paired before the office activates another conference serves the activated one: its
door checks in the new conference's badges, its MC console moves the new show, with no re-pairing.
A scan kept in a door's outbox across the switch is delivered to the conference it was made at."""
from __future__ import annotations

import uuid

import sqlalchemy as sa

from conference.accounts.devices import create_device
from conference.core.db import db
from conference.core.models import CheckIn, Delegate, Role
from conference.core.state import default_conference_id
from conference.office import lifecycle
from tests.conftest import page_csrf_token
from tests.office.lifecycle_helpers import any_app  # noqa: F401 - a fixture


def first_code(app, conference_id: int) -> str:
    with app.app_context():
        return db.session.scalar(sa.select(Delegate.badge_code).where(Delegate.conference_id == conference_id)
                                 .order_by(Delegate.id).limit(1))


def paired(app, role: Role, page: str):
    """A test client paired as a new device of the active conference, and the CSRF header of its page."""
    with app.app_context():
        made = create_device(default_conference_id(), role, f"{role.value} 1")
    client = app.test_client()
    assert client.get(f"/pair/{made.pairing}").status_code == 302
    return client, {"X-CSRFToken": page_csrf_token(client.get(page).get_data(as_text=True))}


def checked_in_conferences(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Delegate.conference_id).join(CheckIn, CheckIn.delegate_id == Delegate.id)))


def switch_to_a_copy(app) -> tuple[int, int]:
    with app.app_context():
        demo = default_conference_id()
        new = lifecycle.create_conference("Hội nghị điển hình tiên tiến năm 2026", copy_from=demo)
        lifecycle.activate(new)
    return demo, new


def test_a_door_paired_before_a_switch_checks_in_the_activated_conference(any_app):
    door, csrf = paired(any_app, Role.DOOR, "/door")
    demo, new = switch_to_a_copy(any_app)
    answer = door.post("/api/checkins", json={"code": first_code(any_app, new), "nonce": uuid.uuid4().hex},
                       headers=csrf)
    assert answer.status_code == 201 and answer.get_json()["result"] == "checked_in", answer.get_json()
    assert checked_in_conferences(any_app) == [new]
    assert door.get("/api/state").get_json()["conference"]["id"] == new


def test_an_mc_console_paired_before_a_switch_moves_the_activated_show(any_app):
    mc, csrf = paired(any_app, Role.MC, "/mc")
    demo, new = switch_to_a_copy(any_app)
    moved = mc.post("/api/show/next", headers=csrf)
    assert moved.status_code == 200, moved.get_json()
    state = mc.get("/api/state").get_json()
    assert state["conference"]["id"] == new and state["version"] == moved.get_json()["version"]
    assert state["current"] is not None


def test_a_scan_kept_in_the_outbox_across_a_switch_is_delivered_to_its_conference(any_app):
    door, csrf = paired(any_app, Role.DOOR, "/door")
    demo, new = switch_to_a_copy(any_app)
    answer = door.post("/api/checkins", headers=csrf, json={
        "code": first_code(any_app, demo), "nonce": uuid.uuid4().hex, "conference": demo})
    assert answer.status_code == 201 and answer.get_json()["result"] == "checked_in", answer.get_json()
    assert checked_in_conferences(any_app) == [demo]
    unknown = door.post("/api/checkins", headers=csrf, json={
        "code": first_code(any_app, demo), "nonce": uuid.uuid4().hex, "conference": 987654})
    assert unknown.status_code == 404 and unknown.get_json()["error"]["code"] == "unknown_conference"
    assert checked_in_conferences(any_app) == [demo]
