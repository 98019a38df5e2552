"""The awards segment (item 5) and the item-8 vote: calling order, stepping, who received, set-up.

Calling order (NĐ 145/2013 and practice): forms from the highest rank to the lowest; within a
form, collectives before individuals; then decision order, then the order written in the
decision; a hand-set call_order overrides all of it. Each run of the same decision and kind is
split into batches that fit on the stage (Conference.award_batch_size).

Every function that changes something runs in one write transaction and bumps the version, so
the MC, the projector and the office see it at once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..db import db, utcnow, write_transaction
from ..errors import Conflict, ConferenceError, NotFound
from ..models import (AwardDecision, AwardForm, AwardPresentation, CheckIn, Conference, Delegate,
                      Honouree, HonoureeKind, Vote)
from ..textnorm import clean, fold
from .importer import HEADER_SEARCH_ROWS, ImportFailed, ImportResult, RowError, read_table
from .state import bump_version, get_conference, show_state

OUTCOMES = ("received", "proxy", "absent")
FORM_KINDS = ("form", "title")
MAX_BATCH = 40
LIMITS = {"name": 200, "unit": 200, "citation": 4000, "proxy_name": 120, "received_by": 120,
          "number": 60, "issuer": 200, "reason": 4000, "form_name": 200}


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


def _honourees(conference_id: int) -> list[Honouree]:
    return list(db.session.scalars(
        sa.select(Honouree).join(Honouree.decision).where(AwardDecision.conference_id == conference_id)
        .options(sa.orm.joinedload(Honouree.decision).joinedload(AwardDecision.form),
                 sa.orm.joinedload(Honouree.delegate).selectinload(Delegate.checkin))))


def calling_order(conference_id: int) -> list[Announcement]:
    """The announcements in the order they are called, each one batch of one decision and kind."""
    honourees = sorted(_honourees(conference_id), key=_sort_key)
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


def _presentations(honouree_ids: list[int]) -> dict[int, AwardPresentation]:
    if not honouree_ids:
        return {}
    found = db.session.scalars(sa.select(AwardPresentation).where(AwardPresentation.honouree_id.in_(honouree_ids)))
    return {p.honouree_id: p for p in found}


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
    return honouree_json(honouree, _presentations([honouree.id]).get(honouree.id))


def decision_json(decision: AwardDecision) -> dict:
    return {"id": decision.id, "number": decision.number, "issuer": decision.issuer,
            "signed_on": decision.signed_on.isoformat() if decision.signed_on else None,
            "reason": decision.reason, "text": decision_text(decision), "position": decision.position,
            "form": form_json(decision.form)}


def form_json(form: AwardForm) -> dict:
    return {"id": form.id, "name": form.name, "rank": form.rank, "kind": form.kind}


def announcement_json(announcement: Announcement, total: int) -> dict:
    decision = announcement.decision
    presentations = _presentations([h.id for h in announcement.honourees])
    return {"index": announcement.index, "total": total, "form": decision.form.name,
            "decision": {"id": decision.id, "number": decision.number, "issuer": decision.issuer,
                         "signed_on": decision.signed_on.isoformat() if decision.signed_on else None,
                         "reason": decision.reason, "text": decision_text(decision)},
            "kind": announcement.kind.value,
            "honourees": [honouree_json(h, presentations.get(h.id)) for h in announcement.honourees]}


# --- stepping (two-step reveal) ------------------------------------------------------------------

def _step(conference_id: int, forward: bool) -> None:
    """Each announcement has two steps: the decision, then the names (a two-step reveal)."""
    with write_transaction() as session:
        order = calling_order(conference_id)
        total = len(order)
        state = show_state(conference_id)
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
        if state.award_reveal:
            _mark_called(session, order[state.award_index])
        bump_version(conference_id)


def _mark_called(session, announcement: Announcement) -> None:
    """The first time a batch's names are shown, each honouree is logged as called."""
    known = _presentations([h.id for h in announcement.honourees])
    for honouree in announcement.honourees:
        presentation = known.get(honouree.id)
        if presentation is None:
            session.add(AwardPresentation(honouree_id=honouree.id, called_at=utcnow()))
        elif presentation.called_at is None:
            presentation.called_at = utcnow()


def _once_more_on_race(action):
    """Two writers may both log the first call of an honouree (unique key): the retry sees the winner."""
    try:
        return action()
    except IntegrityError:
        return action()


