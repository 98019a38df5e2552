"""The secretary's notes (thư ký): per agenda item, what was said and decided, who spoke and the
chair's conclusions, typed during the day on /admin/notes and saved as they are typed. They are
the minutes' diễn biến under each item (minutes.py).
"""
from __future__ import annotations

from conference.core.db import write_transaction
from conference.core.errors import ConferenceError
from conference.core.models import AgendaItem
from conference.core.textnorm import clean_lines
from conference.show import agenda

MAX_NOTES = 20000


def agenda_with_notes(conference_id: int) -> list[AgendaItem]:
    return agenda.items(conference_id)


def clean_notes(value: object) -> str | None:
    """Lines kept as typed (NFC, \\n line ends, no control nor invisible format characters: a direction
    override or a zero-width space would reach the minutes); empty is None."""
    if value is not None and not isinstance(value, str):
        raise ConferenceError("invalid_field", "Ghi chép không hợp lệ.")
    text = clean_lines(value)
    if len(text) > MAX_NOTES:
        raise ConferenceError("field_too_long", "Ghi chép dài quá %(limit)d ký tự.", limit=MAX_NOTES)
    return text if text.strip() else None


def save_notes(conference_id: int, item_id: int, value: object) -> AgendaItem:
    """Store what the secretary has typed for the item so far (the whole text, each time)."""
    notes = clean_notes(value)
    with write_transaction():
        item = agenda.get_item(conference_id, item_id)
        item.notes = notes
    return item
