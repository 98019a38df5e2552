"""A walk-in added at the door (POST /api/delegates with "check_in": true) is added and checked in
in one transaction; with a nonce it is added exactly once however often the door sends it (an
answer lost on the way back, a walk-in kept offline), and it can carry the time it was made."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import requests
import sqlalchemy as sa

from conference.core.db import db
from conference.core.models import CheckIn, Delegate, Scan

from tests.conftest import bearer
from tests.checkin.test_checkin_rules import first_delegate
from tests.checkin.test_checkin_scan_time import browser_iso
from tests.core.test_concurrency import DOORS, at_once, counted, pg_app  # noqa: F401 - pg_app is a fixture
from tests.web.test_hostile_input import fingerprint

WALK_IN = {"full_name": "Phan Văn Mới", "unit": "Tổ dân phố 12", "group": "Tổ dân phố", "check_in": True}


def now() -> datetime:
    return datetime.now(timezone.utc)


def named(app, name: str) -> list[int]:
    """The ids of the delegates of that name."""
    with app.app_context():
        found = list(db.session.scalars(sa.select(Delegate.id).where(Delegate.full_name == name)))
        db.session.rollback()
    return found


def scans(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.execute(sa.select(Scan.nonce, Scan.outcome, Scan.status, Scan.delegate_id)
                                  .order_by(Scan.id)).all()
        db.session.rollback()
    return [tuple(row) for row in rows]


def test_a_walk_in_is_added_and_checked_in_and_its_check_in_logged_like_a_scan(client, app, auth):
    before = now()
    answer = client.post("/api/delegates", json=WALK_IN, headers=auth("door"))
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert body["result"] == "checked_in" and body["delegate"]["walk_in"]
    assert datetime.fromisoformat(body["delegate"]["checked_in_at"]) >= before
    assert body["attendance"]["present"] == 1
    [added] = named(app, WALK_IN["full_name"])
    assert scans(app) == [(None, "walk_in", 201, added)]


def test_a_repeated_nonce_returns_the_first_answer_byte_for_byte_and_adds_one_delegate(client, app, auth):
    walk_in = {**WALK_IN, "nonce": "walk-in-1", "scanned_at": browser_iso(now() - timedelta(minutes=5))}
    first = client.post("/api/delegates", json=walk_in, headers=auth("door"))
    assert first.status_code == 201
    for _ in range(3):  # the answer lost on the way back, sent again later (another sent_at)
        again = client.post("/api/delegates", json={**walk_in, "sent_at": browser_iso(now())},
                            headers=auth("door"))
        assert (again.status_code, again.data) == (first.status_code, first.data)
    assert len(named(app, WALK_IN["full_name"])) == 1
    assert [nonce for nonce, *_ in scans(app)] == ["walk-in-1"]


def test_a_walk_in_made_offline_is_checked_in_at_the_time_it_was_made(client, app, auth):
    made = (now() - timedelta(minutes=40)).replace(microsecond=125000)
    sent = made + timedelta(minutes=39)  # a tablet clock a minute slow: only the wait counts
    before = now()
    answer = client.post("/api/delegates", json={**WALK_IN, "nonce": "w-2", "scanned_at": browser_iso(made),
                                                 "sent_at": browser_iso(sent)}, headers=auth("door"))
    assert answer.status_code == 201
    checked_in_at = datetime.fromisoformat(answer.get_json()["delegate"]["checked_in_at"])
    assert before - timedelta(minutes=39) <= checked_in_at <= now() - timedelta(minutes=39)
    with app.app_context():
        assert db.session.scalar(sa.select(CheckIn.checked_in_at)) == checked_in_at


def test_a_check_in_that_fails_leaves_no_delegate_added(client, app, auth):
    """One transaction: a time the check-in refuses (a day and more ago) adds nobody either."""
    before = fingerprint(app)
    too_old = browser_iso(now() - timedelta(hours=25))
    answer = client.post("/api/delegates", json={**WALK_IN, "nonce": "w-3", "scanned_at": too_old},
                         headers=auth("door"))
    assert answer.status_code == 400 and answer.get_json()["error"]["code"] == "invalid_scanned_at"
    assert fingerprint(app) == before and scans(app) == [] and named(app, WALK_IN["full_name"]) == []
    # The same nonce is still free: sent again without the refused time, the person is added.
    again = client.post("/api/delegates", json={**WALK_IN, "nonce": "w-3"}, headers=auth("door"))
    assert again.status_code == 201 and len(named(app, WALK_IN["full_name"])) == 1


BAD = {
    "invalid_nonce": {"nonce": "x" * 65},
    "invalid_scanned_at": {"scanned_at": "yesterday"},
    "invalid_sent_at": {"scanned_at": browser_iso(now()), "sent_at": "2024-02-30T10:00:00Z"},
    "unknown_group": {"group": "Không có"},
    "missing_name": {"full_name": "  "},
    "invalid_field": {"group": ["Tổ dân phố"]},
}


@pytest.mark.parametrize("code", BAD)
def test_bad_input_is_refused_with_400_and_changes_nothing(client, app, auth, code):
    before = fingerprint(app)
    answer = client.post("/api/delegates", json={**WALK_IN, "nonce": "w-bad", **BAD[code]}, headers=auth("door"))
    assert answer.status_code == 400 and answer.get_json()["error"]["code"] == code
    assert fingerprint(app) == before and scans(app) == []


def test_a_nonce_a_badge_scan_used_returns_that_scans_answer_and_adds_nobody(client, app, auth, conference_id):
    _, code = first_delegate(app, conference_id)
    scan = client.post("/api/checkins", json={"code": code, "nonce": "shared-1"}, headers=auth("door"))
    before = fingerprint(app)
    walk_in = client.post("/api/delegates", json={**WALK_IN, "nonce": "shared-1"}, headers=auth("door"))
    assert (walk_in.status_code, walk_in.data) == (scan.status_code, scan.data)
    assert fingerprint(app) == before


def test_without_check_in_a_nonce_still_keeps_the_first_answer(client, app, auth):
    walk_in = {"full_name": "Trần Thị Mới", "nonce": "add-only"}
    first = client.post("/api/delegates", json=walk_in, headers=auth("door"))
    again = client.post("/api/delegates", json=walk_in, headers=auth("door"))
    assert first.status_code == 201 and first.get_json()["delegate"]["checked_in_at"] is None
    assert (again.status_code, again.data) == (first.status_code, first.data)
    assert len(named(app, "Trần Thị Mới")) == 1
    with app.app_context():
        assert counted(app, CheckIn) == 0


def test_without_a_nonce_each_request_adds_a_person_as_before(client, app, auth):
    walk_in = {"full_name": "Lê Văn Hai Lần", "check_in": True}
    assert client.post("/api/delegates", json=walk_in, headers=auth("door")).status_code == 201
    assert client.post("/api/delegates", json=walk_in, headers=auth("door")).status_code == 201
    assert len(named(app, "Lê Văn Hai Lần")) == 2


def test_twenty_requests_with_one_nonce_on_the_live_server_add_one_delegate(live_server):
    token = live_server.token("door")
    sessions = [requests.Session() for _ in range(DOORS)]
    for session in sessions:
        session.headers.update(bearer(token))
    walk_in = {**WALK_IN, "full_name": "Vũ Thị Cùng Lúc", "nonce": "twenty-1"}
    answers = at_once(DOORS, lambda door: sessions[door].post(live_server.url + "/api/delegates",
                                                              json=walk_in, timeout=30))
    assert {a.status_code for a in answers} == {201} and len({a.content for a in answers}) == 1
    found = sessions[0].get(live_server.url + "/api/delegates", params={"q": "vu thi cung luc"},
                            timeout=10).json()["delegates"]
    assert len(found) == 1 and found[0]["checked_in_at"]
    log = live_server.log.read_text(errors="replace")
    assert "database is locked" not in log and "Traceback" not in log


def test_twenty_requests_with_one_nonce_on_postgresql_add_one_delegate(pg_app):  # noqa: F811
    from conference.checkin.checkins import admit_walk_in
    with pg_app.app_context():
        conference_id = db.session.scalar(sa.select(Delegate.conference_id).limit(1))
        expected = db.session.scalar(sa.select(sa.func.count()).select_from(Delegate))

    def admit(door):
        with pg_app.app_context():
            try:
                return admit_walk_in(conference_id, "Vũ Thị Cùng Lúc", check_in=True, nonce="twenty-pg",
                                     device=f"Cửa {door}")
            finally:
                db.session.remove()
    outcomes = at_once(DOORS, admit)
    assert {o.status for o in outcomes} == {201} and len({str(o.body) for o in outcomes}) == 1
    assert sum(o.changed for o in outcomes) == 1
    assert counted(pg_app, Delegate) == expected + 1
    assert counted(pg_app, CheckIn) == 1 and counted(pg_app, Scan) == 1
