"""The snapshot's "stage" block (docs/SHOW.md §10): read with the rest of the snapshot, written by no one.

    "stage": {"lectern_message": str|null, "overlay_hidden": bool, "sound_device_id": int|null,
              "stop": int,                         # each MC stop: the sound page silences what plays
              "cues": int,                         # how many cues the conference has
              "cue": {"key", "id", "name", "volume", "url", "since"}|null,   # plays once per key
              "overtime_cue": {"key", "id", "name", "volume", "url"}|null,  # as the place's time runs out
              "speaker": {"name", "position", "unit"}|null}   # the presenter, found in the roster
    "slide": {"page", "pages", "deck_id", "name", "url", "shown"}|null         # the report's slides
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from conference.core.db import db
from conference.core.models import AgendaItem, CueTarget, Delegate, ItemKind, ShowRun, StageCue, StageState
from .cues import sound_device_id
from .slides import current_deck, page_up


def stage_json(conference_id: int, agenda: list[AgendaItem], position: int | None, step_position: int | None,
               award: dict | None) -> dict:
    state = db.session.get(StageState, conference_id) or StageState(overlay_hidden=False, cue_replay=0,
                                                                     cue_stop=0, check_count=0)
    item = next((entry for entry in agenda if entry.position == position), None)
    step = next((entry for entry in item.steps if entry.position == step_position), None) if item else None
    cues = list(db.session.scalars(sa.select(StageCue).where(StageCue.conference_id == conference_id)))
    run = _open_run(conference_id, item, step)
    return {
        "lectern_message": state.lectern_message,
        "overlay_hidden": bool(state.overlay_hidden),
        "sound_device_id": sound_device_id(conference_id),
        "stop": state.cue_stop,
        "cues": len(cues),  # the sound page asks for its click only when there is something to play
        "cue": _check_cue(state, cues, run) or _place_cue(state, cues, item, step, run, award),
        "overtime_cue": _cue_json(_find(cues, CueTarget.OVERTIME), f"overtime:{run.id}") if run else None,
        "speaker": _speaker(conference_id, (step or item).presenter if item else None),
    }


def slide_json(conference_id: int, agenda: list[AgendaItem], position: int | None,
               step_position: int | None) -> dict | None:
    """The snapshot's "slide": the deck of the current place and the page up, so that every
    projector, the MC's presenter view and the delegates' phones (its page and count only,
    me/programme.py) agree; null where the place has none. The stream overlay shows none of it."""
    item = next((entry for entry in agenda if entry.position == position), None)
    step = next((entry for entry in item.steps if entry.position == step_position), None) if item else None
    found = current_deck(conference_id, item, step)
    if found is None:
        return None
    deck, run = found
    page, hidden = page_up(db.session.get(StageState, conference_id), run)
    return {"page": page, "pages": deck.pages, "deck_id": deck.id, "name": deck.name,
            "url": f"/display/decks/{deck.id}", "shown": not hidden}


def _find(cues: list[StageCue], target: CueTarget, item=None, step=None) -> StageCue | None:
    return next((cue for cue in cues if cue.target == target and (target != CueTarget.PLACE or (
        cue.item_id == item.id and cue.step_id == (step.id if step else None)))), None)


def _cue_json(cue: StageCue | None, key: str, since: datetime | None = None) -> dict | None:
    if cue is None:
        return None
    return {"key": key, "id": cue.id, "name": cue.name, "volume": cue.volume,
            "url": f"/display/cues/{cue.id}", "since": since.isoformat() if since else None}


def _check_cue(state: StageState, cues: list[StageCue], run: ShowRun | None) -> dict | None:
    """The office's sound check, while it is the last thing asked of the sound page: until the show
    moves (a run that starts after it) or the MC replays the place's cue (which forgets it)."""
    cue = next((cue for cue in cues if cue.id == state.check_cue_id), None)
    if cue is None or state.cue_at is None or (run is not None and run.started_at >= state.cue_at):
        return None
    return _cue_json(cue, f"check:{state.check_count}", state.cue_at)


def _place_cue(state: StageState, cues, item, step, run, award: dict | None) -> dict | None:
    """The cue of the place the show stands on (a new key for each run of it, and each replay), or
    during the awards, once the names of a batch are called, the awards' cue (a key per batch)."""
    if run is None:
        return None
    since = max(filter(None, (run.started_at, state.cue_at)))
    if item.kind == ItemKind.AWARDS and award and award.get("reveal") and not award.get("finished"):
        cue = _find(cues, CueTarget.AWARDS)
        if cue:
            return _cue_json(cue, f"awards:{run.id}:{award['index']}:{state.cue_replay}", since)
    return _cue_json(_find(cues, CueTarget.PLACE, item, step), f"place:{run.id}:{state.cue_replay}", since)


def _open_run(conference_id: int, item, step) -> ShowRun | None:
    if item is None:
        return None
    return db.session.scalar(sa.select(ShowRun).where(
        ShowRun.conference_id == conference_id, ShowRun.item_id == item.id,
        ShowRun.step_id == (step.id if step else None) if step else ShowRun.step_id.is_(None),
        ShowRun.ended_at.is_(None)).order_by(ShowRun.id.desc()).limit(1))


def _speaker(conference_id: int, name: str | None) -> dict | None:
    """Who is at the lectern: the presenter, with their position and unit if the roster has them."""
    if not name:
        return None
    delegate = db.session.scalar(sa.select(Delegate).where(Delegate.conference_id == conference_id,
                                                           Delegate.full_name == name).limit(1))
    return {"name": name, "position": delegate.position if delegate else None,
            "unit": delegate.unit if delegate else None}
