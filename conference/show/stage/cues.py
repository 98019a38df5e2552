"""Sound cues: attached by the office, played by one projector page, stopped and replayed by the MC.

A cue plays when the snapshot names it with a new key (snapshot.py): the key of a place's cue is
the open run of that place (show/runs.py), so the show reaching it again is a new key, while a
screen that reconnects, or a second projector page, gets the same key and does not play it again.
Only the sound page plays: the display device the office chose, by default the first one paired.
"""
from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import sqlalchemy as sa
from flask import current_app

from conference.core.db import db, utcnow, write_transaction
from conference.core.errors import ConferenceError, NotFound
from conference.core.models import AgendaItem, AgendaStep, CueTarget, Device, Role, StageCue, StageState
from conference.core.state import bump_version
from . import media

FOLDER = "stage"  # under the instance folder: never under static/, served only to signed-in screens


def folder() -> Path:
    return Path(current_app.config["INSTANCE_PATH"]) / FOLDER


def stage_state(conference_id: int) -> StageState:
    """The conference's stage row, made the first time it is written."""
    state = db.session.get(StageState, conference_id)
    if state is None:
        state = StageState(conference_id=conference_id, overlay_hidden=False, cue_replay=0, cue_stop=0,
                           check_count=0, slide_page=1, slides_hidden=False)
        db.session.add(state)
        db.session.flush()
    return state


def parse_place(text: object) -> tuple[int, int | None]:
    """ "4" (item 4) or "4.2" (its second step)."""
    parts = str(text or "").strip().split(".")
    if not 1 <= len(parts) <= 2 or not all(part.isdigit() and len(part) < 6 for part in parts):
        raise ConferenceError("invalid_place", "Vị trí phải là số mục, hoặc mục.bước (ví dụ 4 hoặc 4.2).")
    return int(parts[0]), int(parts[1]) if len(parts) == 2 else None


def place_rows(conference_id: int, place: tuple[int, int | None]) -> tuple[AgendaItem, AgendaStep | None]:
    item = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.conference_id == conference_id,
                                                         AgendaItem.position == place[0]))
    step = next((s for s in item.steps if s.position == place[1]), None) if item and place[1] else None
    if item is None or (place[1] is not None and step is None):
        raise NotFound("unknown_position", "Không có mục này trong chương trình.")
    return item, step


def _volume(value: object) -> int:
    try:
        volume = int(str(value).strip()) if value not in (None, "") else 100
    except ValueError:
        volume = -1
    if not 0 <= volume <= 100:
        raise ConferenceError("invalid_volume", "Âm lượng phải là một số từ 0 đến 100.")
    return volume


def attach_cue(conference_id: int, target: object, place: object, name: str, stream: BinaryIO,
               volume: object = None) -> StageCue:
    """Check the sound and keep it as the cue of TARGET (place: "N" or "N.S"; awards; overtime),
    replacing the cue it had. Nothing is kept of a refused file."""
    try:
        kind_of_target = CueTarget(target)
    except ValueError:
        raise ConferenceError("invalid_target",
                              "Âm báo phải gắn với một mục, phần khen thưởng hoặc lúc hết giờ.") from None
    level = _volume(volume)
    name = (name or "").strip()[-200:] or "?"
    kind = media.kind_by_name(name)
    received = media.receive(stream, folder())
    try:
        if media.sound_kind(received) != kind:
            raise media.not_a_sound(name)
        stored = media.keep(received, kind)
        try:
            cue = _store(conference_id, kind_of_target, place, name, kind, stored, level)
        except BaseException:
            (folder() / stored).unlink(missing_ok=True)
            raise
        return cue
    finally:
        received.unlink(missing_ok=True)


def _store(conference_id: int, target: CueTarget, place: object, name: str, kind: str, stored: str,
           volume: int) -> StageCue:
    with write_transaction():
        item, step = place_rows(conference_id, parse_place(place)) if target == CueTarget.PLACE else (None, None)
        for old in _cues_of(conference_id, target, item, step):
            _forget_file(old)
            db.session.delete(old)
        cue = StageCue(conference_id=conference_id, target=target, item_id=item.id if item else None,
                       step_id=step.id if step else None, name=name, kind=kind, stored=stored,
                       size=(folder() / stored).stat().st_size, volume=volume, created_at=utcnow())
        db.session.add(cue)
        bump_version(conference_id)
    return cue


def _cues_of(conference_id: int, target: CueTarget, item, step) -> list[StageCue]:
    query = sa.select(StageCue).where(StageCue.conference_id == conference_id, StageCue.target == target)
    if target == CueTarget.PLACE:
        query = query.where(StageCue.item_id == item.id,
                            StageCue.step_id == step.id if step else StageCue.step_id.is_(None))
    return list(db.session.scalars(query))


