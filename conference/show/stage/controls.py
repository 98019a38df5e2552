"""What the MC sets for the stage: a message to the speaker at the lectern, the overlay on or off."""
from __future__ import annotations

from conference.core.db import write_transaction
from conference.core.errors import N_, ConferenceError
from conference.core.fields import bounded_text
from conference.core.state import bump_version
from .cues import stage_state

MAX_LECTERN_MESSAGE = 200


def set_lectern_message(conference_id: int, message: object) -> None:
    """A line for the speaker only ("Xin đồng chí tóm tắt"), shown on the lectern timer; None clears it."""
    text = bounded_text(message, MAX_LECTERN_MESSAGE, N_("Lời nhắn cho người phát biểu"), "lectern_message")
    with write_transaction():
        stage_state(conference_id).lectern_message = text
        bump_version(conference_id)


def set_overlay(conference_id: int, hidden: object) -> None:
    """Hide the stream overlay (true) or let it show again (false): it shows while someone is on stage."""
    if not isinstance(hidden, bool):
        raise ConferenceError("invalid_overlay", "“hidden” phải là true hoặc false.")
    with write_transaction():
        stage_state(conference_id).overlay_hidden = hidden
        bump_version(conference_id)
