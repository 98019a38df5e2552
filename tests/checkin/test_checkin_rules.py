"""Check-in rules, driven through the service and the HTTP API."""
from __future__ import annotations

import threading

import sqlalchemy as sa

from conference.core.db import db
from conference.core.models import CheckIn, Delegate, Scan


def first_delegate(app, conference_id):
    with app.app_context():
        delegate = db.session.scalars(sa.select(Delegate).where(Delegate.conference_id == conference_id)
                                      .order_by(Delegate.id)).first()
        return delegate.id, delegate.badge_code


def test_scan_of_a_valid_badge_checks_the_delegate_in_once(client, app, auth, conference_id):
    delegate_id, code = first_delegate(app, conference_id)
    first = client.post("/api/checkins", json={"code": code}, headers=auth("door"))
    again = client.post("/api/checkins", json={"code": code}, headers=auth("door"))
    assert first.status_code == 201 and first.get_json()["result"] == "checked_in"
    assert first.get_json()["attendance"]["present"] == 1
    assert again.status_code == 200 and again.get_json()["result"] == "already_checked_in"
    assert again.get_json()["checked_in_at"] == first.get_json()["delegate"]["checked_in_at"]


def test_repeated_nonce_returns_the_first_answer_and_counts_once(client, app, auth, conference_id):
    _, code = first_delegate(app, conference_id)
    answers = [client.post("/api/checkins", json={"code": code, "nonce": "scan-1"}, headers=auth("door"))
               for _ in range(3)]
    assert {a.status_code for a in answers} == {201}
    assert len({a.get_data() for a in answers}) == 1
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Scan)) == 1


def test_a_nonce_resent_after_its_check_in_was_undone_says_so_and_checks_nobody_in(client, app, auth, conference_id):
    delegate_id, code = first_delegate(app, conference_id)
    first = client.post("/api/checkins", json={"code": code, "nonce": "lost-answer"}, headers=auth("door"))
    assert first.status_code == 201
    assert client.delete(f"/api/checkins/{delegate_id}", headers=auth("door")).status_code == 200
    for _ in range(2):  # the door's outbox sends it again: its answer was lost on the way back
        again = client.post("/api/checkins", json={"code": code, "nonce": "lost-answer"}, headers=auth("door"))
        assert again.status_code == 200 and again.get_json()["result"] == "undone"
        assert again.get_json()["delegate"]["checked_in_at"] is None
        assert again.get_json()["attendance"]["present"] == 0
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 0
        assert list(db.session.scalars(sa.select(Scan.outcome).order_by(Scan.id))) == ["checked_in", "undone"]


def test_a_nonce_resent_after_an_undo_and_a_new_check_in_names_the_check_in_that_stands(
        client, app, auth, conference_id):
    delegate_id, code = first_delegate(app, conference_id)
    client.post("/api/checkins", json={"code": code, "nonce": "first"}, headers=auth("door"))
    repeat = client.post("/api/checkins", json={"code": code, "nonce": "second"}, headers=auth("door"))
    assert repeat.get_json()["result"] == "already_checked_in"
    client.delete(f"/api/checkins/{delegate_id}", headers=auth("door"))
    for nonce in ("first", "second"):
        gone = client.post("/api/checkins", json={"code": code, "nonce": nonce}, headers=auth("door")).get_json()
        assert gone["result"] == "undone"
    later = client.post("/api/checkins", json={"code": code, "nonce": "third", "device": "Cửa 2"}, headers=auth("door"))
    assert later.status_code == 201
    standing = later.get_json()["delegate"]["checked_in_at"]
    for nonce in ("first", "second"):
        answer = client.post("/api/checkins", json={"code": code, "nonce": nonce}, headers=auth("door"))
        assert answer.status_code == 200 and answer.get_json()["result"] == "already_checked_in"
        assert (answer.get_json()["checked_in_at"], answer.get_json()["device"]) == (standing, "Cửa 2")
    assert client.post("/api/checkins", json={"code": code, "nonce": "third"}, headers=auth("door")).get_data() \
        == later.get_data()  # the check-in that stands: its first answer, exactly
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 1


def test_a_walk_in_resent_after_its_check_in_was_undone_adds_nobody_and_says_so(client, app, auth):
    body = {"full_name": "Phan Văn Mới", "unit": "Tổ dân phố 12", "check_in": True, "nonce": "walk-1"}
    first = client.post("/api/delegates", json=body, headers=auth("door"))
    assert first.status_code == 201
    delegate_id = first.get_json()["delegate"]["id"]
    assert client.delete(f"/api/checkins/{delegate_id}", headers=auth("door")).status_code == 200
    again = client.post("/api/delegates", json=body, headers=auth("door"))
    assert again.status_code == 200 and again.get_json()["result"] == "undone"
    assert again.get_json()["delegate"]["id"] == delegate_id
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Delegate)
                                 .where(Delegate.full_name == "Phan Văn Mới")) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 0


def test_twenty_doors_scanning_one_badge_at_once_count_it_once(app, conference_id, tokens):
    _, code = first_delegate(app, conference_id)
    barrier = threading.Barrier(20)
    statuses: list[int] = []

    def door(number: int) -> None:
        client = app.test_client()
        barrier.wait()
        response = client.post("/api/checkins", json={"code": code, "device": f"Cửa {number}"},
                               headers={"Authorization": f"Bearer {tokens['door']}"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=door, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] * 19 + [201]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 1


def test_refused_scans_are_logged_with_a_stable_reason(client, app, auth):
    response = client.post("/api/checkins", json={"code": "0123456789ABCDEFG"}, headers=auth("door"))
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "unknown_code"
    with app.app_context():
        assert db.session.scalar(sa.select(Scan.outcome)) == "unknown_code"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 0


def test_undo_removes_the_check_in(client, app, auth, conference_id):
    delegate_id, code = first_delegate(app, conference_id)
    client.post("/api/checkins", json={"code": code}, headers=auth("door"))
    undone = client.delete(f"/api/checkins/{delegate_id}", headers=auth("door"))
    assert undone.status_code == 200 and undone.get_json()["attendance"]["present"] == 0
    assert client.delete(f"/api/checkins/{delegate_id}", headers=auth("door")).status_code == 409


def test_reissued_badge_refuses_the_old_code(client, app, auth, conference_id):
    delegate_id, old_code = first_delegate(app, conference_id)
    fresh = client.post(f"/api/delegates/{delegate_id}/reissue", headers=auth("admin")).get_json()["delegate"]
    old = client.post("/api/checkins", json={"code": old_code}, headers=auth("door"))
    new = client.post("/api/checkins", json={"code": fresh["badge_code"]}, headers=auth("door"))
    assert old.status_code == 410 and old.get_json()["error"]["code"] == "revoked_code"
    assert new.status_code == 201
