"""The quorum (is the conference valid?) and why the absent are absent (docs/OFFICE.md, docs/DOOR.md).

A conference is valid when enough of those summoned are present: more than half, or two thirds,
as its rule says (Conference.quorum_rule). Those summoned are the delegates on the list; a walk-in
(added at the door) was not summoned, so counts on neither side. An absence may carry a reason,
có lý do or không lý do, with a short note, entered at the door or the office; a delegate who
checks in later is present, whatever their absence said (the reason is kept, it just no longer
counts).
"""
from __future__ import annotations

import sqlalchemy as sa

from conference.core.db import db, write_transaction
from conference.core.errors import N_, ConferenceError
from conference.core.fields import bounded_text
from conference.core.models import CheckIn, Conference, Delegate
from conference.core.state import bump_version
from .roster import attendance, get_delegate

MORE_THAN_HALF, TWO_THIRDS = "more_than_half", "two_thirds"
RULES = {MORE_THAN_HALF: N_("Quá nửa số đại biểu được triệu tập"),
         TWO_THIRDS: N_("Ít nhất hai phần ba số đại biểu được triệu tập")}
EXCUSED, UNEXCUSED = "excused", "unexcused"
REASONS = {EXCUSED: N_("Vắng có lý do"), UNEXCUSED: N_("Vắng không lý do")}
MAX_NOTE = 200


def needed(rule: str, summoned: int) -> int:
    """How many must be present: more than half is half plus one (rounded down), two thirds rounded up."""
    if rule == TWO_THIRDS:
        return -(-2 * summoned // 3)
    return summoned // 2 + 1


def quorum(conference_id: int) -> dict:
    """{rule, summoned, present, needed, met}: one query, as it is part of every snapshot."""
    rule = db.session.scalar(sa.select(Conference.quorum_rule).where(Conference.id == conference_id))
    rule = rule if rule in RULES else MORE_THAN_HALF
    summoned, present = db.session.execute(
        sa.select(sa.func.count(Delegate.id), sa.func.count(CheckIn.id))
        .select_from(Delegate).outerjoin(CheckIn, CheckIn.delegate_id == Delegate.id)
        .where(Delegate.conference_id == conference_id, Delegate.walk_in.is_(False))).one()
    need = needed(rule, summoned)
    # Nobody summoned yet: nothing to be valid about, so never "met".
    return {"rule": rule, "summoned": summoned, "present": present, "needed": need,
            "met": summoned > 0 and present >= need}


def parse_rule(value: object) -> str | None:
    """A rule sent by the office's form; None (not sent) leaves the conference's as it is."""
    if value is None:
        return None
    if not isinstance(value, str) or value not in RULES:
        raise ConferenceError("invalid_quorum_rule", "Quy định về số đại biểu cần có mặt không hợp lệ.")
    return value


def parse_absence(reason: object, note: object) -> tuple[str | None, str | None]:
    """(reason, note) checked: a reason of REASONS or none (empty clears it); a note needs a reason."""
    if reason in (None, ""):
        reason = None
    elif not isinstance(reason, str) or reason not in REASONS:  # a list or an object is no reason either
        raise ConferenceError("invalid_absence_reason", "Lý do vắng mặt không hợp lệ: chọn có lý do hoặc "
                              "không lý do.")
    text = bounded_text(note, MAX_NOTE, N_("Ghi chú vắng mặt"), "absence_note")
    return reason, text if reason else None


def set_absence(conference_id: int, delegate_id: object, reason: object, note: object) -> Delegate:
    """Record why a delegate is absent (or clear it); refused before anything is written."""
    reason, text = parse_absence(reason, note)
    with write_transaction():
        delegate = get_delegate(conference_id, delegate_id)
        delegate.absence_reason, delegate.absence_note = reason, text
        bump_version(conference_id)
    return delegate


def attendance_with_quorum(conference_id: int) -> dict:
    """roster.attendance with its "quorum": what the snapshot and the office's dashboard show."""
    return {**attendance(conference_id), "quorum": quorum(conference_id)}
