"""The awards segment (item 5) as the screens see it: the calling order, the JSON shapes, stepping.

Calling order (NĐ 145/2013 and practice): forms from the highest rank to the lowest; within a
form, collectives before individuals; then decision order, then the order written in the
decision; a hand-set call_order overrides all of it. Each run of the same decision and kind is
split into batches that fit on the stage (Conference.award_batch_size).

The rest of the awards lives beside this module, one concern a file (see __init__.py); what they
share is in common.py.

Every function that changes something runs in one write transaction and bumps the version, so
the MC, the projector and the office see it at once.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from conference.core.db import db, utcnow, write_transaction
from conference.core.errors import ConferenceError, MovedElsewhere
from conference.core.models import (AwardDecision, AwardForm, AwardPresentation, Conference, Delegate, Honouree,
                                    HonoureeKind)
from conference.core.state import bump_version, locked_show_state, show_state
from .common import get_honouree, once_more_on_race, presentations_of


# --- the calling order -------------------------------------------------------------------------

@dataclass
class Announcement:
    index: int
    decision: AwardDecision
    kind: HonoureeKind
    honourees: list[Honouree]


def _sort_key(honouree: Honouree) -> tuple:
    decision = honouree.decision
    natural = (-decision.form.rank, honouree.kind != HonoureeKind.COLLECTIVE,
               decision.position, decision.id, honouree.position, honouree.id)
    return (honouree.call_order if honouree.call_order is not None else float("inf"), natural)


def all_honourees(conference_id: int) -> list[Honouree]:
    return list(db.session.scalars(
        sa.select(Honouree).join(Honouree.decision).where(AwardDecision.conference_id == conference_id)
        .options(sa.orm.joinedload(Honouree.decision).joinedload(AwardDecision.form),
                 sa.orm.joinedload(Honouree.delegate).selectinload(Delegate.checkin))))


def calling_order(conference_id: int) -> list[Announcement]:
    """The announcements in the order they are called, each one batch of one decision and kind."""
    honourees = sorted(all_honourees(conference_id), key=_sort_key)
    conference = db.session.get(Conference, conference_id)
    batch = max(1, conference.award_batch_size if conference else 6)
    announcements: list[Announcement] = []
    for honouree in honourees:
        last = announcements[-1] if announcements else None
        if (last and last.decision.id == honouree.decision_id and last.kind == honouree.kind
                and len(last.honourees) < batch):
            last.honourees.append(honouree)
        else:
            announcements.append(Announcement(len(announcements), honouree.decision, honouree.kind, [honouree]))
    return announcements


# --- JSON shapes -------------------------------------------------------------------------------

def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def decision_text(decision: AwardDecision, honourees: list[Honouree] | None = None) -> str:
    """ "Quyết định số 12/QĐ-UBND ngày 25/02/2020 của Chủ tịch UBND phường tặng Giấy khen cho 4 tập thể, 8 cá nhân, vì: …" """
    people = honourees if honourees is not None else decision.honourees
    collectives = sum(1 for h in people if h.kind == HonoureeKind.COLLECTIVE)
    individuals = len(people) - collectives
    counted = ", ".join(part for part in (f"{collectives} tập thể" if collectives else "",
                                          f"{individuals} cá nhân" if individuals else "") if part)
    signed = f" ngày {decision.signed_on:%d/%m/%Y}" if decision.signed_on else ""
    reason = f", vì: {decision.reason}" if decision.reason else ""
    return f"Quyết định số {decision.number}{signed} của {decision.issuer} tặng {decision.form.name} cho {counted}{reason}"


def honouree_json(honouree: Honouree, presentation: AwardPresentation | None = None) -> dict:
    """present: true/false from the door check-in of the delegate who is (or represents) them; null if none."""
    delegate = honouree.delegate
    present = None if delegate is None else delegate.checkin is not None
    collective = honouree.kind == HonoureeKind.COLLECTIVE
    return {"id": honouree.id, "name": honouree.name, "kind": honouree.kind.value, "unit": honouree.unit,
            "citation": honouree.citation, "present": present,
            "representative": delegate.full_name if delegate and collective else None,
            "delegate_id": honouree.delegate_id, "delegate_name": delegate.full_name if delegate else None,
            "proxy_name": honouree.proxy_name, "decision_id": honouree.decision_id,
            "position": honouree.position, "call_order": honouree.call_order,
            "called_at": _time(presentation.called_at) if presentation else None,
            "outcome": presentation.outcome if presentation else None,
            "received_by": presentation.received_by if presentation else None,
            "recorded_at": _time(presentation.recorded_at) if presentation else None}


def honouree_view(conference_id: int, honouree_id: object) -> dict:
    """One honouree with what was recorded for them."""
    honouree = get_honouree(conference_id, honouree_id)
    return honouree_json(honouree, presentations_of([honouree.id]).get(honouree.id))


def decision_json(decision: AwardDecision) -> dict:
    return {"id": decision.id, "number": decision.number, "issuer": decision.issuer,
            "signed_on": decision.signed_on.isoformat() if decision.signed_on else None,
            "reason": decision.reason, "text": decision_text(decision), "position": decision.position,
            "form": form_json(decision.form)}


def form_json(form: AwardForm) -> dict:
    return {"id": form.id, "name": form.name, "rank": form.rank, "kind": form.kind}


def announcement_json(announcement: Announcement, total: int) -> dict:
    decision = announcement.decision
    presentations = presentations_of([h.id for h in announcement.honourees])
    return {"index": announcement.index, "total": total, "form": decision.form.name,
            "decision": {"id": decision.id, "number": decision.number, "issuer": decision.issuer,
                         "signed_on": decision.signed_on.isoformat() if decision.signed_on else None,
                         "reason": decision.reason, "text": decision_text(decision)},
            "kind": announcement.kind.value,
            "honourees": [honouree_json(h, presentations.get(h.id)) for h in announcement.honourees]}


# --- stepping (two-step reveal) ------------------------------------------------------------------

def parse_award_from_place(from_place: object) -> tuple[int | None, bool] | None:
    """The awards cursor a press was made on, {"index": int|null, "reveal": bool}, or None if not sent."""
    if from_place is None:
        return None
    index = from_place.get("index") if isinstance(from_place, dict) else False
    if (not isinstance(from_place, dict) or not isinstance(from_place.get("reveal", False), bool)
            or not (index is None or (isinstance(index, int) and not isinstance(index, bool)))):
        raise ConferenceError("invalid_from", "“from” phải là {\"index\": số|null, \"reveal\": true|false}.")
    return index, from_place.get("reveal", False)


def _award_place(state, total: int) -> tuple[int | None, bool]:
    """The cursor as the snapshot shows it (past the end is the end)."""
    if state.award_index is None:
        return None, False
    return (total, False) if state.award_index >= total else (state.award_index, state.award_reveal)


def _step(conference_id: int, forward: bool, from_place=None, by: str | None = None) -> None:
    """Each announcement has two steps: the decision, then the names (a two-step reveal).
    A press made on a cursor already left is refused, as for the show (show/moves.py)."""
    with write_transaction() as session:
        state = locked_show_state(conference_id)
        order = calling_order(conference_id)
        total = len(order)
        from_place = parse_award_from_place(from_place)
        if from_place is not None and from_place != _award_place(state, total):
            raise MovedElsewhere(state.moved_by)
        places = [(i, reveal) for i in range(total) for reveal in (False, True)] + [(total, False)]
        here = (state.award_index, state.award_reveal) if state.award_index is not None else None
        if here is not None and here not in places:  # the order shrank under us: resume at its end
            here = (total, False)
        index = places.index(here) if here is not None else None
        if forward:
            target = 0 if index is None else min(index + 1, len(places) - 1)
        else:
            target = None if index in (None, 0) else index - 1
        if target == index:
            return
        state.award_index, state.award_reveal = places[target] if target is not None else (None, False)
        state.moved_by = by
        if state.award_reveal:
            _mark_called(session, order[state.award_index])
        bump_version(conference_id)


def _mark_called(session, announcement: Announcement) -> None:
    """The first time a batch's names are shown, each honouree is logged as called."""
    known = presentations_of([h.id for h in announcement.honourees])
    for honouree in announcement.honourees:
        presentation = known.get(honouree.id)
        if presentation is None:
            session.add(AwardPresentation(honouree_id=honouree.id, called_at=utcnow()))
        elif presentation.called_at is None:
            presentation.called_at = utcnow()


def reopen_last_batch(conference_id: int) -> None:
    """Coming back to the awards after their end shows the last batch, names shown, again (inside
    the caller's transaction): Next then ends the awards again, instead of leaving the item at once."""
    state = show_state(conference_id)
    total = len(calling_order(conference_id))
    if total and state.award_index is not None and state.award_index >= total:
        state.award_index, state.award_reveal = total - 1, True


def next_announcement(conference_id: int, from_place: object = None, by: str | None = None) -> None:
    once_more_on_race(lambda: _step(conference_id, forward=True, from_place=from_place, by=by))


def previous_announcement(conference_id: int, from_place: object = None, by: str | None = None) -> None:
    once_more_on_race(lambda: _step(conference_id, forward=False, from_place=from_place, by=by))


def award_snapshot(conference_id: int) -> dict | None:
    state = show_state(conference_id)
    if state.award_index is None:
        return None
    order = calling_order(conference_id)
    if state.award_index >= len(order):
        return {"index": len(order), "total": len(order), "finished": True, "form": None,
                "honourees": [], "reveal": False}
    body = announcement_json(order[state.award_index], len(order))
    body["reveal"] = state.award_reveal
    body["finished"] = False
    return body
