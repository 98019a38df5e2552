"""The snapshot: the whole live state of one conference, as every screen receives it."""
from __future__ import annotations

import time

import sqlalchemy as sa

from conference.awards import award_snapshot
from conference.checkin.quorum import attendance_with_quorum
from conference.checkin.roster import called_names
from conference.core.db import db, in_write_transaction, utcnow
from conference.core.models import AgendaItem, Candidate, ShowState
from conference.core.state import get_conference, show_state
from conference.core.textnorm import fold
from conference.show.runs import NOT_RUN, RunTime, run_times, runs_by_key
from conference.show.stage.snapshot import slide_json, stage_json
from conference.show.timing import timing_json
from conference.votes.results import vote_snapshot
from conference.speakers import queue as speakers


def _time(value) -> str | None:
    return value.isoformat() if value else None


def _run_json(run: RunTime) -> dict:
    """How the timers count a place (docs/SHOW.md §7): closed runs + (now - open run's start)."""
    return {"closed_run_seconds": int(run.closed.total_seconds()), "open_run_started_at": _time(run.open_since)}


def _item_json(item: AgendaItem, runs: dict, called: dict[str, str]) -> dict:
    return {"position": item.position, "title": item.title, "presenter": item.presenter,
            "planned_minutes": item.planned_minutes, "kind": item.kind.value, "script": item.script,
            "started_at": _time(item.started_at), "ended_at": _time(item.ended_at),
            "started_by": item.started_by, **_run_json(runs.get((item.id, None), NOT_RUN)),
            "steps": [{"position": s.position, "title": s.title, "presenter": s.presenter,
                       # how the MC invites them: with the danh xưng of the delegate of that name
                       "called": called.get(fold(s.presenter), s.presenter) if s.presenter else None,
                       "planned_minutes": s.planned_minutes, "started_at": _time(s.started_at),
                       "ended_at": _time(s.ended_at), "started_by": s.started_by,
                       **_run_json(runs.get((item.id, s.id), NOT_RUN))} for s in item.steps]}


def conference_json(conference) -> dict:
    return {"id": conference.id, "title": conference.title, "edition": conference.edition,
            "period": conference.period, "organiser": conference.organiser,
            "parent_organiser": conference.parent_organiser, "place_name": conference.place_name,
            "venue": conference.venue, "date": conference.date.isoformat() if conference.date else None,
            "starts_at": conference.starts_at, "chair": conference.chair, "secretary": conference.secretary}


# Reuse. Many callers ask for the same snapshot within moments: the MC's request publishes it
# and then answers with it, three hundred screens reconnecting after a restart each get one,
# every GET /api/state builds one. A snapshot built less than REUSE_SECONDS ago is given again
# (with a fresh server_time) as long as the version in the database is still the same, since
# every change moves the version. Never inside a write transaction: its version is not
# committed and could be rolled back. bench/fanout.py and bench/checkin_load.py measure it.
REUSE_SECONDS = 1.0
_recent: dict[tuple[str, int], tuple[float, dict]] = {}  # (database, conference id) -> (built at, snapshot)


def build_snapshot(conference_id: int) -> dict:
    """The snapshot of one conference, built afresh or reused while its version stands."""
    if in_write_transaction():
        return _build_snapshot(conference_id)
    version = db.session.scalar(sa.select(ShowState.version).where(ShowState.conference_id == conference_id))
    key = (str(db.engine.url), conference_id)
    recent = _recent.get(key)
    if (version is not None and recent is not None and recent[1]["version"] == version
            and time.monotonic() - recent[0] < REUSE_SECONDS):
        return {**recent[1], "server_time": utcnow().isoformat()}
    snapshot = _build_snapshot(conference_id)
    _recent[key] = (time.monotonic(), snapshot)
    return {**snapshot}


def _build_snapshot(conference_id: int) -> dict:
    """Read everything in one transaction so the figures agree with the version."""
    conference = get_conference(conference_id)
    state = show_state(conference_id)
    agenda = list(db.session.scalars(
        sa.select(AgendaItem).where(AgendaItem.conference_id == conference_id)
        .options(sa.orm.selectinload(AgendaItem.steps)).order_by(AgendaItem.position)))
    candidates = db.session.scalars(sa.select(Candidate).where(Candidate.conference_id == conference_id)
                                    .order_by(Candidate.position))
    runs = run_times(runs_by_key(conference_id))  # one query for every place's runs
    award = award_snapshot(conference_id)
    called = called_names(conference_id)
    return {
        "version": state.version,
        "server_time": utcnow().isoformat(),
        "conference": conference_json(conference),
        "agenda": [_item_json(item, runs, called) for item in agenda],
        "current": state.current_position,
        "current_step": state.current_step,
        "finished": state.current_position is None and bool(agenda) and agenda[-1].ended_at is not None,
        "attendance": attendance_with_quorum(conference_id),  # with the quorum (checkin/quorum.py)
        "award": award,
        "candidates": [{"position": c.position, "full_name": c.full_name, "title": c.title, "unit": c.unit}
                       for c in candidates],
        # the open vote, or the last recorded: figures only, never who voted what (votes/results.py)
        "vote": vote_snapshot(conference_id),
        "message": state.message,
        "screen": state.screen.value,
        "timing": timing_json(conference, agenda, state, runs),  # planned vs actual, projected end
        # the lectern, the overlay and the sound cues (docs/SHOW.md §10)
        "stage": stage_json(conference_id, agenda, state.current_position, state.current_step, award),
        "slide": slide_json(conference_id, agenda, state.current_position, state.current_step),
        # the delegates asking to speak, and who speaks now (docs/SPEAKERS.md)
        "speakers": speakers.snapshot_json(conference_id),
    }
