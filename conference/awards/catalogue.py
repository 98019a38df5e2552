"""Setting up the awards: the lookups of decisions and forms inside one conference, the catalogue,
and the office's edits (forms, decisions, honourees, a hand-set calling order, the batch size).

The catalogue's reads and the next decision position are public: importer.py uses them too. The
input checks and the honouree lookup come from common.py, the JSON shapes and the calling order
from order.py.

Every function that changes something runs in one write transaction and bumps the version, so
the MC, the projector and the office see it at once.
"""
from __future__ import annotations

import sqlalchemy as sa

from conference.core.db import db, write_transaction
from conference.core.errors import Conflict, ConferenceError, NotFound
from conference.core.fields import bounded_text
from conference.core.models import AwardDecision, AwardForm, Delegate, Honouree
from conference.core.state import bump_version, get_conference
from .common import LIMITS, as_date, as_int, get_honouree, get_row, parse_kind, presentations_of
from .order import Announcement, all_honourees, calling_order, decision_json, form_json, honouree_json

FORM_KINDS = ("form", "title")
MAX_BATCH = 40


# --- input checks ------------------------------------------------------------------------------

def _data(data: object) -> dict:
    if not isinstance(data, dict):
        raise ConferenceError("invalid_json", "Nội dung yêu cầu phải là một đối tượng JSON.")
    return data


# --- lookups inside one conference -------------------------------------------------------------

def get_decision(conference_id: int, decision_id: object) -> AwardDecision:
    decision = get_row(AwardDecision, decision_id, "decision_id")
    if decision is None or decision.conference_id != conference_id:
        raise NotFound("unknown_decision", "Không tìm thấy quyết định khen thưởng.")
    return decision


def get_form(conference_id: int, form_id: object) -> AwardForm:
    form = get_row(AwardForm, form_id, "form_id")
    if form is None or form.conference_id != conference_id:
        raise NotFound("unknown_form", "Không có hình thức khen thưởng này trong danh mục.")
    return form


def _delegate(conference_id: int, delegate_id: object) -> Delegate | None:
    if delegate_id is None:
        return None
    delegate = get_row(Delegate, delegate_id, "delegate_id")
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
    presentations = presentations_of([h.id for d in found for h in d.honourees])
    return {"forms": [form_json(f) for f in forms(conference_id)],
            "batch_size": get_conference(conference_id).award_batch_size,
            "decisions": [{**decision_json(d),
                           "honourees": [honouree_json(h, presentations.get(h.id)) for h in d.honourees]}
                          for d in found]}


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
            raise Conflict("form_in_use", "Hình thức này đang dùng trong %(count)d quyết định.", count=used)
        session.delete(form)
        bump_version(conference_id)


def _apply_form(conference_id: int, form: AwardForm, data: dict, creating: bool) -> None:
    if creating or "name" in data:
        name = bounded_text(data.get("name"), LIMITS["form_name"], "name", "name", numbers=True, required=True)
        clash = db.session.scalar(sa.select(AwardForm.id).where(
            AwardForm.conference_id == conference_id, AwardForm.id != (form.id or 0),
            sa.func.lower(AwardForm.name) == name.lower()))
        if clash:
            raise Conflict("duplicate_form", "Đã có hình thức “%(name)s”.", name=name)
        form.name = name
    if creating or "rank" in data:
        form.rank = as_int(data.get("rank"), "rank")
    if creating or "kind" in data:
        kind = data.get("kind") or "form"
        if kind not in FORM_KINDS:
            raise ConferenceError("invalid_kind", "Loại phải là “form” (hình thức) hoặc “title” (danh hiệu).")
        form.kind = kind


def create_decision(conference_id: int, data: object) -> AwardDecision:
    data = _data(data)
    with write_transaction() as session:
        get_conference(conference_id)
        decision = AwardDecision(conference_id=conference_id, position=next_decision_position(conference_id))
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


def next_decision_position(conference_id: int) -> int:
    last = db.session.scalar(sa.select(sa.func.max(AwardDecision.position))
                             .where(AwardDecision.conference_id == conference_id))
    return (last or 0) + 1


def _apply_decision(conference_id: int, decision: AwardDecision, data: dict, creating: bool) -> None:
    if creating or "number" in data:
        decision.number = bounded_text(data.get("number"), LIMITS["number"], "number", "number", numbers=True,
                                       required=True)
    if creating or "issuer" in data:
        decision.issuer = bounded_text(data.get("issuer"), LIMITS["issuer"], "issuer", "issuer", numbers=True,
                                       required=True)
    if "signed_on" in data:
        decision.signed_on = as_date(data.get("signed_on"))
    if "reason" in data:
        decision.reason = bounded_text(data.get("reason"), LIMITS["reason"], "reason", "reason", numbers=True)
    if creating or "form_id" in data:
        decision.form = get_form(conference_id, data.get("form_id"))
    if "position" in data:
        decision.position = as_int(data.get("position"), "position")


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
        honouree.name = bounded_text(data.get("name"), LIMITS["name"], "name", "name", numbers=True,
                                     required=True)
    for key in ("unit", "citation", "proxy_name"):
        if key in data:
            setattr(honouree, key, bounded_text(data.get(key), LIMITS[key], key, key, numbers=True))
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
        honourees = {h.id: h for h in all_honourees(conference_id)}
        if honouree_ids:
            if len(set(honouree_ids)) != len(honouree_ids):
                raise ConferenceError("duplicate_in_order", "Một người được khen thưởng xuất hiện hai lần.", 422)
            unknown = set(honouree_ids) - honourees.keys()
            if unknown:
                raise NotFound("unknown_honouree", "Không có người/tập thể được khen thưởng số %(id)d.",
                               id=min(unknown))
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
    size = as_int(size, "batch_size")
    if not 1 <= size <= MAX_BATCH:
        raise ConferenceError("invalid_batch_size", "Số người mỗi lượt phải từ 1 đến %(limit)d.",
                              limit=MAX_BATCH)
    with write_transaction():
        get_conference(conference_id).award_batch_size = size
        bump_version(conference_id)
    return size
