"""The clicker's two keys, wherever they are pressed: the MC console's PageDown / PageUp (static/js/mc.js
decides the same on its side), an mc token's POST /api/show/next / previous, and a button box's press
addresses (press.py). Where the current place's slides are shown, a key turns their page first, and moves
the show past the last page or before the first (docs/SHOW.md §2 "Keys", §10), so one clicker runs the
whole hall, reports included.
"""
from __future__ import annotations

from conference.core.errors import Conflict
from conference.core.state import show_state
from . import moves
from .stage import slides


def next_press(conference_id: int, from_place: object = None, by: str | None = None) -> None:
    """Tiếp: the next page of the slides shown, else the show's next place (moves.next_item)."""
    if not _turned(conference_id, 1, from_place):
        moves.next_item(conference_id, from_place, by)


def previous_press(conference_id: int, from_place: object = None, by: str | None = None) -> None:
    """Lùi: the previous page of the slides shown, else the show's previous place (moves.previous_item)."""
    if not _turned(conference_id, -1, from_place):
        moves.previous_item(conference_id, from_place, by)


def _turned(conference_id: int, delta: int, from_place: object) -> bool:
    """Turn a page if the key should; False if the show is to move instead. A press made on a place
    the show has left turns nothing: the move refuses it (moved_elsewhere), as it refuses any such press."""
    place = moves.parse_from_place(from_place)
    show = show_state(conference_id)
    if place is not None and place != (show.current_position, show.current_step):
        return False
    if not slides.page_that_way(conference_id, delta):
        return False
    try:
        slides.turn_page(conference_id, delta)
    except Conflict as error:
        if error.code not in ("no_page", "no_slides"):
            raise
        return False  # another press took the last page or left the place meanwhile: this one moves on
    return True
