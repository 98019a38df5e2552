"""The run-of-show: next / previous / goto over items and their sub-steps, times recorded.

Times are stored, never counted in memory (as Ontime does): elapsed = the place's closed runs +
(now - its open run's start) (show/runs.py), so a restart or a reconnecting screen
derives the same figures.
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from conference.awards.order import reopen_last_batch
from conference.core.db import utcnow, write_transaction
from conference.core.errors import N_, ConferenceError, MovedElsewhere
from conference.core.fields import bounded_text
from conference.core.models import AgendaItem, ItemKind, ScreenMode
from conference.core.state import bump_version, get_conference, locked_show_state, show_state
from conference.core.dates import local_zone
from .runs import record_move

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


def parse_from_place(from_place: object) -> tuple[int | None, int | None] | None:
    """The place a press was made on, {"position": int|null, "step": int|null}, or None if not sent."""
    if from_place is None:
        return None
    if not isinstance(from_place, dict) or not all(_optional_int(from_place.get(key)) for key in ("position", "step")):
        raise ConferenceError("invalid_from", "“from” phải là {\"position\": số|null, \"step\": số|null}.")
    return from_place.get("position"), from_place.get("step")


def _optional_int(value: object) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool))


def refuse_if_moved(state, current: tuple, from_place: tuple | None) -> None:
    """A press made on a place the show has already left was meant for that place: not applied
    again (two consoles pressing at once move the show once). Presses that name no place
    (scripts, button boxes) always apply."""
    if from_place is not None and tuple(from_place) != tuple(current):
        raise MovedElsewhere(state.moved_by)


def _move(conference_id: int, choose, backwards: bool | None = None, from_place=None, by: str | None = None) -> None:
    """Move the cursor to choose(places, current index, finished); record what starts and ends.

    A target of None is past the end going forward, before the start going backwards. The
    show-state row is locked first, so two presses are judged one after the other.
    """
    with write_transaction() as session:
        state = locked_show_state(conference_id)
        items = _agenda(session, conference_id)
        if not items:
            raise ConferenceError("empty_agenda", "Chương trình chưa có mục nào.", 409)
        places = _cursor_list(items)
        current = (state.current_position, state.current_step)
        refuse_if_moved(state, current, parse_from_place(from_place))
        index = places.index(current) if current in places else None
        target = choose(places, index, _finished(items))
        if target == index:
            return
        old = places[index] if index is not None else None
        new = places[target] if target is not None else None
        if backwards is None:
            backwards = index is not None and target is not None and target < index
        record_move(conference_id, items, old, new, by, utcnow())
        if backwards and _back_onto_awards(items, old, new):
            reopen_last_batch(conference_id)
        state.current_position, state.current_step = new if new is not None else (None, None)
        state.moved_by = by
        bump_version(conference_id)


def _back_onto_awards(items: list[AgendaItem], old, new) -> bool:
    """Going back from a later item (or the end) onto the awards item."""
    if new is None or (old is not None and old[0] == new[0]):
        return False
    return next(item for item in items if item.position == new[0]).kind == ItemKind.AWARDS


def _finished(items: list[AgendaItem]) -> bool:
    return bool(items) and items[-1].ended_at is not None


def next_item(conference_id: int, from_place: object = None, by: str | None = None) -> None:
    """Advance one place; past the last place the show is finished (current becomes null).
    from_place: the place the press was made on (parse_from_place); by: the device's label, for the log."""
    def choose(places, index, finished):
        if index is None:
            return None if finished else 0
        return index + 1 if index + 1 < len(places) else None
    _move(conference_id, choose, backwards=False, from_place=from_place, by=by)


def previous_item(conference_id: int, from_place: object = None, by: str | None = None) -> None:
    """Go back one place: from the end to the last place, from the first item to before the start."""
    def choose(places, index, finished):
        if index is None:
            return len(places) - 1 if finished else None
        return index - 1 if index > 0 else None
    _move(conference_id, choose, backwards=True, from_place=from_place, by=by)


def goto_item(conference_id: int, position: object, step: object = None, from_place: object = None,
              by: str | None = None) -> None:
    if not isinstance(position, int) or isinstance(position, bool):
        raise ConferenceError("invalid_position", "“position” phải là số thứ tự của một mục.")
    if step is not None and (not isinstance(step, int) or isinstance(step, bool)):
        raise ConferenceError("invalid_step", "“step” phải là số thứ tự của một bước.")

    def choose(places, index, finished):
        if (position, step) not in places:
            raise ConferenceError("unknown_position", "Không có mục này trong chương trình.", 404)
        return places.index((position, step))
    _move(conference_id, choose, from_place=from_place, by=by)


def set_message(conference_id: int, message: object) -> None:
    """A line for the hall, or None to clear it."""
    text = bounded_text(message, MAX_MESSAGE, N_("Thông báo"), "message")
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


def other_day(conference_id: int) -> date | None:
    """The conference's date when today, at the venue, is another day (a rehearsal, or a wrong date
    in the set-up): the MC and the office are told before the minutes record a day's clock."""
    planned = get_conference(conference_id).date
    today = utcnow().astimezone(local_zone()).date()
    return planned if planned is not None and planned != today else None
