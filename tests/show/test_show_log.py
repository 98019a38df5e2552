"""The run-of-show log: the actual start and end of every item and sub-step, kept in the database."""
from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from conference.accounts.devices import create_device
from conference.core.db import db
from conference.core.models import AgendaItem, Role, ShowState
from conference.core.state import default_conference_id
from conference.show import moves as show
from tests.conftest import bearer
from tests.office.lifecycle_helpers import any_app  # noqa: F401 - a fixture


class Clock:
    """A clock the test moves by hand, patched into the show service."""

    def __init__(self):
        self.now = datetime(2020, 3, 5, 0, 30, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(show, "utcnow", fake)
    return fake


def agenda(app, conference_id) -> list[AgendaItem]:
    with app.app_context():
        items = list(db.session.scalars(sa.select(AgendaItem).where(AgendaItem.conference_id == conference_id)
                                        .options(sa.orm.selectinload(AgendaItem.steps))
                                        .order_by(AgendaItem.position)))
        db.session.expunge_all()
        return items


def place(client) -> tuple:
    snapshot = client.get("/api/state").get_json()
    return snapshot["current"], snapshot["current_step"]


def press(client, auth, action: str, **body):
    response = client.post(f"/api/show/{action}", json=body or None, headers=auth("mc"))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_stepping_through_the_day_records_every_item_and_step_in_order(client, app, auth, conference_id, clock):
    count = len(show._cursor_list(agenda(app, conference_id)))
    for _ in range(count + 1):  # every place, then past the end
        press(client, auth, "next")
        clock.advance(3)
    assert place(client) == (None, None)
    assert client.get("/api/state").get_json()["finished"] is True

    items = agenda(app, conference_id)
    for item in items:
        assert item.started_at is not None and item.ended_at is not None and item.started_at < item.ended_at
        for step in item.steps:
            assert item.started_at < step.started_at < step.ended_at <= item.ended_at
    for before, after in zip(items, items[1:]):
        assert before.ended_at == after.started_at  # no gap, no overlap in the log
    talks = next(item for item in items if item.steps)
    assert talks.ended_at == talks.steps[-1].ended_at


def test_the_log_and_the_place_survive_a_restart(app, client, auth, conference_id, clock, tmp_path):
    for _ in range(6):  # items 1-3, item 4's introduction, its first two speakers
        press(client, auth, "next")
        clock.advance(2)
    before = [(i.started_at, i.ended_at, [(s.started_at, s.ended_at) for s in i.steps])
              for i in agenda(app, conference_id)]
    from conference import create_app
    restarted = create_app({"INSTANCE_PATH": app.config["INSTANCE_PATH"],
                            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    after = [(i.started_at, i.ended_at, [(s.started_at, s.ended_at) for s in i.steps])
             for i in agenda(restarted, conference_id)]
    assert after == before
    assert place(restarted.test_client()) == (4, 2)
    with restarted.app_context():
        db.session.remove()
        db.engine.dispose()


def test_going_back_after_an_accidental_advance_keeps_what_was_on_stage(client, app, auth, conference_id, clock):
    for _ in range(3):
        press(client, auth, "next")
        clock.advance(10)
    item3_start = agenda(app, conference_id)[2].started_at
    press(client, auth, "next")  # a slip of the clicker: item 4 is on stage
    slip = clock.now
    clock.advance(0.1)
    press(client, auth, "previous")
    items = agenda(app, conference_id)
    assert place(client) == (3, None)
    assert (items[3].started_at, items[3].ended_at) == (slip, clock.now)  # it was on stage: recorded
    assert items[2].started_at == item3_start and items[2].ended_at is None
    clock.advance(20)
    press(client, auth, "next")  # item 4 for real: a second run, the slip's start stays its first
    assert agenda(app, conference_id)[3].started_at == slip
    assert runs(app, conference_id)[(4, None)][-1] == (clock.now, None)


def test_previous_on_the_first_item_returns_to_before_the_start(client, app, auth, conference_id, clock):
    press(client, auth, "next")
    snapshot = press(client, auth, "previous")
    assert (snapshot["current"], snapshot["current_step"]) == (None, None)
    assert snapshot["finished"] is False
    item1 = agenda(app, conference_id)[0]
    assert item1.started_at is not None and item1.ended_at == item1.started_at  # its instant on stage stays


def test_goto_forward_leaves_the_skipped_items_unstarted(client, app, auth, conference_id, clock):
    press(client, auth, "next")
    clock.advance(5)
    snapshot = press(client, auth, "goto", position=6)
    assert snapshot["current"] == 6
    items = agenda(app, conference_id)
    assert items[0].ended_at == clock.now and items[5].started_at == clock.now
    assert all(item.started_at is None for item in items[1:5])


def test_goto_a_step_starts_its_item_and_the_step(client, app, auth, conference_id, clock):
    snapshot = press(client, auth, "goto", position=4, step=3)
    assert (snapshot["current"], snapshot["current_step"]) == (4, 3)
    talks = agenda(app, conference_id)[3]
    assert talks.started_at == clock.now and talks.steps[2].started_at == clock.now
    assert talks.steps[0].started_at is None


def test_previous_after_the_end_reopens_the_last_item(client, app, auth, conference_id, clock):
    last = agenda(app, conference_id)[-1].position
    press(client, auth, "goto", position=last)
    clock.advance(15)
    press(client, auth, "next")
    snapshot = press(client, auth, "previous")
    assert snapshot["current"] == last and snapshot["finished"] is False
    assert agenda(app, conference_id)[-1].ended_at is None


def version(app, conference_id) -> int:
    with app.app_context():
        return db.session.get(ShowState, conference_id).version


def test_next_when_the_day_is_over_changes_nothing(client, app, auth, conference_id, clock):
    last = agenda(app, conference_id)[-1].position
    press(client, auth, "goto", position=last)
    press(client, auth, "next")
    before = version(app, conference_id)
    press(client, auth, "next")
    assert version(app, conference_id) == before and place(client) == (None, None)


@pytest.mark.parametrize("body, status, code", [
    ({"position": 99}, 404, "unknown_position"),
    ({"position": 4, "step": 9}, 404, "unknown_position"),
    ({"position": 2, "step": 1}, 404, "unknown_position"),  # item 2 has no steps
    ({"position": "3"}, 400, "invalid_position"),
    ({"position": True}, 400, "invalid_position"),
    ({"position": 4, "step": "1"}, 400, "invalid_step"),
    ({}, 400, "invalid_position"),
])
def test_goto_a_place_not_in_the_program_is_refused_and_changes_nothing(client, app, auth, conference_id,
                                                                        body, status, code):
    before = version(app, conference_id)
    response = client.post("/api/show/goto", json=body, headers=auth("mc"))
    assert response.status_code == status and response.get_json()["error"]["code"] == code
    assert version(app, conference_id) == before


def moment(minutes: float) -> datetime:
    """The test clock's start plus some minutes."""
    return datetime(2020, 3, 5, 0, 30, tzinfo=timezone.utc) + timedelta(minutes=minutes)


def runs(app, conference_id) -> dict[tuple[int, int | None], list[tuple]]:
    """Each place's runs, (start, end) in time order, by (item position, step position or None)."""
    from conference.show.runs import runs_by_key
    with app.app_context():
        places = {(item.id, None): (item.position, None) for item in agenda(app, conference_id)}
        places.update({(item.id, step.id): (item.position, step.position)
                       for item in agenda(app, conference_id) for step in item.steps})
        return {places[key]: found for key, found in runs_by_key(conference_id).items()}


def test_a_slip_undone_stays_in_the_runs_and_overlaps_nothing(client, app, auth, conference_id, clock):
    for _ in range(3):
        press(client, auth, "next")
        clock.advance(10)
    press(client, auth, "next")  # item 4 by a slip
    clock.advance(0.2)
    press(client, auth, "previous")
    clock.advance(5)
    press(client, auth, "next")
    logged = runs(app, conference_id)
    assert logged[(3, None)] == [(moment(20), moment(30)), (moment(30.2), moment(35.2))]
    assert logged[(4, None)] == [(moment(30), moment(30.2)), (moment(35.2), None)]


def test_a_goto_back_over_items_that_ran_gives_the_item_a_second_run(client, app, auth, conference_id, clock):
    for position in (1, 2, 3, 5, 6):
        press(client, auth, "goto", position=position)
        clock.advance(10)
    press(client, auth, "goto", position=2)  # back for a point forgotten
    clock.advance(4)
    press(client, auth, "goto", position=3)
    clock.advance(3)
    press(client, auth, "goto", position=6)
    logged = runs(app, conference_id)
    assert [len(logged[(p, None)]) for p in (1, 2, 3, 5, 6)] == [1, 2, 2, 1, 2]  # 6's first run kept
    assert (4, None) not in logged  # jumped over: never held
    spans = sorted(run for key, found in logged.items() if key[1] is None for run in found)
    for (_, end), (later, _) in zip(spans, spans[1:]):
        assert end is not None and end <= later  # one after the other, none overlapping
    item2 = agenda(app, conference_id)[1]
    assert (item2.started_at, item2.ended_at) == (logged[(2, None)][0][0], logged[(2, None)][1][1])


def test_leaving_an_item_backwards_keeps_it_and_its_steps_as_they_ran(client, app, auth, conference_id, clock):
    press(client, auth, "goto", position=3)
    clock.advance(30)
    press(client, auth, "goto", position=4, step=1)
    clock.advance(5)
    press(client, auth, "next")  # speaker 2
    clock.advance(5)
    press(client, auth, "goto", position=3)
    logged = runs(app, conference_id)
    assert logged[(4, None)] == [(moment(30), moment(40))]
    assert logged[(4, 1)] == [(moment(30), moment(35))] and logged[(4, 2)] == [(moment(35), moment(40))]
    talks = agenda(app, conference_id)[3]
    assert (talks.started_at, talks.ended_at) == (moment(30), moment(40))
    assert logged[(3, None)] == [(moment(0), moment(30)), (moment(40), None)]  # item 3 back: a second run


@pytest.fixture
def frozen(monkeypatch, clock):
    """The test's clock for the snapshot and its timing block too (their "now"), each read built afresh
    (a snapshot is otherwise reused for a second of real time while the version stands)."""
    from conference.live import snapshot
    from conference.show import timing
    monkeypatch.setattr(timing, "utcnow", clock)
    monkeypatch.setattr(snapshot, "utcnow", clock)
    monkeypatch.setattr(snapshot, "REUSE_SECONDS", 0)
    return clock


def at(minute: float) -> str:
    """The test clock's start (07:30 on the day, Vietnam time) plus some minutes, as the snapshot writes it."""
    return (datetime(2020, 3, 5, 0, 30, tzinfo=timezone.utc) + timedelta(minutes=minute)).isoformat()


def test_an_item_back_for_more_runs_is_timed_by_its_runs_not_since_its_first_start(client, auth, frozen):
    for position, minutes in ((1, 5), (2, 10), (3, 7), (4, 6), (5, 3)):  # item 2 runs 07:35-07:45
        press(client, auth, "goto", position=position)
        frozen.advance(minutes)
    snapshot = press(client, auth, "goto", position=2)  # 08:01, back for a point forgotten
    item2 = snapshot["agenda"][1]
    assert item2["started_at"] == at(5)  # the summary is unchanged: the first start
    assert (item2["closed_run_seconds"], item2["open_run_started_at"]) == (10 * 60, at(31))
    # 20 planned, 10 used: due at 08:11 (not 07:55, 20 minutes after its first start)
    later = (35 + 36 + 35 + 20 + 24 + 15 + 20) * 60  # items 3 to 9
    assert snapshot["timing"]["pending_from"] == at(41)
    assert snapshot["timing"]["pending_seconds"] == later
    assert snapshot["timing"]["projected_end"] == at(41 + later / 60)
    assert snapshot["agenda"][4]["open_run_started_at"] is None  # item 5 left backwards: its run closed
    assert snapshot["agenda"][4]["closed_run_seconds"] == 3 * 60

    frozen.advance(4)
    press(client, auth, "goto", position=3)  # 08:05: item 2 has run 10 + 4 minutes
    frozen.advance(2)
    press(client, auth, "goto", position=4)
    frozen.advance(1)
    snapshot = press(client, auth, "goto", position=2)  # 08:08: a third run (item 3 ran since)
    item2, item3 = snapshot["agenda"][1], snapshot["agenda"][2]
    assert (item2["closed_run_seconds"], item2["open_run_started_at"]) == (14 * 60, at(38))
    assert item2["started_at"] == at(5) and item2["ended_at"] is None
    assert (item3["closed_run_seconds"], item3["open_run_started_at"]) == ((7 + 2) * 60, None)
    assert snapshot["timing"]["pending_from"] == at(38 + 20 - 14)
    assert snapshot["timing"]["projected_end"] == at(38 + 20 - 14 + later / 60)

    frozen.advance(10)  # 08:18: 14 + 10 minutes used of 20, so it is over and pushes the day
    snapshot = client.get("/api/state").get_json()
    assert snapshot["timing"]["pending_from"] == at(44)
    assert snapshot["timing"]["projected_end"] == at(48 + later / 60)  # from now, never earlier


def test_a_speaker_back_for_a_second_run_counts_down_what_is_left(client, auth, frozen):
    press(client, auth, "goto", position=4, step=1)
    frozen.advance(3)
    for minutes in (5, 4, 2):  # speakers 2, 3, 4
        press(client, auth, "next")
        frozen.advance(minutes)
    snapshot = press(client, auth, "goto", position=4, step=2)  # speaker 2 again: 3 and 4 ran since
    talks = snapshot["agenda"][3]
    step2 = talks["steps"][1]
    assert (step2["closed_run_seconds"], step2["open_run_started_at"]) == (5 * 60, at(14))
    assert (talks["closed_run_seconds"], talks["open_run_started_at"]) == (0, at(0))  # the item's one run
    assert snapshot["timing"]["pending_from"] == at(14 + 9 - 5)  # 9 planned, 5 used
    assert snapshot["timing"]["pending_seconds"] == (8 + 10 + 35 + 20 + 24 + 15 + 20) * 60


def test_a_place_with_one_run_is_timed_from_its_start_as_before(client, auth, frozen):
    for _ in range(4):  # items 1-3, then item 4's introduction
        snapshot = press(client, auth, "next")
        frozen.advance(6)
    done, current = snapshot["agenda"][2], snapshot["agenda"][3]
    assert (done["closed_run_seconds"], done["open_run_started_at"]) == (6 * 60, None)
    assert current["open_run_started_at"] == current["started_at"] == at(18)
    assert current["closed_run_seconds"] == 0
    assert snapshot["timing"]["pending_from"] == at(18 + 36)
    assert all((step["closed_run_seconds"], step["open_run_started_at"]) == (0, None) for step in current["steps"])


# Times are never lost (the issue "The office's year"): whatever the MC presses, in whatever order,
# and across a restart, every stretch a place stood on stage stays a run, and the snapshot's
# started_at / ended_at are its first run's start and its last run's end.
# Run on SQLite and on PostgreSQL (any_app): the runs are read back through each one's own types.

@pytest.fixture
def both(any_app):
    """(app, client, auth, conference_id) as the app, client, auth and conference_id fixtures give them,
    on SQLite and on PostgreSQL; auth knows the MC, the one device these tests press with."""
    with any_app.app_context():
        conference_id = default_conference_id()
        mc = create_device(conference_id, Role.MC, "mc test").token
    return any_app, any_app.test_client(), {"mc": bearer(mc)}.__getitem__, conference_id


def test_next_three_times_then_go_to_1_and_4_keeps_item_3s_start_and_end(both, frozen):
    app, client, auth, conference_id = both
    for _ in range(3):  # items 1, 2, 3: ten minutes each
        press(client, auth, "next")
        frozen.advance(10)
    press(client, auth, "goto", position=1)  # 08:00, back to item 1
    frozen.advance(5)
    snapshot = press(client, auth, "goto", position=4)
    item1, item3, item4 = snapshot["agenda"][0], snapshot["agenda"][2], snapshot["agenda"][3]
    assert (item3["started_at"], item3["ended_at"], item3["closed_run_seconds"]) == (at(20), at(30), 10 * 60)
    assert (item1["started_at"], item1["ended_at"], item1["closed_run_seconds"]) == (at(0), at(35), 15 * 60)
    assert (item4["started_at"], item4["ended_at"], item4["open_run_started_at"]) == (at(35), None, at(35))


def on_stage(place: tuple) -> set:
    """The places standing while the show is at place: its item, and its step if it is one."""
    position, step = place
    if position is None:
        return set()
    return {(position, None)} | ({(position, step)} if step is not None else set())


def stretches(timeline: list[tuple[datetime, tuple]]) -> dict:
    """What should be in the log, worked out from the places the show stood on over time alone:
    each place's stretches on stage, from the moment it came on to the moment it went off."""
    found, standing = defaultdict(list), set()
    for moment, place in timeline:
        now_standing = on_stage(place)
        for key in standing - now_standing:
            found[key][-1] = (found[key][-1][0], moment)
        for key in now_standing - standing:
            found[key].append((moment, None))
        standing = now_standing
    return dict(found)


def wander(client, auth, clock, rng: random.Random, places: list, moves: int, timeline: list) -> None:
    """Moves as a nervous MC might make them: next more often than not, previous, go-to anywhere."""
    for _ in range(moves):
        clock.advance(rng.choice((0.5, 1, 4, 9)))
        action = rng.choice(("next", "next", "previous", "goto"))
        if action == "goto":
            position, step = rng.choice(places)
            snapshot = press(client, auth, "goto", position=position, step=step)
        else:
            snapshot = press(client, auth, action)
        timeline.append((clock.now, (snapshot["current"], snapshot["current_step"])))


def assert_every_stretch_kept(app, conference_id, timeline) -> None:
    expected = stretches(timeline)
    assert runs(app, conference_id) == expected
    snapshot = app.test_client().get("/api/state").get_json()
    for item in snapshot["agenda"]:
        rows = [((item["position"], None), item), *(((item["position"], step["position"]), step)
                                                     for step in item["steps"])]
        for key, row in rows:
            found = expected.get(key, [])
            first_start = found[0][0].isoformat() if found else None
            last_end = found[-1][1].isoformat() if found and found[-1][1] else None
            assert (row["started_at"], row["ended_at"]) == (first_start, last_end), key


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_any_sequence_of_next_previous_and_goto_keeps_every_stretch_on_stage(both, frozen, seed):
    app, client, auth, conference_id = both
    places = show._cursor_list(agenda(app, conference_id))
    timeline = [(frozen.now, (None, None))]
    wander(client, auth, frozen, random.Random(seed), places, 40, timeline)
    assert sum(place != later for (_, place), (_, later) in zip(timeline, timeline[1:])) > 20  # it moved
    assert_every_stretch_kept(app, conference_id, timeline)


def test_a_restart_between_the_moves_loses_no_run(both, frozen):
    app, client, auth, conference_id = both
    timeline = [(frozen.now, (None, None))]
    for _ in range(3):
        frozen.advance(10)
        snapshot = press(client, auth, "next")
        timeline.append((frozen.now, (snapshot["current"], snapshot["current_step"])))
    frozen.advance(10)
    press(client, auth, "goto", position=1)
    timeline.append((frozen.now, (1, None)))

    from conference import create_app
    restarted = create_app({"INSTANCE_PATH": app.config["INSTANCE_PATH"],
                            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    try:
        frozen.advance(5)
        press(restarted.test_client(), auth, "goto", position=4)
        timeline.append((frozen.now, (4, None)))
        places = show._cursor_list(agenda(restarted, conference_id))
        wander(restarted.test_client(), auth, frozen, random.Random(7), places, 25, timeline)
        assert_every_stretch_kept(restarted, conference_id, timeline)
    finally:
        with restarted.app_context():
            db.session.remove()
            db.engine.dispose()
