"""Planned versus actual: the schedule of the day derived from the plan and the stored times.

Nothing here is counted in memory. Every figure is a function of the agenda (planned minutes,
started_at / ended_at as stored by the show service) and of "now", so a restarted server or a
screen that reconnects derives the same answer (as Ontime derives its timers).

The projection rule, which the screens repeat every second with their own corrected clock:

    projected_end = max(pending_from, now) + pending_seconds
    offset        = projected_end - baseline_end        (positive: behind, negative: ahead)

where pending_from is when the current item (or tham luận step) is planned to end, and
pending_seconds is the planned length of everything after it. An item that overruns pushes
the rest of the day; one that ends early pulls it in.

The current place is planned to end when its planned minutes are used up, counting its runs
(show/runs.py): pending_from = start of its open run + (planned - its earlier, closed
runs). An item back for a second run after a go-to has only what its first run left of its
plan; the items that ran in between do not count against it. With one run this is its start
plus the planned minutes.

Two baselines:
- "clock": the day runs on the date of the plan, so the baseline is the plan's own clock
  (07:30 plus the planned minutes). A late start counts as behind.
- "relative": a rehearsal on another day, or a plan without a date or start time. The
  baseline is the actual start of the first item plus the planned minutes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app

from conference.core.db import utcnow
from conference.core.models import AgendaItem, AgendaStep, Conference, ShowState
from .runs import NOT_RUN, Key, RunTime


@dataclass(frozen=True)
class Place:
    """One place the show can be: an item, or a step inside it."""
    item: AgendaItem
    step: AgendaStep | None = None


def minutes(value: int | None) -> timedelta:
    return timedelta(minutes=value or 0)


def planned_start(conference: Conference, zone: ZoneInfo) -> datetime | None:
    """The plan's start (conference date + "07:30" in local time), in UTC; None if not set."""
    if conference.date is None or not conference.starts_at:
        return None
    try:
        hours, mins = (int(part) for part in conference.starts_at.split(":"))
        local = datetime.combine(conference.date, time(hours, mins), tzinfo=zone)
    except ValueError:
        return None
    return local.astimezone(timezone.utc)


def _steps_total(item: AgendaItem) -> timedelta:
    return sum((minutes(step.planned_minutes) for step in item.steps), timedelta())


def planned_rows(items: list[AgendaItem], start: datetime | None) -> list[dict]:
    """Planned start and end of every item and step on the plan's clock."""
    rows, cursor = [], start
    for item in items:
        row = {"position": item.position, "planned_start": _iso(cursor),
               "planned_end": _iso(cursor + minutes(item.planned_minutes)) if cursor else None, "steps": []}
        # Steps fill the end of their item: whatever the steps do not use is the MC's introduction.
        intro = max(minutes(item.planned_minutes) - _steps_total(item), timedelta())
        step_cursor = cursor + intro if cursor else None
        for step in item.steps:
            row["steps"].append({"position": step.position, "planned_start": _iso(step_cursor),
                                 "planned_end": _iso(step_cursor + minutes(step.planned_minutes))
                                 if step_cursor else None})
            step_cursor = step_cursor + minutes(step.planned_minutes) if step_cursor else None
        rows.append(row)
        cursor = cursor + minutes(item.planned_minutes) if cursor else None
    return rows


def _current_place(items: list[AgendaItem], position: int | None, step: int | None) -> Place | None:
    item = next((entry for entry in items if entry.position == position), None)
    if item is None:
        return None
    found = next((entry for entry in item.steps if entry.position == step), None) if step is not None else None
    return Place(item, found)


def _run_time(runs: dict[Key, RunTime] | None, item: AgendaItem, step: AgendaStep | None = None) -> RunTime:
    """The place's runs; without them (a plan built in memory) one run from the row's start."""
    if runs is None:
        return RunTime(open_since=(step or item).started_at)
    return runs.get((item.id, step.id if step else None), NOT_RUN)


def _due(run: RunTime, row: AgendaItem | AgendaStep) -> datetime:
    """When a place runs out of its planned minutes: its open run's start plus what is left."""
    if run.open_since is None:  # no open run recorded (should not happen for the current place)
        return row.started_at + minutes(row.planned_minutes)
    return run.open_since + minutes(row.planned_minutes) - run.closed


def _pending(items: list[AgendaItem], place: Place,
             runs: dict[Key, RunTime] | None = None) -> tuple[datetime, timedelta]:
    """When the current place is planned to end, and the planned length of everything after it."""
    later = sum((minutes(entry.planned_minutes) for entry in items if entry.position > place.item.position),
                timedelta())
    step = place.step
    if step is not None and step.planned_minutes is not None and step.started_at is not None:
        rest_of_item = sum((minutes(entry.planned_minutes) for entry in place.item.steps
                            if entry.position > step.position), timedelta())
        return _due(_run_time(runs, place.item, step), step), rest_of_item + later
    return _due(_run_time(runs, place.item), place.item), later


def schedule(conference: Conference, items: list[AgendaItem], current: int | None,
             current_step: int | None, now: datetime, zone: ZoneInfo,
             runs: dict[Key, RunTime] | None = None) -> dict:
    """The "timing" block of the snapshot (see the module docstring for the rule).

    runs: each place's run time (runs.run_times); None counts each place from its start.
    """
    plan_start = planned_start(conference, zone)
    total = sum((minutes(item.planned_minutes) for item in items), timedelta())
    first_start = min((item.started_at for item in items if item.started_at), default=None)
    on_plan_day = plan_start is not None and conference.date == (
        first_start.astimezone(zone).date() if first_start else now.astimezone(zone).date())
    mode = "clock" if on_plan_day else "relative"
    anchor = plan_start if on_plan_day else first_start
    baseline_end = anchor + total if anchor else None

    place = _current_place(items, current, current_step)
    finished = place is None and bool(items) and items[-1].ended_at is not None
    if finished:
        pending_from, pending = items[-1].ended_at, timedelta()
        projected_end = pending_from
    else:
        if place is not None and place.item.started_at is not None:
            pending_from, pending = _pending(items, place, runs)
        else:  # not started yet: the day can begin at the planned time at the earliest
            pending_from, pending = (plan_start if on_plan_day else None), total
        projected_end = max(pending_from or now, now) + pending
    offset = int((projected_end - baseline_end).total_seconds()) if baseline_end else None
    return {
        "mode": mode,
        "planned_start": _iso(plan_start),
        "planned_end": _iso(plan_start + total) if plan_start else None,
        "actual_start": _iso(first_start),
        "baseline_end": _iso(baseline_end),
        "pending_from": _iso(pending_from),
        "pending_seconds": int(pending.total_seconds()),
        "projected_end": _iso(projected_end),
        "offset_seconds": offset,
        "finished": finished,
        "items": planned_rows(items, plan_start),
    }


def local_zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "Asia/Ho_Chi_Minh")
    except (ValueError, KeyError):
        return ZoneInfo("UTC")


def timing_json(conference: Conference, items: list[AgendaItem], state: ShowState,
                runs: dict[Key, RunTime] | None = None) -> dict:
    """The snapshot's "timing" block, now, in the conference's time zone."""
    zone = local_zone(current_app.config.get("BABEL_DEFAULT_TIMEZONE"))
    return schedule(conference, items, state.current_position, state.current_step, utcnow(), zone, runs)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
