"""The run-of-show log: each stretch of time the show stood on an item or a step (ShowRun).

A move ends the runs of the places it leaves and starts a run of each place it reaches, in the
move's own transaction. A run, once written, is only ever closed: no move deletes it or reopens
it, whatever the MC presses (next, previous, a go-to either way) and in whatever order, so every
stretch an item or a step was on stage stays in the log and in the minutes (the issue "The
office's year": a go-to back used to delete the run of the place it left, and a later go-to
forward lost that item's times for good). The rows' started_at / ended_at are then set from
their runs (the first start, the last end, none while a run is open), as a summary for the
snapshot, the agenda and the minutes. The live timers count the runs themselves (run_times):
the time a place has run is its closed runs' length plus its open run so far, never the stretch
since its first start, which would swallow the items that ran in between. The rules
(docs/SHOW.md §7):

- Every move, forward or back: the places left end now; each place reached starts a new run.
  A place returned to therefore has several runs, one after the other, and no two runs of the
  day at the same level ever overlap.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from conference.core.db import db
from conference.core.models import AgendaItem, ShowRun

Key = tuple[int, int | None]  # (item id, step id or None for the item itself)
Place = tuple[int, int | None]  # (item position, step position or None)


def record_move(conference_id: int, items: list[AgendaItem], old: Place | None, new: Place | None,
                by: str | None, now: datetime) -> None:
    """Write the runs of one move of the show from old to new (None: before the start or past the end).

    The direction does not matter: a place left going back was on stage until now as surely as
    one left going forward, so its run is closed, never deleted.
    """
    runs = list(db.session.scalars(sa.select(ShowRun).where(ShowRun.conference_id == conference_id)))
    left, reached = _keys(items, old), _keys(items, new)
    for key in left - reached:
        _end(runs, key, now)
    for key in reached - left:
        if _open_run(runs, key) is None:  # already open only if the log was left inconsistent: keep it
            run = ShowRun(conference_id=conference_id, item_id=key[0], step_id=key[1], started_at=now,
                          started_by=by)
            db.session.add(run)
            runs.append(run)
    touched = {key[0] for key in left | reached}
    _summarise([item for item in items if item.id in touched], runs)


def runs_by_key(conference_id: int) -> dict[Key, list[tuple[datetime, datetime | None]]]:
    """Every run of the conference, (start, end) in time order, by item or step."""
    found: dict[Key, list[tuple[datetime, datetime | None]]] = defaultdict(list)
    for run in db.session.scalars(sa.select(ShowRun).where(ShowRun.conference_id == conference_id)
                                  .order_by(ShowRun.started_at, ShowRun.id)):
        found[(run.item_id, run.step_id)].append((run.started_at, run.ended_at))
    return found


@dataclass(frozen=True)
class RunTime:
    """How long a place has run: its closed runs' total length, and the start of its open run."""
    closed: timedelta = timedelta()
    open_since: datetime | None = None  # the time so far is closed + (now - open_since)


NOT_RUN = RunTime()


def run_times(runs: dict[Key, list[tuple[datetime, datetime | None]]]) -> dict[Key, RunTime]:
    """Each place's run time, from runs_by_key (read once: the snapshot needs every place's)."""
    times = {}
    for key, found in runs.items():
        closed = sum((end - start for start, end in found if end is not None), timedelta())
        open_since = next((start for start, end in found if end is None), None)
        times[key] = RunTime(closed, open_since)
    return times


def forget_runs(conference_id: int) -> int:
    """Delete the conference's run-of-show log (resetting the day); returns how many runs."""
    return db.session.execute(sa.delete(ShowRun).where(ShowRun.conference_id == conference_id)).rowcount


def _keys(items: list[AgendaItem], place: Place | None) -> set[Key]:
    """The item of a place, and its step if the place is one."""
    if place is None:
        return set()
    item = next(item for item in items if item.position == place[0])
    if place[1] is None:
        return {(item.id, None)}
    step = next(step for step in item.steps if step.position == place[1])
    return {(item.id, None), (item.id, step.id)}


def _of(runs: list[ShowRun], key: Key) -> list[ShowRun]:
    return [run for run in runs if (run.item_id, run.step_id) == key]


def _open_run(runs: list[ShowRun], key: Key) -> ShowRun | None:
    return next((run for run in _of(runs, key) if run.ended_at is None), None)


def _end(runs: list[ShowRun], key: Key, now: datetime) -> None:
    run = _open_run(runs, key)
    if run is not None:
        run.ended_at = now


def _summarise(items: list[AgendaItem], runs: list[ShowRun]) -> None:
    """Set each row's started_at / started_by / ended_at from its runs."""
    for item in items:
        for row, key in [(item, (item.id, None)), *((step, (item.id, step.id)) for step in item.steps)]:
            own = sorted(_of(runs, key), key=lambda run: run.started_at)
            row.started_at = own[0].started_at if own else None
            row.started_by = own[0].started_by if own else None
            still_open = any(run.ended_at is None for run in own)
            row.ended_at = None if still_open or not own else max(run.ended_at for run in own)
