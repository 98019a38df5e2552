"""The secretary's notes (thư ký): per agenda item, what was said and decided, who spoke and the
chair's conclusions, typed during the day on /admin/notes and saved as they are typed. They are
the minutes' diễn biến under each item (minutes.py).
"""
from __future__ import annotations

import re
import unicodedata


from conference.core.db import write_transaction
from conference.core.errors import ConferenceError
from conference.core.models import AgendaItem
from conference.show import agenda

MAX_NOTES = 20000
# Control characters other than line breaks and tabs, and lone surrogates: never part of a note.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def agenda_with_notes(conference_id: int) -> list[AgendaItem]:
    return agenda.items(conference_id)


def clean_notes(value: object) -> str | None:
    """Lines kept as typed (NFC, \\n line ends, no control characters); empty is None."""
    if value is not None and not isinstance(value, str):
        raise ConferenceError("invalid_field", "Ghi chép không hợp lệ.")
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", (value or "").replace("\r\n", "\n").replace("\r", "\n")))
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
