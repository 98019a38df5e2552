"""Setting up a conference: its details, delegate groups, delegates, item-8 candidates, device names.

One function per office action. Each is one transaction that bumps the version (so every screen
sees the change at once), and bad input raises ConferenceError before anything is written.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Mapping

import sqlalchemy as sa

from conference.checkin.quorum import parse_rule
from conference.checkin.roster import (claim_seat, get_delegate, get_group, groups, new_delegate, search_key,
                                      validate_fields)
from conference.core.db import db, is_id, write_transaction
from conference.core.errors import N_, ConferenceError, Conflict, NotFound
from conference.core.fields import bounded_text, int_field
from conference.core.models import Candidate, CheckIn, Conference, Delegate, DelegateGroup, Device
from conference.core.state import bump_version
from conference.core.textnorm import fold
from conference.votes.results import parse_vote_rule

CONFERENCE_TEXT = {  # field -> (longest allowed, required)
    "title": (300, True), "edition": (100, False), "period": (50, False), "organiser": (200, False),
    "parent_organiser": (200, False), "place_name": (100, False), "venue": (200, False),
    "chair": (120, False), "secretary": (120, False),
}
COLOR = re.compile(r"#[0-9a-fA-F]{6}")
DIGITS = re.compile(r"[0-9]{1,12}")  # ASCII digits only: "²".isdigit() is True but int("²") fails
CLOCK = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
MAX_BATCH = 50
DEFAULT_COLOR = "#b71c1c"


def _date_field(value: object) -> date | None:
    if isinstance(value, date) or value is None:
        return value
    if not isinstance(value, str):
        raise ConferenceError("invalid_date", "Ngày không hợp lệ.")
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ConferenceError("invalid_date", "Ngày không hợp lệ (cần dạng năm-tháng-ngày).") from None


def _clock_field(value: object) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    match = CLOCK.fullmatch(value.strip()) if isinstance(value, str) else None
    if not match:
        raise ConferenceError("invalid_time", "Giờ bắt đầu phải có dạng giờ:phút, ví dụ 07:30.")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def _conference(session, conference_id: int) -> Conference:
    conference = session.get(Conference, conference_id)
    if conference is None:
        raise NotFound("unknown_conference", "Không tìm thấy hội nghị.")
    return conference


# --- the conference itself ---------------------------------------------------------------

CONFERENCE_LABELS = {
    "title": N_("Tên hội nghị"), "edition": N_("Lần thứ"), "period": N_("Giai đoạn"),
    "organiser": N_("Cơ quan tổ chức"), "parent_organiser": N_("Cơ quan cấp trên"), "place_name": N_("Địa danh"),
    "venue": N_("Địa điểm"), "chair": N_("Chủ trì"), "secretary": N_("Thư ký"),
}


def update_conference(conference_id: int, data: Mapping[str, object]) -> Conference:
    """Change the details every screen and paper shows: title, edition, period, venue, date, chair..."""
    values = {key: bounded_text(data.get(key), limit, CONFERENCE_LABELS[key], required=required)
              for key, (limit, required) in CONFERENCE_TEXT.items()}
    values["date"] = _date_field(data.get("date"))
    values["starts_at"] = _clock_field(data.get("starts_at"))
    values["award_batch_size"] = int_field(data.get("award_batch_size"), N_("Số người mỗi lượt lên nhận"),
                                           1, MAX_BATCH, required=True)
    rule = parse_rule(data.get("quorum_rule"))  # not sent (an older form, a script): kept
    if rule is not None:
        values["quorum_rule"] = rule
    vote_rule = parse_vote_rule(data.get("vote_rule"))  # the same
    if vote_rule is not None:
        values["vote_rule"] = vote_rule
    with write_transaction() as session:
        conference = _conference(session, conference_id)
        for key, value in values.items():
            setattr(conference, key, value)
        bump_version(conference_id)
    return conference


# --- delegate groups (the plan's "Thành phần", in protocol order) ---------------------------

def _group_values(conference_id: int, name: object, color: object, group_id: int | None):
    text = bounded_text(name, 200, N_("Tên thành phần"), required=True)
    if color is None or color == "":
        color = DEFAULT_COLOR
    if not isinstance(color, str) or not COLOR.fullmatch(color):
        raise ConferenceError("invalid_color", "Màu phải có dạng #rrggbb.")
    for other in groups(conference_id):
        if other.id != group_id and fold(other.name) == fold(text):
            raise Conflict("duplicate_group", "Đã có thành phần “%(name)s”.", name=other.name)
    return text, color.lower()


def create_group(conference_id: int, name: object, color: object = None) -> DelegateGroup:
    """A new group, placed last in protocol order."""
    with write_transaction() as session:
        _conference(session, conference_id)
        text, colour = _group_values(conference_id, name, color, None)
        last = session.scalar(sa.select(sa.func.max(DelegateGroup.position))
                              .where(DelegateGroup.conference_id == conference_id)) or 0
        group = DelegateGroup(conference_id=conference_id, position=last + 1, name=text, color=colour)
        session.add(group)
        bump_version(conference_id)
    return group


def update_group(conference_id: int, group_id: int, name: object, color: object) -> DelegateGroup:
    """Rename a group or change its badge colour."""
    with write_transaction():
        group = get_group(conference_id, group_id)
        group.name, group.color = _group_values(conference_id, name, color, group.id)
        bump_version(conference_id)
    return group


def move_group(conference_id: int, group_id: int, offset: int) -> None:
    """Move a group one place up (-1) or down (+1) in protocol order."""
    with write_transaction():
        order = groups(conference_id)
        group = get_group(conference_id, group_id)
        index = order.index(group)
        target = index + (1 if offset > 0 else -1)
        if not 0 <= target < len(order):
            return
        order[index], order[target] = order[target], order[index]
        for number, each in enumerate(order, start=1):
            each.position = number
        bump_version(conference_id)


def delete_group(conference_id: int, group_id: int) -> None:
    """Remove an empty group; one that still has delegates is refused (move them first)."""
    with write_transaction() as session:
        group = get_group(conference_id, group_id)
        members = session.scalar(sa.select(sa.func.count(Delegate.id)).where(Delegate.group_id == group.id))
        if members:
            raise Conflict("group_not_empty", "Thành phần “%(name)s” còn %(count)d đại biểu; hãy chuyển họ "
                           "sang thành phần khác trước khi xóa.", name=group.name, count=members)
        session.delete(group)
        session.flush()
        for number, each in enumerate(groups(conference_id), start=1):
            each.position = number
        bump_version(conference_id)


# --- delegates ---------------------------------------------------------------------------

def parse_id(value: object) -> int | None:
    """An id from a form field ("" or None means none); anything else non-numeric is refused."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and DIGITS.fullmatch(value.strip()):
        return int(value.strip())
    raise ConferenceError("invalid_id", "Lựa chọn không hợp lệ.")