def next_announcement(conference_id: int) -> None:
    _once_more_on_race(lambda: _step(conference_id, forward=True))


def previous_announcement(conference_id: int) -> None:
    _once_more_on_race(lambda: _step(conference_id, forward=False))


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


# --- input checks ------------------------------------------------------------------------------

def _int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConferenceError(f"invalid_{name}", f"“{name}” phải là số nguyên.")
    return value


def _text(value: object, name: str, limit: int, required: bool = False) -> str | None:
    if isinstance(value, bool) or (value is not None and not isinstance(value, (str, int, float))):
        raise ConferenceError(f"invalid_{name}", f"“{name}” phải là chuỗi ký tự.")
    text = clean(value if value is None or isinstance(value, str) else _plain(value)) or None
    if required and not text:
        raise ConferenceError(f"missing_{name}", f"Thiếu “{name}”.")
    if text and len(text) > limit:
        raise ConferenceError(f"{name}_too_long", f"“{name}” dài quá {limit} ký tự.")
    return text


def _plain(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _date(value: object) -> date | None:
    """ISO (2020-02-25), Vietnamese (25/02/2020) or a spreadsheet date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
    raise ConferenceError("invalid_signed_on", "Ngày ký phải có dạng 25/02/2020 hoặc 2020-02-25.")


def parse_kind(value: object) -> HonoureeKind:
    folded = fold(value) if isinstance(value, str) else ""
    if folded in ("tap the", "collective", "tt"):
        return HonoureeKind.COLLECTIVE
    if folded in ("ca nhan", "individual", "cn"):
        return HonoureeKind.INDIVIDUAL
    raise ConferenceError("invalid_kind", "Loại phải là “tập thể” hoặc “cá nhân”.")


def _data(data: object) -> dict:
    if not isinstance(data, dict):
        raise ConferenceError("invalid_json", "Nội dung yêu cầu phải là một đối tượng JSON.")
    return data


# --- lookups inside one conference -------------------------------------------------------------

def get_honouree(conference_id: int, honouree_id: object) -> Honouree:
    honouree = db.session.get(Honouree, _int(honouree_id, "honouree_id"))
    if honouree is None or honouree.decision.conference_id != conference_id:
        raise NotFound("unknown_honouree", "Không tìm thấy người/tập thể được khen thưởng.")
    return honouree


def get_decision(conference_id: int, decision_id: object) -> AwardDecision:
    decision = db.session.get(AwardDecision, _int(decision_id, "decision_id"))
    if decision is None or decision.conference_id != conference_id:
        raise NotFound("unknown_decision", "Không tìm thấy quyết định khen thưởng.")
    return decision


def get_form(conference_id: int, form_id: object) -> AwardForm:
    form = db.session.get(AwardForm, _int(form_id, "form_id"))
    if form is None or form.conference_id != conference_id:
        raise NotFound("unknown_form", "Không có hình thức khen thưởng này trong danh mục.")
    return form


def _delegate(conference_id: int, delegate_id: object) -> Delegate | None:
    if delegate_id is None:
        return None
    delegate = db.session.get(Delegate, _int(delegate_id, "delegate_id"))
    if delegate is None or delegate.conference_id != conference_id:
        raise NotFound("unknown_delegate", "Không tìm thấy đại biểu.")
    return delegate


def forms(conference_id: int) -> list[AwardForm]:
    return list(db.session.scalars(sa.select(AwardForm).where(AwardForm.conference_id == conference_id)
                                   .order_by(AwardForm.rank.desc(), AwardForm.name)))


def decisions(conference_id: int) -> list[AwardDecision]:
    return list(db.session.scalars(
        sa.select(AwardDecision).where(AwardDecision.conference_id == conference_id)
        .options(sa.orm.selectinload(AwardDecision.honourees).joinedload(Honouree.delegate)
                 .selectinload(Delegate.checkin))
        .order_by(AwardDecision.position, AwardDecision.id)))


def catalogue_json(conference_id: int) -> dict:
    """Everything the office edits: forms, decisions with their honourees, the batch size."""
    found = decisions(conference_id)
    presentations = _presentations([h.id for d in found for h in d.honourees])
    return {"forms": [form_json(f) for f in forms(conference_id)],
            "batch_size": get_conference(conference_id).award_batch_size,
            "decisions": [{**decision_json(d),
                           "honourees": [honouree_json(h, presentations.get(h.id)) for h in d.honourees]}
                          for d in found]}


# --- the day: who received, planned proxies, the vote ------------------------------------------

def record_presentation(conference_id: int, honouree_id: object, outcome: object,
                        received_by: object = None) -> AwardPresentation:
    """Received (by the person, or a collective's representative), nhận thay by a named proxy, or absent."""
    if outcome not in OUTCOMES:
        raise ConferenceError("invalid_outcome", "Kết quả phải là received, proxy hoặc absent.")
    name = _text(received_by, "received_by", LIMITS["received_by"])
    return _once_more_on_race(lambda: _record(conference_id, honouree_id, outcome, name))


def _record(conference_id: int, honouree_id: object, outcome: str, name: str | None) -> AwardPresentation:
    with write_transaction() as session:
        honouree = get_honouree(conference_id, honouree_id)
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
        presentation = _presentations([honouree.id]).get(honouree.id)
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
        presentation = _presentations([honouree.id]).get(honouree.id)
        if presentation is None or presentation.outcome is None:
            raise Conflict("nothing_recorded", "Chưa ghi nhận kết quả nào cho mục này.")
        presentation.outcome = presentation.received_by = presentation.recorded_at = None
        bump_version(conference_id)


def set_planned_proxy(conference_id: int, honouree_id: object, proxy_name: object) -> Honouree:
    """Who will receive in place of an honouree known to be absent (None clears it)."""
    name = _text(proxy_name, "proxy_name", LIMITS["proxy_name"])
    with write_transaction():
        honouree = get_honouree(conference_id, honouree_id)
        honouree.proxy_name = name
        bump_version(conference_id)
    return honouree


def present_count(conference_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count(CheckIn.id)).where(CheckIn.conference_id == conference_id))


def record_vote(conference_id: int, agreed: object):
    """Item 8: tán thành x / y, where y is the number checked in at the door right now."""
    agreed = _int(agreed, "agreed")
    with write_transaction() as session:
        get_conference(conference_id)
        present = present_count(conference_id)
        if not 0 <= agreed <= present:
            raise ConferenceError("invalid_agreed",
                                  f"Số tán thành phải từ 0 đến {present} (số đại biểu có mặt).", 422)
        vote = Vote(conference_id=conference_id, agreed=agreed, present=present, recorded_at=utcnow())
        session.add(vote)
        bump_version(conference_id)
    return vote


def presentation_log(conference_id: int) -> list[dict]:
    """For the minutes: every honouree in calling order with when they were called and who received."""
    rows = []
    for announcement in calling_order(conference_id):
        presentations = _presentations([h.id for h in announcement.honourees])
        for honouree in announcement.honourees:
            rows.append({**honouree_json(honouree, presentations.get(honouree.id)),
                         "announcement": announcement.index, "form": announcement.decision.form.name,
                         "decision_number": announcement.decision.number})
    return rows


# --- set-up: forms, decisions, honourees, order, batch size ----------------------------------

def create_form(conference_id: int, data: object) -> AwardForm:
    data = _data(data)
    with write_transaction() as session:
        get_conference(conference_id)
        form = AwardForm(conference_id=conference_id)
        _apply_form(conference_id, form, data, creating=True)
        session.add(form)
        session.flush()
        bump_version(conference_id)
    return form


def update_form(conference_id: int, form_id: object, data: object) -> AwardForm:
    data = _data(data)
    with write_transaction():
        form = get_form(conference_id, form_id)
        _apply_form(conference_id, form, data, creating=False)
        bump_version(conference_id)
    return form


def delete_form(conference_id: int, form_id: object) -> None:
    with write_transaction() as session:
        form = get_form(conference_id, form_id)
        used = session.scalar(sa.select(sa.func.count(AwardDecision.id)).where(AwardDecision.form_id == form.id))
        if used:
            raise Conflict("form_in_use", f"Hình thức này đang dùng trong {used} quyết định.")
        session.delete(form)
        bump_version(conference_id)


def _apply_form(conference_id: int, form: AwardForm, data: dict, creating: bool) -> None:
    if creating or "name" in data:
        name = _text(data.get("name"), "name", LIMITS["form_name"], required=True)
        clash = db.session.scalar(sa.select(AwardForm.id).where(
            AwardForm.conference_id == conference_id, AwardForm.id != (form.id or 0),
            sa.func.lower(AwardForm.name) == name.lower()))
        if clash:
            raise Conflict("duplicate_form", f"Đã có hình thức “{name}”.")
        form.name = name
    if creating or "rank" in data:
        form.rank = _int(data.get("rank"), "rank")
    if creating or "kind" in data:
        kind = data.get("kind") or "form"
        if kind not in FORM_KINDS:
            raise ConferenceError("invalid_kind", "Loại phải là “form” (hình thức) hoặc “title” (danh hiệu).")
        form.kind = kind


def create_decision(conference_id: int, data: object) -> AwardDecision:
    data = _data(data)
    with write_transaction() as session:
        get_conference(conference_id)
        decision = AwardDecision(conference_id=conference_id, position=_next_decision_position(conference_id))
        _apply_decision(conference_id, decision, data, creating=True)
        session.add(decision)
        session.flush()
        bump_version(conference_id)
    return decision


def update_decision(conference_id: int, decision_id: object, data: object) -> AwardDecision:
    data = _data(data)
    with write_transaction():
        decision = get_decision(conference_id, decision_id)
        _apply_decision(conference_id, decision, data, creating=False)
        bump_version(conference_id)
    return decision


def delete_decision(conference_id: int, decision_id: object) -> None:
    """The decision goes with its honourees and their log entries."""
    with write_transaction() as session:
        session.delete(get_decision(conference_id, decision_id))
        bump_version(conference_id)


def _next_decision_position(conference_id: int) -> int:
    last = db.session.scalar(sa.select(sa.func.max(AwardDecision.position))
                             .where(AwardDecision.conference_id == conference_id))
    return (last or 0) + 1


def _apply_decision(conference_id: int, decision: AwardDecision, data: dict, creating: bool) -> None:
    if creating or "number" in data:
        decision.number = _text(data.get("number"), "number", LIMITS["number"], required=True)
    if creating or "issuer" in data:
        decision.issuer = _text(data.get("issuer"), "issuer", LIMITS["issuer"], required=True)
    if "signed_on" in data:
        decision.signed_on = _date(data.get("signed_on"))
    if "reason" in data:
        decision.reason = _text(data.get("reason"), "reason", LIMITS["reason"])
    if creating or "form_id" in data:
        decision.form = get_form(conference_id, data.get("form_id"))
    if "position" in data:
        decision.position = _int(data.get("position"), "position")


def add_honouree(conference_id: int, decision_id: object, data: object) -> Honouree:
    data = _data(data)
    with write_transaction() as session:
        decision = get_decision(conference_id, decision_id)
        honouree = Honouree(position=_next_honouree_position(decision.id))
        _apply_honouree(conference_id, honouree, data, creating=True)
        honouree.decision = decision
        session.add(honouree)
        session.flush()
        bump_version(conference_id)
    return honouree


def update_honouree(conference_id: int, honouree_id: object, data: object) -> Honouree:
    data = _data(data)
    with write_transaction():
        honouree = get_honouree(conference_id, honouree_id)
        if "decision_id" in data and data["decision_id"] != honouree.decision_id:
            honouree.decision = get_decision(conference_id, data["decision_id"])
            honouree.position = _next_honouree_position(honouree.decision.id)
        _apply_honouree(conference_id, honouree, data, creating=False)
        bump_version(conference_id)
    return honouree


def delete_honouree(conference_id: int, honouree_id: object) -> None:
    with write_transaction() as session:
        honouree = get_honouree(conference_id, honouree_id)
        honouree.decision.honourees.remove(honouree)
        session.delete(honouree)
        bump_version(conference_id)


def _next_honouree_position(decision_id: int) -> int:
    last = db.session.scalar(sa.select(sa.func.max(Honouree.position)).where(Honouree.decision_id == decision_id))
    return (last or 0) + 1


def _apply_honouree(conference_id: int, honouree: Honouree, data: dict, creating: bool) -> None:
    if creating or "kind" in data:
        honouree.kind = parse_kind(data.get("kind"))
    if creating or "name" in data:
        honouree.name = _text(data.get("name"), "name", LIMITS["name"], required=True)
    for key in ("unit", "citation", "proxy_name"):
        if key in data:
            setattr(honouree, key, _text(data.get(key), key, LIMITS[key]))
    if "delegate_id" in data:
        delegate = _delegate(conference_id, data.get("delegate_id"))
        honouree.delegate_id = delegate.id if delegate else None
        honouree.delegate = delegate


def reorder(conference_id: int, honouree_ids: object) -> list[Announcement]:
    """Set the calling order by hand: every honouree of the conference once. [] returns to the rules."""
    if not isinstance(honouree_ids, list) or any(isinstance(i, bool) or not isinstance(i, int)
                                                 for i in honouree_ids):
        raise ConferenceError("invalid_order", "“honouree_ids” phải là danh sách số nguyên.")
    with write_transaction():
        honourees = {h.id: h for h in _honourees(conference_id)}
        if honouree_ids:
            if len(set(honouree_ids)) != len(honouree_ids):
                raise ConferenceError("duplicate_in_order", "Một người được khen thưởng xuất hiện hai lần.", 422)
            unknown = set(honouree_ids) - honourees.keys()
            if unknown:
                raise NotFound("unknown_honouree", f"Không có người/tập thể được khen thưởng số {min(unknown)}.")
            if len(honouree_ids) != len(honourees):
                raise ConferenceError("incomplete_order",
                                      "Thứ tự phải gồm tất cả người/tập thể được khen thưởng.", 422)
        for honouree in honourees.values():
            honouree.call_order = None
        for place, honouree_id in enumerate(honouree_ids):
            honourees[honouree_id].call_order = place
        bump_version(conference_id)
        order = calling_order(conference_id)
    return order


def set_batch_size(conference_id: int, size: object) -> int:
    """How many honourees go up to the stage together."""
    size = _int(size, "batch_size")
    if not 1 <= size <= MAX_BATCH:
        raise ConferenceError("invalid_batch_size", f"Số người mỗi lượt phải từ 1 đến {MAX_BATCH}.")
    with write_transaction():
        get_conference(conference_id).award_batch_size = size
        bump_version(conference_id)
    return size


# --- import honourees from a spreadsheet ------------------------------------------------------

IMPORT_MAX_ROWS = 2000
# Header text, folded and without anything in brackets -> field.
IMPORT_HEADERS = {
    "number": ("quyet dinh so", "so quyet dinh", "quyet dinh", "so qd", "qd so", "decision number",
               "decision", "decision no"),
    "form": ("hinh thuc", "hinh thuc khen thuong", "hinh thuc danh hieu", "danh hieu", "form", "award"),
    "kind": ("loai", "doi tuong", "tap the ca nhan", "kind", "type"),
    "name": ("ten", "ten tap the ca nhan", "ho va ten", "ho ten", "ten tap the", "name", "full name"),
    "unit": ("don vi", "co quan", "noi cong tac", "unit", "organisation", "organization"),
    "citation": ("thanh tich", "thanh tich tieu bieu", "citation", "achievement"),
    "representative": ("dai bieu nhan", "nguoi nhan", "dai dien", "dai dien nhan", "dai bieu",
                       "representative", "delegate"),
    "proxy": ("nhan thay", "nguoi nhan thay", "proxy"),
    "issuer": ("cap ban hanh", "nguoi ky", "co quan ban hanh", "cap quyet dinh", "issuer"),
    "signed_on": ("ngay ky", "ngay quyet dinh", "ngay", "signed on", "date"),
    "reason": ("ly do", "vi", "reason"),
}
_IMPORT_LOOKUP = {alias: key for key, aliases in IMPORT_HEADERS.items() for alias in aliases}
_REQUIRED_COLUMNS = ("number", "kind", "name")


def _header_key(cell: object) -> str:
    folded = re.sub(r"\(.*?\)", " ", fold(str(cell))) if cell is not None else ""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


def _find_award_header(rows) -> tuple[int, dict[int, str]]:
    """The first row, among the top ones, that names the decision, kind and name columns."""
    for index, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[int, str] = {}
        for column, cell in enumerate(cells):
            key = _IMPORT_LOOKUP.get(_header_key(cell))
            if key and key not in columns.values():
                columns[column] = key
        if set(_REQUIRED_COLUMNS) <= set(columns.values()):
            return index, columns
    raise ConferenceError("missing_header", "Không thấy dòng tiêu đề có các cột “Quyết định số”, "
                          "“Loại” (tập thể/cá nhân) và “Tên”.", 422)


class _Roster:
    """The conference's decisions, forms and delegates, for matching the rows of a file."""

    def __init__(self, conference_id: int):
        self.decisions = decisions(conference_id)
        self.forms = {fold(f.name): f for f in forms(conference_id)}
        self.exact: dict[str, list[Delegate]] = {}
        self.folded: dict[str, list[Delegate]] = {}
        for delegate in db.session.scalars(sa.select(Delegate).where(Delegate.conference_id == conference_id)):
            self.exact.setdefault(delegate.full_name, []).append(delegate)
            self.folded.setdefault(fold(delegate.full_name), []).append(delegate)
        self.new: dict[str, dict] = {}  # decisions the file will create, by folded number
        self.seen: dict[tuple, int] = {(d.id, h.kind, fold(h.name)): 0 for d in self.decisions for h in d.honourees}
        self.next_position = {d.id: max((h.position for h in d.honourees), default=0) + 1 for d in self.decisions}

    def delegate(self, name: str, required: bool) -> Delegate | None:
        for found in (self.exact.get(clean(name), []), [] if not required else self.folded.get(fold(name), [])):
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                if not required:
                    return None
                raise ConferenceError("ambiguous_delegate", f"có {len(found)} đại biểu tên “{clean(name)}”")
        if required:
            raise ConferenceError("unknown_delegate", f"không có đại biểu “{clean(name)}” trong danh sách đại biểu")
        return None

    def decision(self, values: dict, row: int) -> tuple[object, dict]:
        """(key, description) of the decision a row belongs to: an existing one, or one to create."""
        number = _cell(values, "number", "số quyết định", LIMITS["number"], required=True)
        issuer = _cell(values, "issuer", "cấp ban hành", LIMITS["issuer"])
        form_name = _cell(values, "form", "hình thức", LIMITS["form_name"])
        form = self.forms.get(fold(form_name)) if form_name else None
        if form_name and form is None:
            raise ConferenceError("unknown_form", f"không có hình thức “{form_name}” trong danh mục")
        matches = [d for d in self.decisions
                   if fold(d.number) == fold(number) and (not issuer or fold(d.issuer) == fold(issuer))]
        if len(matches) > 1 and form:
            matches = [d for d in matches if d.form_id == form.id]
        if len(matches) > 1:
            raise ConferenceError("ambiguous_decision",
                                  f"có {len(matches)} quyết định số {number}; ghi thêm cột “Cấp ban hành”")
        if matches:
            found = matches[0]
            if form and found.form_id != form.id:
                raise ConferenceError("form_mismatch", f"quyết định số {found.number} tặng “{found.form.name}”, "
                                      f"không phải “{form.name}”")
            return found.id, {"id": found.id, "number": found.number, "issuer": found.issuer,
                              "form": found.form.name, "new": False}
        return self._new_decision(values, number, issuer, form, row)

    def _new_decision(self, values, number, issuer, form, row) -> tuple[object, dict]:
        key = "new:" + fold(number)
        known = self.new.get(key)
        if known is None:
            if form is None:
                raise ConferenceError("missing_form", f"chưa có quyết định số {number}; cần cột “Hình thức”")
            if issuer is None:
                raise ConferenceError("missing_issuer", f"chưa có quyết định số {number}; cần cột “Cấp ban hành”")
            known = {"id": None, "number": number, "issuer": issuer, "form": form.name, "form_id": form.id,
                     "signed_on": _date(values.get("signed_on")),
                     "reason": _cell(values, "reason", "lý do", LIMITS["reason"]), "new": True, "row": row}
            self.new[key] = known
        elif (form and form.id != known["form_id"]) or (issuer and fold(issuer) != fold(known["issuer"])):
            raise ConferenceError("decision_mismatch",
                                  f"quyết định số {number} ghi khác với dòng {known['row']} (hình thức, cấp ban hành)")
        return key, {k: known[k] for k in ("id", "number", "issuer", "form", "new")}


def _cell(values: dict, key: str, label: str, limit: int, required: bool = False) -> str | None:
    value = values.get(key)
    text = clean(_plain(value)) if value is not None else ""
    if required and not text:
        raise ConferenceError(f"missing_{key}", f"thiếu {label}")
    if len(text) > limit:
        raise ConferenceError(f"{key}_too_long", f"{label} dài quá {limit} ký tự")
    return text or None


def _check_row(roster: _Roster, values: dict, row: int) -> dict:
    key, decision = roster.decision(values, row)
    kind_text = _cell(values, "kind", "loại (tập thể/cá nhân)", 40, required=True)
    try:
        kind = parse_kind(kind_text)
    except ConferenceError:
        raise ConferenceError("invalid_kind", f"loại “{kind_text}” phải là “tập thể” hoặc “cá nhân”") from None
    name = _cell(values, "name", "tên", LIMITS["name"], required=True)
    representative = _cell(values, "representative", "đại biểu nhận", 120)
    if representative:
        delegate = roster.delegate(representative, required=True)
    else:
        delegate = roster.delegate(name, required=False) if kind == HonoureeKind.INDIVIDUAL else None
    duplicate = (key, kind, fold(name))
    if duplicate in roster.seen:
        where = f"dòng {roster.seen[duplicate]}" if roster.seen[duplicate] else "danh sách hiện có"
        raise ConferenceError("duplicate_honouree", f"“{name}” đã có trong quyết định này ({where})")
    roster.seen[duplicate] = row
    return {"row": row, "decision": decision, "decision_key": key, "kind": kind.value, "name": name,
            "unit": _cell(values, "unit", "đơn vị", LIMITS["unit"]),
            "citation": _cell(values, "citation", "thành tích", LIMITS["citation"]),
            "proxy_name": _cell(values, "proxy", "người nhận thay", LIMITS["proxy_name"]),
            "delegate_id": delegate.id if delegate else None,
            "delegate_name": delegate.full_name if delegate else None}


def _check_table(conference_id: int, rows) -> tuple[ImportResult, _Roster]:
    header_index, columns = _find_award_header(rows)
    roster = _Roster(conference_id)
    result = ImportResult()
    for number, cells in rows[header_index + 1:]:
        values = {key: cells[column] if column < len(cells) else None for column, key in columns.items()}
        if not any(clean(_plain(v)) for v in values.values() if v is not None):
            continue  # a blank row
        if len(result.rows) + len(result.errors) >= IMPORT_MAX_ROWS:
            result.errors.append(RowError(number, f"quá {IMPORT_MAX_ROWS} dòng"))
            break
        try:
            result.rows.append(_check_row(roster, values, number))
        except ConferenceError as error:
            result.errors.append(RowError(number, error.message))
    if not result.rows and not result.errors:
        result.errors.append(RowError(header_index + 1, "bảng không có dòng dữ liệu nào"))
    return result, roster


def _public_row(row: dict) -> dict:
    return {key: value for key, value in row.items() if key != "decision_key"}


def preview_honourees(conference_id: int, filename: str, content: bytes) -> dict:
    """Read and check every row without writing anything."""
    rows = read_table(filename, content)
    result, roster = _check_table(conference_id, rows)
    return {"rows": [_public_row(r) for r in result.rows],
            "errors": [{"row": e.row, "message": e.message} for e in result.errors],
            "new_decisions": [{"number": d["number"], "issuer": d["issuer"], "form": d["form"]}
                              for d in roster.new.values()]}


def import_honourees(conference_id: int, filename: str, content: bytes) -> dict:
    """Add every row, creating the decisions the file names that do not exist yet; or nothing at all."""
    rows = read_table(filename, content)
    with write_transaction() as session:
        get_conference(conference_id)
        result, roster = _check_table(conference_id, rows)
        if result.errors:
            raise ImportFailed(result.errors)
        made: dict[object, AwardDecision] = {}
        position = _next_decision_position(conference_id)
        for key, info in roster.new.items():
            made[key] = AwardDecision(conference_id=conference_id, position=position, number=info["number"],
                                      issuer=info["issuer"], form_id=info["form_id"],
                                      signed_on=info["signed_on"], reason=info["reason"])
            session.add(made[key])
            position += 1
        session.flush()
        for row in result.rows:
            decision = made.get(row["decision_key"]) or session.get(AwardDecision, row["decision_key"])
            place = roster.next_position.get(decision.id, 1)
            roster.next_position[decision.id] = place + 1
            session.add(Honouree(decision_id=decision.id, position=place, kind=HonoureeKind(row["kind"]),
                                 name=row["name"], unit=row["unit"], citation=row["citation"],
                                 proxy_name=row["proxy_name"], delegate_id=row["delegate_id"]))
        bump_version(conference_id)
    return {"imported": len(result.rows), "decisions_created": len(roster.new)}
