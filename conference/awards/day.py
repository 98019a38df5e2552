"""The awards on the day: who received (in person, nhận thay, or absent), and the log of it all
for the minutes. (The item-8 vote is a vote of conference/votes/.)

One file of the awards package, read in one sitting: what the MC and the office record while
the segment runs. The calling order and JSON shapes come from order.py; the input checks, the
honouree lookup and the race retry from common.py.

Every function that changes something runs in one write transaction and bumps the version, so
the MC, the projector and the office see it at once.
"""
from __future__ import annotations

from conference.core.db import utcnow, write_transaction
from conference.core.errors import Conflict, ConferenceError
from conference.core.fields import bounded_text
from conference.core.models import AwardPresentation, HonoureeKind
from conference.core.state import bump_version
from .common import LIMITS, get_honouree, once_more_on_race, presentations_of
from .order import calling_order, honouree_json

OUTCOMES = ("received", "proxy", "absent")


def record_presentation(conference_id: int, honouree_id: object, outcome: object,
                        received_by: object = None, confirm: object = False) -> AwardPresentation:
    """Received (by the person, or a collective's representative), nhận thay by a named proxy, or absent.
    "Received" for an honouree whose delegate the door has not admitted asks first: 409
    not_checked_in unless confirm is true (a mistaken tap must not put a false "received" in the minutes)."""
    if outcome not in OUTCOMES:
        raise ConferenceError("invalid_outcome", "Kết quả phải là received, proxy hoặc absent.")
    if not isinstance(confirm, bool):
        raise ConferenceError("invalid_confirm", "“confirm” phải là true hoặc false.")
    name = bounded_text(received_by, LIMITS["received_by"], "received_by", "received_by", numbers=True)
    return once_more_on_race(lambda: _record(conference_id, honouree_id, outcome, name, confirm))


def _record(conference_id: int, honouree_id: object, outcome: str, name: str | None,
            confirm: bool = False) -> AwardPresentation:
    with write_transaction() as session:
        honouree = get_honouree(conference_id, honouree_id)
        if outcome == "received" and not confirm and honouree.delegate is not None \
                and honouree.delegate.checkin is None:
            raise ConferenceError("not_checked_in", "Cửa chưa ghi nhận đại biểu này có mặt; xác nhận nếu "
                                  "họ đã nhận trực tiếp.", 409)
        if outcome == "proxy":
            name = name or honouree.proxy_name
            if not name:
                raise ConferenceError("missing_proxy_name", "Cần ghi tên người nhận thay.", 422)
        elif outcome == "received":
            if name is None and honouree.kind == HonoureeKind.COLLECTIVE:
                name = honouree.delegate.full_name if honouree.delegate else None
            elif name is None:
                name = honouree.name
        else:
            name = None
        presentation = presentations_of([honouree.id]).get(honouree.id)
        if presentation is None:
            presentation = AwardPresentation(honouree_id=honouree.id)
            session.add(presentation)
        now = utcnow()
        presentation.called_at = presentation.called_at or now
        presentation.outcome, presentation.received_by, presentation.recorded_at = outcome, name, now
        bump_version(conference_id)
    return presentation


def clear_presentation(conference_id: int, honouree_id: object) -> None:
    """Undo an outcome recorded by mistake; the time the honouree was called stays in the log."""
    with write_transaction():
        honouree = get_honouree(conference_id, honouree_id)
        presentation = presentations_of([honouree.id]).get(honouree.id)
        if presentation is None or presentation.outcome is None:
            raise Conflict("nothing_recorded", "Chưa ghi nhận kết quả nào cho mục này.")
        presentation.outcome = presentation.received_by = presentation.recorded_at = None
        bump_version(conference_id)


def presentation_log(conference_id: int) -> list[dict]:
    """For the minutes: every honouree in calling order with when they were called and who received."""
    rows = []
    for announcement in calling_order(conference_id):
        presentations = presentations_of([h.id for h in announcement.honourees])
        for honouree in announcement.honourees:
            rows.append({**honouree_json(honouree, presentations.get(honouree.id)),
                         "announcement": announcement.index, "form": announcement.decision.form.name,
                         "decision_number": announcement.decision.number})
    return rows