def _optional_group(conference_id: int, group_id: object) -> DelegateGroup | None:
    group_id = parse_id(group_id)
    return None if group_id is None else get_group(conference_id, group_id)


def create_delegate(conference_id: int, full_name: object, position: object = None, unit: object = None,
                    group_id: object = None, seat: object = None, honorific: object = None) -> Delegate:
    """Add one delegate with a fresh badge."""
    fields = validate_fields(full_name, position, unit, seat, honorific)
    with write_transaction() as session:
        group = _optional_group(conference_id, group_id)
        delegate = new_delegate(session, conference_id, fields, group)
        bump_version(conference_id)
    return delegate


def update_delegate(conference_id: int, delegate_id: int, full_name: object, position: object = None,
                    unit: object = None, group_id: object = None, seat: object = None,
                    honorific: object = None) -> Delegate:
    """Correct a delegate's name, position, unit, group, seat or danh xưng; the badge code stays."""
    fields = validate_fields(full_name, position, unit, seat, honorific)
    with write_transaction():
        delegate = get_delegate(conference_id, delegate_id)
        claim_seat(conference_id, fields["seat"], delegate.id)
        delegate.group = _optional_group(conference_id, group_id)
        for key, value in fields.items():
            setattr(delegate, key, value)
        delegate.search_key = search_key(delegate.full_name, delegate.unit, delegate.badge_code)
        bump_version(conference_id)
    return delegate


