"""Reset the day after the rehearsal: what the day recorded goes, the set-up and badges stay;
confirmation, refusal while the show runs, a backup first, one publish."""
from __future__ import annotations

import sqlalchemy as sa

from conference.accounts.devices import create_device
from conference.core.db import db, utcnow, write_transaction
from conference.core.extensions import socketio as server_socketio
from conference.core.models import (AgendaItem, AgendaStep, AwardPresentation, Badge, CheckIn, Delegate, Honouree,
                                    Role, Scan, ShowRun, ShowState, Vote, VoteChoice)
from conference.core.state import default_conference_id
from conference.office import backups, lifecycle

from tests.conftest import bearer
from tests.office.lifecycle_helpers import any_app, signed_in, states  # noqa: F401 - any_app is a fixture


def _rehearse(app) -> tuple[int, dict]:
    """Check in three delegates, run the show into item 4, a message, an award outcome, a vote."""
    client = app.test_client()
    with app.app_context():
        cid = default_conference_id()
        door, mc = create_device(cid, Role.DOOR)[1], create_device(cid, Role.MC)[1]
        codes = list(db.session.scalars(sa.select(Delegate.badge_code).where(Delegate.conference_id == cid).limit(3)))
    for code in codes:
        assert client.post("/api/checkins", json={"code": code}, headers=bearer(door)).status_code == 201
    for _ in range(5):
        client.post("/api/show/next", headers=bearer(mc))
    client.post("/api/show/message", json={"message": "Tổng duyệt"}, headers=bearer(mc))
    assert client.post("/api/vote", json={"agreed": 3}, headers=bearer(mc)).status_code == 201  # a show of hands
    with app.app_context(), write_transaction() as session:
        honouree = session.scalar(sa.select(Honouree.id).limit(1))
        session.add(AwardPresentation(honouree_id=honouree, called_at=utcnow(), outcome="received"))
    return cid, {"door": door, "mc": mc}


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_reset_clears_the_day_and_keeps_the_set_up_delegates_and_badges(any_app):
    cid, _tokens = _rehearse(any_app)
    with any_app.app_context():
        delegates, badges_before = _count(Delegate), set(db.session.scalars(sa.select(Badge.code)))
        assert _count(CheckIn) == 3 and _count(Scan) >= 3 and _count(AgendaItem, AgendaItem.started_at.isnot(None))
        assert _count(ShowRun) >= 5
        assert lifecycle.show_running(cid)
        lifecycle.reset_day(cid, force=True)
        assert _count(CheckIn) == _count(Scan) == _count(AwardPresentation) == _count(Vote) == _count(ShowRun) == 0
        assert _count(VoteChoice) == 0  # with its vote
        assert _count(AgendaItem, AgendaItem.started_at.isnot(None) | AgendaItem.ended_at.isnot(None)) == 0
        assert _count(AgendaStep, AgendaStep.started_at.isnot(None)) == 0
        state = db.session.get(ShowState, cid)
        assert (state.current_position, state.current_step, state.message, state.award_index) == (None,) * 4
        assert _count(Delegate) == delegates and set(db.session.scalars(sa.select(Badge.code))) == badges_before
        assert _count(AgendaItem) == 9


def test_reset_is_refused_while_the_show_runs_unless_forced_and_nothing_changes(any_app):
    cid, _tokens = _rehearse(any_app)
    with any_app.app_context():
        try:
            lifecycle.reset_day(cid)
            raise AssertionError("reset while the show runs")
        except lifecycle.Conflict as refused:
            assert refused.code == "show_running"
        assert _count(CheckIn) == 3 and lifecycle.show_running(cid)


def test_every_screen_gets_the_reset_state_in_one_publish(app):
    cid, tokens = _rehearse(app)
    screen = server_socketio.test_client(app, auth={"token": tokens["mc"]})
    before = states(screen)[-1]
    assert before["attendance"]["present"] == 3 and before["current"] is not None and before["message"] == "Tổng duyệt"
    with app.app_context():
        lifecycle.reset_day(cid, force=True)
    [after] = states(screen)
    assert after["version"] > before["version"] and after["attendance"]["present"] == 0
    assert after["current"] is None and after["message"] is None and after["vote"] is None
    assert all(item["started_at"] is None for item in after["agenda"])


def test_the_office_must_confirm_and_a_backup_is_taken_first(app):
    cid, _tokens = _rehearse(app)
    admin = signed_in(app)
    refused = admin.post("/admin/reset-day", data={"csrf_token": admin.csrf_token, "conference_id": cid, "force": "1"})
    assert refused.status_code == 400
    running = admin.post("/admin/reset-day", data={"csrf_token": admin.csrf_token, "conference_id": cid, "confirm": "1"})
    assert running.status_code == 409
    with app.app_context():
        assert _count(CheckIn) == 3 and backups.backups() == []
    answer = admin.post("/admin/reset-day", data={"csrf_token": admin.csrf_token, "conference_id": cid,
                                                  "confirm": "1", "force": "1"})
    assert answer.status_code == 303
    with app.app_context():
        assert _count(CheckIn) == 0
        [kept] = backups.backups()
        assert "before-reset" in kept.name
        import sqlite3
        with sqlite3.connect(kept) as copy:  # what was cleared is in the backup
            assert copy.execute("SELECT count(*) FROM checkin").fetchone()[0] == 3
