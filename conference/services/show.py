"""The run-of-show: next / previous / goto over items and their sub-steps, times recorded.

Times are stored, never counted in memory (as Ontime does): elapsed = now - started_at, so a
restart or a reconnecting screen derives the same figures.
"""
from __future__ import annotations

import sqlalchemy as sa

from ..db import utcnow, write_transaction
from ..errors import ConferenceError
from ..fields import bounded_text
from ..models import AgendaItem, ScreenMode
from .state import bump_version, show_state

MAX_MESSAGE = 500


def _agenda(session, conference_id: int) -> list[AgendaItem]:
    return list(session.scalars(sa.select(AgendaItem).where(AgendaItem.conference_id == conference_id)
                                .order_by(AgendaItem.position)))


def _cursor_list(items: list[AgendaItem]) -> list[tuple[int, int | None]]:
    """Every place the show can be, in order: (item position, step position or None)."""
    places: list[tuple[int, int | None]] = []
    for item in items:
        places.append((item.position, None))
        places.extend((item.position, step.position) for step in item.steps)
    return places


def _move(conference_id: int, choose, backwards: bool | None = None) -> None:
    """Move the cursor to choose(places, current index, finished); record what starts and ends.

    A target of None is past the end going forward, before the start going backwards.
    """
    with write_transaction() as session:
        items = _agenda(session, conference_id)
        if not items:
            raise ConferenceError("empty_agenda", "Chương trình chưa có mục nào.", 409)
        state = show_state(conference_id)
        places = _cursor_list(items)
        here = (state.current_position, state.current_step)
        index = places.index(here) if here in places else None
        target = choose(places, index, _finished(items))
        if target == index:
            return
        old = places[index] if index is not None else None
        new = places[target] if target is not None else None
        if backwards is None:
            backwards = index is not None and target is not None and target < index
        _record_times(items, old, new, backwards)
        state.current_position, state.current_step = new if new is not None else (None, None)
        bump_version(conference_id)


def _record_times(items: list[AgendaItem], old, new, backwards: bool) -> None:
    """The run-of-show log, kept on the rows themselves.

    Going forward ends the place left and starts the place reached (an item keeps the time it
    first started). Going back undoes the place left (and, when it leaves an item, that item
    with its steps): it did not really happen yet, so it loses its times (an accidental press
    must not leave a false start for the minutes and the timers), and the place returned to
    resumes (its end is cleared).
    """
    now = utcnow()
    by_position = {item.position: item for item in items}

    def node(place):
        item = by_position[place[0]]
        return item if place[1] is None else next(s for s in item.steps if s.position == place[1])

    if old is not None:
        left_item = new is None or new[0] != old[0]
        if backwards:
            item = by_position[old[0]]
            for entry in [item, *item.steps] if left_item else [node(old)]:
                entry.started_at = entry.ended_at = None
        else:
            node(old).ended_at = now
            if left_item:
                by_position[old[0]].ended_at = now
    if new is not None:
        for entry in {by_position[new[0]], node(new)}:
            entry.started_at = entry.started_at or now
            entry.ended_at = None


def _finished(items: list[AgendaItem]) -> bool:
    return bool(items) and items[-1].ended_at is not None


def next_item(conference_id: int) -> None:
    """Advance one place; past the last place the show is finished (current becomes null)."""
    def choose(places, index, finished):
        if index is None:
            return None if finished else 0
        return index + 1 if index + 1 < len(places) else None
    _move(conference_id, choose, backwards=False)


def previous_item(conference_id: int) -> None:
    """Go back one place: from the end to the last place, from the first item to before the start."""
    def choose(places, index, finished):
        if index is None:
            return len(places) - 1 if finished else None
        return index - 1 if index > 0 else None
    _move(conference_id, choose, backwards=True)


def goto_item(conference_id: int, position: object, step: object = None) -> None:
    if not isinstance(position, int) or isinstance(position, bool):
        raise ConferenceError("invalid_position", "“position” phải là số thứ tự của một mục.")
    if step is not None and (not isinstance(step, int) or isinstance(step, bool)):
        raise ConferenceError("invalid_step", "“step” phải là số thứ tự của một bước.")

    def choose(places, index, finished):
        if (position, step) not in places:
            raise ConferenceError("unknown_position", "Không có mục này trong chương trình.", 404)
        return places.index((position, step))
    _move(conference_id, choose)


def set_message(conference_id: int, message: object) -> None:
    """A line for the hall, or None to clear it."""
    text = bounded_text(message, MAX_MESSAGE, "Thông báo", "message")
    with write_transaction():
        show_state(conference_id).message = text
        bump_version(conference_id)


def set_screen(conference_id: int, mode: object) -> None:
    """live, standby (the banner only) or blackout (a black screen)."""
    try:
        screen = ScreenMode(mode)
    except ValueError:
        raise ConferenceError("invalid_screen", "Chế độ màn hình phải là live, standby hoặc blackout.") from None
    with write_transaction():
        show_state(conference_id).screen = screen
        bump_version(conference_id)