def remove_delegate(conference_id: int, delegate_id: int) -> str:
    """Delete a delegate, their badges and check-in. Returns the name, for the confirmation."""
    with write_transaction() as session:
        delegate = get_delegate(conference_id, delegate_id)
        name = delegate.full_name
        session.execute(sa.delete(CheckIn).where(CheckIn.delegate_id == delegate.id))
        session.delete(delegate)
        bump_version(conference_id)
    return name


# --- item 8: candidates for the higher-level conference -----------------------------------

def candidates(conference_id: int) -> list[Candidate]:
    """Item 8's list, in the order it is read out."""
    return list(db.session.scalars(sa.select(Candidate).where(Candidate.conference_id == conference_id)
                                   .order_by(Candidate.position, Candidate.id)))


def _candidate(session, conference_id: int, candidate_id: int) -> Candidate:
    candidate = session.get(Candidate, candidate_id) if is_id(candidate_id) else None
    if candidate is None or candidate.conference_id != conference_id:
        raise NotFound("unknown_candidate", "Không tìm thấy người trong danh sách đề cử.")
    return candidate


def _candidate_values(session, conference_id: int, full_name: object, title: object, unit: object,
                      delegate_id: object) -> dict:
    delegate_id = parse_id(delegate_id)
    delegate = get_delegate(conference_id, delegate_id) if delegate_id is not None else None
    name = bounded_text(full_name, 120, N_("Họ và tên")) or (delegate.full_name if delegate else None)
    if name is None:
        raise ConferenceError("missing_name", "Cần nhập họ và tên, hoặc chọn một đại biểu.")
    return {"full_name": name,
            "title": bounded_text(title, 200, N_("Chức vụ")) or (delegate.position if delegate else None),
            "unit": bounded_text(unit, 200, N_("Đơn vị")) or (delegate.unit if delegate else None),
            "delegate_id": delegate.id if delegate else None}


def add_candidate(conference_id: int, full_name: object = None, title: object = None, unit: object = None,
                  delegate_id: object = None) -> Candidate:
    """Propose someone for the higher-level conference (a delegate, or a name typed in)."""
    with write_transaction() as session:
        _conference(session, conference_id)
        values = _candidate_values(session, conference_id, full_name, title, unit, delegate_id)
        candidate = Candidate(conference_id=conference_id, position=len(candidates(conference_id)) + 1,
                              **values)
        session.add(candidate)
        bump_version(conference_id)
    return candidate


def update_candidate(conference_id: int, candidate_id: int, full_name: object = None, title: object = None,
                     unit: object = None, delegate_id: object = None) -> Candidate:
    with write_transaction() as session:
        candidate = _candidate(session, conference_id, candidate_id)
        for key, value in _candidate_values(session, conference_id, full_name, title, unit,
                                            delegate_id).items():
            setattr(candidate, key, value)
        bump_version(conference_id)
    return candidate


def move_candidate(conference_id: int, candidate_id: int, offset: int) -> None:
    with write_transaction() as session:
        order = candidates(conference_id)
        candidate = _candidate(session, conference_id, candidate_id)
        index = order.index(candidate)
        target = index + (1 if offset > 0 else -1)
        if not 0 <= target < len(order):
            return
        order[index], order[target] = order[target], order[index]
        for number, each in enumerate(order, start=1):
            each.position = number
        bump_version(conference_id)


def remove_candidate(conference_id: int, candidate_id: int) -> None:
    with write_transaction() as session:
        session.delete(_candidate(session, conference_id, candidate_id))
        session.flush()
        for number, each in enumerate(candidates(conference_id), start=1):
            each.position = number
        bump_version(conference_id)


# --- devices -----------------------------------------------------------------------------

def rename_device(conference_id: int, device_id: int, label: object) -> Device:
    """Give a paired device a name people recognise ("Cửa chính", "Máy MC")."""
    text = bounded_text(label, 80, N_("Tên thiết bị"), required=True)
    with write_transaction() as session:
        device = session.get(Device, device_id) if is_id(device_id) else None
        if device is None or device.conference_id != conference_id:
            raise NotFound("unknown_device", "Không tìm thấy thiết bị.")
        device.label = text
    return device


def conference_or_404(conference_id: int) -> Conference:
    conference = db.session.get(Conference, conference_id)
    if conference is None:
        raise NotFound("unknown_conference", "Không tìm thấy hội nghị.")
    return conference
