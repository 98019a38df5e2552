"""Editing the program: items (order, title, presenter, planned minutes, kind, MC script) and their steps.

Wording can be corrected at any time, even mid-show. The order, and adding or removing items or
steps, can only change before the show starts: the live cursor and the recorded times refer to
positions, and the minutes must describe the program as it ran.
"""
from __future__ import annotations

import sqlalchemy as sa

from conference.core.db import db, is_id, write_transaction
from conference.core.errors import N_, ConferenceError, Conflict, NotFound
from conference.core.fields import bounded_text, int_field
from conference.core.models import AgendaItem, AgendaStep, ItemKind
from conference.core.state import bump_version, show_state
from conference.core.textnorm import clean_lines

MAX_SCRIPT = 20000
MAX_MINUTES = 600


def items(conference_id: int) -> list[AgendaItem]:
    """The program in order, each item with its steps."""
    return list(db.session.scalars(sa.select(AgendaItem).where(AgendaItem.conference_id == conference_id)
                                   .options(sa.orm.selectinload(AgendaItem.steps))
                                   .order_by(AgendaItem.position)))


def get_item(conference_id: int, item_id: object) -> AgendaItem:
    item = db.session.get(AgendaItem, item_id) if is_id(item_id) else None
    if item is None or item.conference_id != conference_id:
        raise NotFound("unknown_item", "Không tìm thấy mục này trong chương trình.")
    return item


def get_step(conference_id: int, step_id: object) -> AgendaStep:
    step = db.session.get(AgendaStep, step_id) if is_id(step_id) else None
    if step is None or step.item.conference_id != conference_id:
        raise NotFound("unknown_step", "Không tìm thấy bước này.")
    return step


def show_started(conference_id: int) -> bool:
    """True once the MC has started the program (or it ran and finished)."""
    if show_state(conference_id).current_position is not None:
        return True
    return db.session.scalar(sa.select(sa.func.count(AgendaItem.id)).where(
        AgendaItem.conference_id == conference_id, AgendaItem.started_at.is_not(None))) > 0


def _require_not_started(conference_id: int) -> None:
    if show_started(conference_id):
        raise Conflict("show_started", "Chương trình đã bắt đầu: chỉ sửa được nội dung, không đổi được "
                                         "thứ tự hay thêm, bớt mục.")


def _item_values(title: object, presenter: object, planned_minutes: object, kind: object,
                 script: object) -> dict:
    if script is not None and not isinstance(script, str):
        raise ConferenceError("invalid_field", "Lời dẫn không hợp lệ.")
    script_text = clean_lines(script).strip() or None  # no direction override nor zero-width space
    if script_text and len(script_text) > MAX_SCRIPT:
        raise ConferenceError("field_too_long", "Lời dẫn dài quá %(limit)d ký tự.", limit=MAX_SCRIPT)
    try:
        item_kind = ItemKind(kind or ItemKind.NORMAL.value)
    except ValueError:
        raise ConferenceError("invalid_kind", "Loại mục không hợp lệ.") from None
    return {"title": bounded_text(title, 300, N_("Tên mục"), required=True),
            "presenter": bounded_text(presenter, 200, N_("Người trình bày")),
            "planned_minutes": int_field(planned_minutes, N_("Số phút dự kiến"), 0, MAX_MINUTES),
            "kind": item_kind, "script": script_text}


def _step_values(title: object, presenter: object, planned_minutes: object) -> dict:
    return {"title": bounded_text(title, 300, N_("Nội dung"), required=True),
            "presenter": bounded_text(presenter, 200, N_("Người trình bày")),
            "planned_minutes": int_field(planned_minutes, N_("Số phút dự kiến"), 0, MAX_MINUTES)}


def update_item(conference_id: int, item_id: int, title: object, presenter: object = None,
                planned_minutes: object = None, kind: object = None, script: object = None) -> AgendaItem:
    """Correct an item's title, presenter, planned minutes, kind or MC script."""
    values = _item_values(title, presenter, planned_minutes, kind, script)
    with write_transaction():
        item = get_item(conference_id, item_id)
        for key, value in values.items():
            setattr(item, key, value)
        bump_version(conference_id)
    return item


def add_item(conference_id: int, title: object, presenter: object = None, planned_minutes: object = None,
             kind: object = None, script: object = None) -> AgendaItem:
    """A new item at the end of the program."""
    values = _item_values(title, presenter, planned_minutes, kind, script)
    with write_transaction() as session:
        _require_not_started(conference_id)
        program = items(conference_id)
        item = AgendaItem(conference_id=conference_id, position=(program[-1].position if program else 0) + 1,
                          **values)
        session.add(item)
        bump_version(conference_id)
    return item


def _renumber(session, nodes: list) -> None:
    """Give nodes positions 1..n in list order without tripping the unique key on the way."""
    for offset, node in enumerate(nodes, start=1):
        node.position = -offset
    session.flush()
    for number, node in enumerate(nodes, start=1):
        node.position = number
    session.flush()


def _moved(nodes: list, node, offset: int) -> list | None:
    index = nodes.index(node)
    target = index + (1 if offset > 0 else -1)
    if not 0 <= target < len(nodes):
        return None
    nodes = list(nodes)
    nodes[index], nodes[target] = nodes[target], nodes[index]
    return nodes


def move_item(conference_id: int, item_id: int, offset: int) -> None:
    """Move an item one place up (-1) or down (+1)."""
    with write_transaction() as session:
        item = get_item(conference_id, item_id)
        _require_not_started(conference_id)
        order = _moved(items(conference_id), item, offset)
        if order is None:
            return
        _renumber(session, order)
        bump_version(conference_id)


def remove_item(conference_id: int, item_id: int) -> str:
    """Delete an item and its steps; the rest close up. Returns the title, for the confirmation."""
    with write_transaction() as session:
        item = get_item(conference_id, item_id)
        _require_not_started(conference_id)
        title = item.title
        session.delete(item)
        session.flush()
        _renumber(session, items(conference_id))
        bump_version(conference_id)
    return title


def add_step(conference_id: int, item_id: int, title: object, presenter: object = None,
             planned_minutes: object = None) -> AgendaStep:
    """A new sub-step (one tham luận speaker, one part) at the end of an item."""
    values = _step_values(title, presenter, planned_minutes)
    with write_transaction():
        item = get_item(conference_id, item_id)
        _require_not_started(conference_id)
        step = AgendaStep(position=(item.steps[-1].position if item.steps else 0) + 1, **values)
        item.steps.append(step)
        bump_version(conference_id)
    return step


def update_step(conference_id: int, step_id: int, title: object, presenter: object = None,
                planned_minutes: object = None) -> AgendaStep:
    values = _step_values(title, presenter, planned_minutes)
    with write_transaction():
        step = get_step(conference_id, step_id)
        for key, value in values.items():
            setattr(step, key, value)
        bump_version(conference_id)
    return step


def move_step(conference_id: int, step_id: int, offset: int) -> None:
    with write_transaction() as session:
        step = get_step(conference_id, step_id)
        _require_not_started(conference_id)
        order = _moved(list(step.item.steps), step, offset)
        if order is None:
            return
        _renumber(session, order)
        bump_version(conference_id)


def remove_step(conference_id: int, step_id: int) -> None:
    with write_transaction() as session:
        step = get_step(conference_id, step_id)
        _require_not_started(conference_id)
        item = step.item
        item.steps.remove(step)
        session.flush()
        _renumber(session, list(item.steps))
        bump_version(conference_id)
