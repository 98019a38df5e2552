"""Storage trouble is a clear answer, never a 500: the database held by another process answers
503 storage_busy, a full disk 503 storage_full, both with Retry-After; what the door sends again
with the same nonce counts once when the storage is back."""
from __future__ import annotations

import sqlite3

import sqlalchemy as sa
from sqlalchemy import event

from conference.core.db import db
from conference.core.models import CheckIn, Conference, Delegate

from tests.office.lifecycle_helpers import signed_in


def _tune(app, pragma: str):
    """Every new connection of the app's engine runs PRAGMA; the pool is emptied so it applies now."""
    with app.app_context():
        engine = db.engine
        listener = lambda connection, _record: connection.execute(pragma)  # noqa: E731
        event.listen(engine, "connect", listener)
        db.session.remove()
        engine.dispose()
    return engine, listener


def _untune(app, engine, listener) -> None:
    with app.app_context():
        event.remove(engine, "connect", listener)
        db.session.remove()
        engine.dispose()


def test_a_database_held_by_another_process_answers_503_storage_busy_and_the_retry_counts_once(
        app, client, auth, tmp_path):
    code = client.get("/api/delegates", headers=auth("door")).get_json()["delegates"][0]["badge_code"]
    admin = signed_in(app)
    engine, listener = _tune(app, "PRAGMA busy_timeout=300")
    holder = sqlite3.connect(tmp_path / "test.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process writing, and not letting go
    try:
        answer = client.post("/api/checkins", json={"code": code, "nonce": "n-busy"}, headers=auth("door"))
        assert answer.status_code == 503 and answer.get_json()["error"]["code"] == "storage_busy"
        assert answer.headers["Retry-After"] == "2"
        form = admin.post("/admin/conferences", data={"csrf_token": admin.csrf_token, "title": "Hội nghị mới"})
        assert form.status_code == 503 and "bận" in form.get_data(as_text=True)  # the office reads why
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    again = client.post("/api/checkins", json={"code": code, "nonce": "n-busy"}, headers=auth("door"))
    assert again.status_code == 201
    _untune(app, engine, listener)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Conference)) == 1


def test_a_full_disk_answers_503_storage_full_and_nothing_is_lost_or_doubled_when_space_returns(app, client, auth):
    with app.app_context():
        pages = db.session.execute(sa.text("PRAGMA page_count")).scalar()
    engine, listener = _tune(app, f"PRAGMA max_page_count={pages}")  # the disk is full now
    answers = []
    for number in range(60):
        answer = client.post("/api/delegates", json={"full_name": f"Khách {number} " + "x" * 100, "check_in": True,
                                                     "nonce": f"walk-{number}"}, headers=auth("door"))
        answers.append(answer)
        if answer.status_code == 503:
            break
    full = answers[-1]
    assert full.status_code == 503 and full.get_json()["error"]["code"] == "storage_full"
    assert full.headers["Retry-After"] == "30"
    assert all(answer.status_code in (201, 503) for answer in answers)
    _untune(app, engine, listener)  # space again
    for number in range(len(answers)):  # the door sends everything again, same nonces
        assert client.post("/api/delegates", json={"full_name": f"Khách {number} " + "x" * 100, "check_in": True,
                                                   "nonce": f"walk-{number}"}, headers=auth("door")).status_code == 201
    with app.app_context():
        walk_ins = db.session.scalar(sa.select(sa.func.count()).select_from(Delegate).where(Delegate.walk_in))
        assert walk_ins == len(answers)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == len(answers)