def _forget_file(cue: StageCue) -> None:
    (folder() / cue.stored).unlink(missing_ok=True)


def _cue(conference_id: int, cue_id: int) -> StageCue:
    cue = db.session.get(StageCue, cue_id)
    if cue is None or cue.conference_id != conference_id:
        raise NotFound("unknown_cue", "Không tìm thấy âm báo này.")
    return cue


def remove_cue(conference_id: int, cue_id: int) -> str:
    """Delete a cue and its file; returns its name."""
    with write_transaction():
        cue = _cue(conference_id, cue_id)
        name = cue.name
        _forget_file(cue)
        db.session.delete(cue)
        bump_version(conference_id)
    return name


def set_volume(conference_id: int, cue_id: int, volume: object) -> None:
    level = _volume(volume)
    with write_transaction():
        _cue(conference_id, cue_id).volume = level
        bump_version(conference_id)


def sound_check(conference_id: int, cue_id: int) -> None:
    """Play this cue once on the sound page now (the office's sound check of the hall's levels)."""
    with write_transaction():
        _cue(conference_id, cue_id)
        state = stage_state(conference_id)
        state.check_cue_id, state.check_count, state.cue_at = cue_id, state.check_count + 1, utcnow()
        bump_version(conference_id)


def stop(conference_id: int) -> None:
    """Silence what the sound page plays."""
    with write_transaction():
        state = stage_state(conference_id)
        state.cue_stop += 1
        bump_version(conference_id)


def replay(conference_id: int) -> None:
    """Play the current place's cue again from the start: it gets a new key."""
    with write_transaction():
        state = stage_state(conference_id)
        state.cue_replay, state.cue_at, state.check_cue_id = state.cue_replay + 1, utcnow(), None
        bump_version(conference_id)


def display_devices(conference_id: int) -> list[Device]:
    """The projector devices that can be the sound page: paired, not revoked, first paired first."""
    return list(db.session.scalars(
        sa.select(Device).where(Device.conference_id == conference_id, Device.role == Role.DISPLAY,
                                Device.revoked_at.is_(None), Device.paired_at.is_not(None))
        .order_by(Device.paired_at, Device.id)))


def sound_device_id(conference_id: int) -> int | None:
    """The sound page's device: the office's choice while it is still a paired projector, else the
    first projector paired."""
    devices = display_devices(conference_id)
    state = db.session.get(StageState, conference_id)
    chosen = state.sound_device_id if state else None
    if chosen is not None and any(device.id == chosen for device in devices):
        return chosen
    return devices[0].id if devices else None


def choose_sound_device(conference_id: int, device_id: object) -> None:
    """The projector that plays the cues (None: the first one paired)."""
    if device_id in (None, ""):
        chosen = None
    else:
        chosen = int(device_id) if str(device_id).isdigit() else -1
        if chosen not in {device.id for device in display_devices(conference_id)}:
            raise ConferenceError("invalid_device", "Hãy chọn một máy chiếu đã ghép.")
    with write_transaction():
        stage_state(conference_id).sound_device_id = chosen
        bump_version(conference_id)


def cues(conference_id: int) -> list[StageCue]:
    return list(db.session.scalars(sa.select(StageCue).where(StageCue.conference_id == conference_id)
                                   .order_by(StageCue.target, StageCue.item_id, StageCue.step_id)))


def cue_file(conference_id: int, cue_id: int) -> tuple[Path, str]:
    """The stored file of a cue and its MIME type."""
    cue = _cue(conference_id, cue_id)
    path = folder() / cue.stored
    if not path.is_file():
        raise NotFound("unknown_cue", "Không tìm thấy âm báo này.")
    return path, media.MIME[cue.kind]


def cue_rows(conference_id: int) -> list[dict]:
    """The office's list: each cue with the place it is attached to ("4", "4.2"), for the page."""
    items = {item.id: item for item in db.session.scalars(
        sa.select(AgendaItem).where(AgendaItem.conference_id == conference_id))}
    rows = []
    for cue in cues(conference_id):
        item = items.get(cue.item_id)
        step = next((s for s in item.steps if s.id == cue.step_id), None) if item else None
        place = f"{item.position}.{step.position}" if step else str(item.position) if item else None
        title = (step or item).title if item else None
        rows.append({"id": cue.id, "target": cue.target.value, "place": place, "title": title, "name": cue.name,
                     "kind": cue.kind, "size": cue.size, "volume": cue.volume})
    return rows
