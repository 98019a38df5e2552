"""The awards segment: the calling order and stepping through it.

Calling order (NĐ 145/2013 and practice): forms from the highest rank to the lowest; within a
form, collectives before individuals; then decision order, then the order written in the
decision; a hand-set call_order overrides all of it. Each run of the same decision and kind is
split into batches that fit on the stage.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..db import db, utcnow, write_transaction
from ..models import AwardDecision, AwardPresentation, Conference, Honouree, HonoureeKind
from .state import bump_version, show_state


@dataclass
class Announcement:
    index: int
    decision: AwardDecision
    kind: HonoureeKind
    honourees: list[Honouree]


def _sort_key(honouree: Honouree) -> tuple:
    decision = honouree.decision
    natural = (-decision.form.rank, honouree.kind != HonoureeKind.COLLECTIVE,
               decision.position, honouree.position)
    return (honouree.call_order if honouree.call_order is not None else float("inf"), natural)


def calling_order(conference_id: int) -> list[Announcement]:
    honourees = list(db.session.scalars(
        sa.select(Honouree).join(Honouree.decision).where(AwardDecision.conference_id == conference_id)
        .options(sa.orm.joinedload(Honouree.decision).joinedload(AwardDecision.form))))
    honourees.sort(key=_sort_key)
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


def honouree_json(honouree: Honouree) -> dict:
    delegate = honouree.delegate
    present = None
    if delegate is not None:
        present = delegate.checkin is not None
    return {"id": honouree.id, "name": honouree.name, "kind": honouree.kind.value, "unit": honouree.unit,
            "citation": honouree.citation, "present": present,
            "representative": delegate.full_name if delegate and honouree.kind == HonoureeKind.COLLECTIVE else None,
            "delegate_id": honouree.delegate_id, "proxy_name": honouree.proxy_name}


def announcement_json(announcement: Announcement, total: int) -> dict:
    decision = announcement.decision
    return {"index": announcement.index, "total": total, "form": decision.form.name,
            "decision": {"id": decision.id, "number": decision.number, "issuer": decision.issuer,
                         "signed_on": decision.signed_on.isoformat() if decision.signed_on else None,
                         "reason": decision.reason, "text": decision_text(decision)},
            "kind": announcement.kind.value,
            "honourees": [honouree_json(h) for h in announcement.honourees]}


def _step(conference_id: int, forward: bool) -> None:
    """Each announcement has two steps: the decision, then the names (a two-step reveal)."""
    with write_transaction() as session:
        total = len(calling_order(conference_id))
        state = show_state(conference_id)
        places = [(i, reveal) for i in range(total) for reveal in (False, True)] + [(total, False)]
        here = (state.award_index, state.award_reveal) if state.award_index is not None else None
        index = places.index(here) if here in places else None
        if forward:
            target = 0 if index is None else min(index + 1, len(places) - 1)
        else:
            target = None if index in (None, 0) else index - 1
        if target == index:
            return
        state.award_index, state.award_reveal = places[target] if target is not None else (None, False)
        if state.award_reveal:
            _mark_called(session, conference_id, state.award_index)
        bump_version(conference_id)


def _mark_called(session, conference_id: int, index: int) -> None:
    for honouree in calling_order(conference_id)[index].honourees:
        presentation = session.scalar(sa.select(AwardPresentation)
                                      .where(AwardPresentation.honouree_id == honouree.id))
        if presentation is None:
            session.add(AwardPresentation(honouree_id=honouree.id, called_at=utcnow()))
        elif presentation.called_at is None:
            presentation.called_at = utcnow()


def next_announcement(conference_id: int) -> None:
    _step(conference_id, forward=True)


def previous_announcement(conference_id: int) -> None:
    _step(conference_id, forward=False)


def award_snapshot(conference_id: int) -> dict | None:
    state = show_state(conference_id)
    if state.award_index is None:
        return None
    order = calling_order(conference_id)
    if state.award_index >= len(order):
        return {"index": state.award_index, "total": len(order), "finished": True, "form": None,
                "honourees": [], "reveal": False}
    body = announcement_json(order[state.award_index], len(order))
    body["reveal"] = state.award_reveal
    body["finished"] = False
    return body
