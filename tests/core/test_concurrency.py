"""Twenty doors at once: on SQLite through the real server (no "database is locked", no error) and
on PostgreSQL through the service; a delegate counts once, a repeated nonce answers once."""
from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import sqlalchemy as sa

from conference.core.db import db
from conference.core.models import CheckIn, Delegate, Scan

from tests.conftest import bearer

DOORS = 20


def at_once(count: int, work):
    """Run work(door_number) on `count` threads released together; the answers in door order."""
    barrier = threading.Barrier(count)

    def run(number):
        barrier.wait(30)
        return work(number)
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_twenty_doors_on_the_live_server_count_one_badge_once_without_errors(live_server):
    token = live_server.token("door")
    sessions = [requests.Session() for _ in range(DOORS)]
    for session in sessions:
        session.headers.update(bearer(token))
    everyone = sessions[0].get(live_server.url + "/api/delegates", timeout=10).json()["delegates"]

    def same_badge(door):
        return sessions[door].post(live_server.url + "/api/checkins", timeout=30,
                                   json={"code": everyone[0]["badge_code"], "device": f"Cửa {door + 1}"})
    answers = at_once(DOORS, same_badge)
    assert sorted(a.status_code for a in answers) == [200] * (DOORS - 1) + [201]
    assert {a.json()["checked_in_at"] for a in answers if a.status_code == 200} == {
        next(a.json()["delegate"]["checked_in_at"] for a in answers if a.status_code == 201)}

    rest = everyone[1:]
    for start in range(0, len(rest), DOORS):  # every door scans a different delegate, round after round
        batch = rest[start:start + DOORS]
        answers = at_once(len(batch), lambda door, b=batch: sessions[door].post(
            live_server.url + "/api/checkins", json={"code": b[door]["badge_code"], "nonce": str(uuid.uuid4())},
            timeout=30))
        assert [a.status_code for a in answers] == [201] * len(batch), [a.text for a in answers]

    state = sessions[0].get(live_server.url + "/api/state", timeout=10).json()
    assert state["attendance"]["present"] == len(everyone)
    log = live_server.log.read_text(errors="replace")
    assert "database is locked" not in log and "Traceback" not in log


@pytest.fixture
def pg_app(postgres_url, tmp_path):
    from conference import create_app
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": postgres_url,
                      "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": DOORS, "max_overflow": 5}})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def pg_scan(app, conference_id, **scan):
    from conference.checkin.checkins import check_in
    with app.app_context():
        try:
            return check_in(conference_id, **scan)
        finally:
            db.session.remove()


def counted(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_twenty_doors_on_postgresql_count_one_badge_once(pg_app):
    with pg_app.app_context():
        conference_id, code = db.session.execute(sa.select(Delegate.conference_id, Delegate.badge_code)
                                                 .order_by(Delegate.id).limit(1)).one()
    outcomes = at_once(DOORS, lambda door: pg_scan(pg_app, conference_id, code=code, device=f"Cửa {door}"))
    assert sorted(o.status for o in outcomes) == [200] * (DOORS - 1) + [201]
    assert sum(o.changed for o in outcomes) == 1
    assert counted(pg_app, CheckIn) == 1


def test_twenty_doors_on_postgresql_sending_one_nonce_get_one_answer(pg_app):
    with pg_app.app_context():
        conference_id, code = db.session.execute(sa.select(Delegate.conference_id, Delegate.badge_code)
                                                 .order_by(Delegate.id).limit(1)).one()
    outcomes = at_once(DOORS, lambda door: pg_scan(pg_app, conference_id, code=code, nonce="retry-1"))
    assert {o.status for o in outcomes} == {201} and len({str(o.body) for o in outcomes}) == 1
    assert counted(pg_app, CheckIn) == 1 and counted(pg_app, Scan) == 1


def test_twenty_doors_on_postgresql_checking_in_different_delegates_lose_none(pg_app):
    with pg_app.app_context():
        rows = db.session.execute(sa.select(Delegate.conference_id, Delegate.badge_code)).all()
    conference_id = rows[0][0]
    for start in range(0, len(rows), DOORS):
        batch = rows[start:start + DOORS]
        outcomes = at_once(len(batch), lambda door, b=batch: pg_scan(pg_app, conference_id, code=b[door][1]))
        assert [o.status for o in outcomes] == [201] * len(batch)
    assert counted(pg_app, CheckIn) == len(rows)
    with pg_app.app_context():
        from conference.live.snapshot import build_snapshot
        assert build_snapshot(conference_id)["attendance"]["present"] == len(rows)


def test_text_postgresql_cannot_store_is_refused_or_cleaned_not_a_500(pg_app, tokens_pg):
    client = pg_app.test_client()
    door = bearer(tokens_pg)
    for payload in ({"code": "AB\x00CD"}, {"code": "\x00" * 20, "nonce": "n\x00", "device": "Cửa\x00 1"}):
        response = client.post("/api/checkins", json=payload, headers=door)
        assert response.status_code == 400 and response.get_json()["error"]["code"] == "invalid_code"
    assert client.get("/api/delegates?q=%00nguy%00en", headers=door).status_code == 200
    made = client.post("/api/delegates", json={"full_name": "Lê\x00 Văn\x07 Tám"}, headers=door)
    assert made.status_code == 201 and made.get_json()["delegate"]["full_name"] == "Lê Văn Tám"
    assert counted(pg_app, Scan) == 2


@pytest.fixture
def tokens_pg(pg_app) -> str:
    from conference.core.models import Role
    from conference.accounts.devices import create_device
    from conference.core.state import default_conference_id
    with pg_app.app_context():
        return create_device(default_conference_id(), Role.DOOR, "Cửa PG")[1]
