"""Planned versus actual: the schedule projection (conference/show/timing.py).

The agenda here is built in memory: chào cờ 5', khai mạc 20', tham luận 36' (9+9+8+10), bế mạc 20',
starting 07:30 on 5 March 2020, Vietnam time (UTC+7).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from conference.core.models import AgendaItem, AgendaStep, Conference
from conference.show.timing import schedule

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
PLAN_DAY = date(2020, 3, 5)


def local(hour: int, minute: int, day: date = PLAN_DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE).astimezone(timezone.utc)


def hhmm(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(ZONE).strftime("%H:%M")


@pytest.fixture
def plan():
    conference = Conference(title="Hội nghị", date=PLAN_DAY, starts_at="07:30")
    items = [AgendaItem(position=1, title="Chào cờ", planned_minutes=5),
             AgendaItem(position=2, title="Khai mạc", planned_minutes=20),
             AgendaItem(position=3, title="Tham luận", planned_minutes=36,
                        steps=[AgendaStep(position=n, title=f"Tham luận {n}", planned_minutes=m)
                               for n, m in ((1, 9), (2, 9), (3, 8), (4, 10))]),
             AgendaItem(position=4, title="Bế mạc", planned_minutes=20)]
    return conference, items


def run(plan, now, current=None, step=None):
    conference, items = plan
    return schedule(conference, items, current, step, now, ZONE)


def test_planned_times_count_the_planned_minutes_from_the_plans_start(plan):
    timing = run(plan, local(7, 0))
    starts = [hhmm(row["planned_start"]) for row in timing["items"]]
    assert starts == ["07:30", "07:35", "07:55", "08:31"]
    assert [hhmm(step["planned_start"]) for step in timing["items"][2]["steps"]] == ["07:55", "08:04", "08:13", "08:21"]
    assert hhmm(timing["planned_end"]) == "08:51"


def test_before_a_start_on_time_the_day_is_on_schedule(plan):
    timing = run(plan, local(7, 10))
    assert timing["mode"] == "clock"
    assert hhmm(timing["projected_end"]) == "08:51" and timing["offset_seconds"] == 0


def test_a_late_start_on_the_day_counts_as_behind(plan):
    timing = run(plan, local(7, 40))
    assert timing["offset_seconds"] == 10 * 60
    assert hhmm(timing["projected_end"]) == "09:01"


def test_an_overrunning_item_pushes_the_rest_of_the_day(plan):
    conference, items = plan
    items[0].started_at, items[0].ended_at = local(7, 30), local(7, 35)
    items[1].started_at = local(7, 35)  # planned to end 07:55
    timing = run(plan, local(8, 0), current=2)
    assert hhmm(timing["pending_from"]) == "07:55" and timing["pending_seconds"] == (36 + 20) * 60
    assert hhmm(timing["projected_end"]) == "08:56"
    assert timing["offset_seconds"] == 5 * 60


def test_an_item_ended_early_brings_the_day_ahead(plan):
    conference, items = plan
    items[0].started_at, items[0].ended_at = local(7, 30), local(7, 35)
    items[1].started_at, items[1].ended_at = local(7, 35), local(7, 50)
    items[2].started_at = local(7, 50)
    timing = run(plan, local(7, 51), current=3)
    assert timing["offset_seconds"] == -5 * 60
    assert hhmm(timing["projected_end"]) == "08:46"


def test_a_tham_luan_step_is_timed_against_its_own_planned_minutes(plan):
    conference, items = plan
    items[0].started_at = local(7, 30)
    items[2].started_at = local(7, 55)
    items[2].steps[0].started_at, items[2].steps[0].ended_at = local(7, 56), local(8, 6)
    items[2].steps[1].started_at = local(8, 6)  # 9 minutes planned: due at 08:15
    timing = run(plan, local(8, 10), current=3, step=2)
    assert hhmm(timing["pending_from"]) == "08:15"
    assert timing["pending_seconds"] == (8 + 10 + 20) * 60
    assert timing["offset_seconds"] == 2 * 60  # the first speaker's extra minute plus the late intro


def test_a_rehearsal_on_another_day_is_measured_from_its_own_start(plan):
    conference, items = plan
    rehearsal = PLAN_DAY - timedelta(days=2)
    items[0].started_at = local(14, 0, rehearsal)
    timing = run(plan, local(14, 3, rehearsal), current=1)
    assert timing["mode"] == "relative"
    assert timing["offset_seconds"] == 0
    assert hhmm(timing["baseline_end"]) == "15:21"


def test_a_plan_without_a_date_has_no_planned_times_but_still_projects(plan):
    conference, items = plan
    conference.date = None
    timing = run(plan, local(7, 0))
    assert timing["planned_start"] is None and timing["items"][0]["planned_start"] is None
    assert timing["offset_seconds"] is None
    assert timing["projected_end"] == (local(7, 0) + timedelta(minutes=81)).isoformat()


def test_a_finished_day_reports_its_actual_end_whatever_the_time(plan):
    conference, items = plan
    items[0].started_at = local(7, 30)
    items[-1].started_at, items[-1].ended_at = local(8, 40), local(8, 58)
    timing = run(plan, local(12, 0))
    assert timing["finished"] is True
    assert hhmm(timing["projected_end"]) == "08:58" and timing["offset_seconds"] == 7 * 60


def test_an_item_without_planned_minutes_ends_now_at_the_earliest(plan):
    conference, items = plan
    items[1].planned_minutes = None
    items[0].started_at = local(7, 30)
    items[1].started_at = local(7, 35)
    timing = run(plan, local(7, 50), current=2)
    assert timing["projected_end"] == (local(7, 50) + timedelta(minutes=56)).isoformat()


def test_an_item_back_for_a_second_run_is_due_when_its_runs_use_up_its_plan(plan):
    from conference.show.runs import RunTime
    conference, items = plan
    for number, item in enumerate(items, 1):
        item.id = number
    items[0].started_at, items[0].ended_at = local(7, 30), local(7, 35)
    items[1].started_at = local(7, 35)  # the summary: first start; ran 07:35-07:45, back since 08:00
    items[2].started_at, items[2].ended_at = local(7, 45), local(8, 0)
    runs = {(1, None): RunTime(timedelta(minutes=5)), (2, None): RunTime(timedelta(minutes=10), local(8, 0)),
            (3, None): RunTime(timedelta(minutes=15))}
    timing = schedule(conference, items, 2, None, local(8, 5), ZONE, runs)
    assert hhmm(timing["pending_from"]) == "08:10"  # 20 planned - 10 used, from 08:00
    assert hhmm(timing["projected_end"]) == "09:06"  # then tham luận 36' and bế mạc 20'
    # counted from its first start it would have been due at 07:55, and the day would end at 09:01
    assert hhmm(schedule(conference, items, 2, None, local(8, 5), ZONE)["projected_end"]) == "09:01"


def test_runs_that_used_up_the_plan_project_from_now(plan):
    from conference.show.runs import RunTime
    conference, items = plan
    for number, item in enumerate(items, 1):
        item.id = number
    items[1].started_at = local(7, 35)
    runs = {(2, None): RunTime(timedelta(minutes=25), local(8, 0))}
    timing = schedule(conference, items, 2, None, local(8, 2), ZONE, runs)
    assert hhmm(timing["pending_from"]) == "07:55"  # 08:00 + 20 - 25: already over
    assert timing["projected_end"] == (local(8, 2) + timedelta(minutes=56)).isoformat()


def test_a_run_time_is_its_closed_runs_and_the_start_of_the_open_one():
    from conference.show.runs import RunTime, run_times
    key = (2, None)
    times = run_times({key: [(local(7, 35), local(7, 45)), (local(8, 0), local(8, 4)), (local(8, 10), None)]})
    assert times[key] == RunTime(timedelta(minutes=14), local(8, 10))  # at 08:13: 17 minutes, not 38
    assert run_times({key: [(local(7, 35), local(7, 45))]})[key] == RunTime(timedelta(minutes=10), None)
