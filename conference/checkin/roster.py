"""Delegates and their groups: lookup, search, walk-ins, badge reissue, the door's feeds, their JSON shape."""
from __future__ import annotations

import sqlalchemy as sa

from conference.core.db import db, is_id, utcnow, write_transaction
from conference.core.errors import N_, ConferenceError, NotFound
from conference.core.fields import Codes, bounded_text
from conference.core.models import Badge, CheckIn, Delegate, DelegateGroup, Seat
from conference.core.state import bump_version, show_state
from conference.core.textnorm import clean, fold, name_sort_key
from . import badgecodes

MAX_NAME = 120
MAX_FIELD = 200
ROSTER_FIELDS = ("id", "full_name", "position", "unit", "group", "seat", "badge_code", "absence_reason",
                 "absence_note")
MAX_SEAT = 20


def delegate_json(delegate: Delegate) -> dict:
    checkin, group = delegate.checkin, delegate.group
    return _json(delegate, group.name if group else None, group.color if group else None,
                 checkin.checked_in_at if checkin else None, checkin.device if checkin else None)


def delegate_row_json(row) -> dict:
    """delegate_json of a row of the door's look-up (checkin/lookups.py), which names the group's
    and the check-in's columns group_name, group_color, checked_in_at and checked_in_device."""
    return _json(row, row.group_name, row.group_color, row.checked_in_at, row.checked_in_device)


def _json(delegate, group_name, group_color, checked_in_at, checked_in_device) -> dict:
    return {
        "id": delegate.id,
        "full_name": delegate.full_name,
        "position": delegate.position,
        "unit": delegate.unit,
        "group": group_name,
        "group_color": group_color,
        "seat": delegate.seat,
        "badge_code": delegate.badge_code,
        "walk_in": delegate.walk_in,
        "checked_in_at": checked_in_at.isoformat() if checked_in_at else None,
        "checked_in_device": checked_in_device,
        "absence_reason": delegate.absence_reason,  # checkin/quorum.py
        "absence_note": delegate.absence_note,
    }


def search_key(full_name: str, unit: str | None, code: str) -> str:
    return " ".join(part for part in (fold(full_name), fold(unit), code.lower()) if part)


def sorted_vietnamese(delegates: list[Delegate]) -> list[Delegate]:
    return sorted(delegates, key=lambda d: name_sort_key(d.full_name))


def search_delegates(conference_id: int, query: str | None, limit: int | None = None) -> list[Delegate]:
    """Every word of the query, folded (đ as d, no marks, any case or normal form), must match."""
    statement = (sa.select(Delegate).where(Delegate.conference_id == conference_id)
                 .options(sa.orm.selectinload(Delegate.checkin)))
    for word in fold(query).split():
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        statement = statement.where(Delegate.search_key.like(f"%{escaped}%", escape="\\"))
    words = fold(query).split()
    found = sorted(db.session.scalars(statement), key=lambda d: (match_rank(d.full_name, words),
                                                                 name_sort_key(d.full_name)))
    return found[:limit] if limit else found


def match_rank(full_name: str, words: list[str]) -> int:
    """Names first (docs/DOOR.md): 0 the whole name, 1 every word starting a word of the name, 2
    every word inside the name, 3 found only with the unit or the code. The door's tablet ranks
    the same way (static/js/door-offline.js)."""
    name = fold(full_name)
    parts = name.split()
    if not words or " ".join(words) == name:
        return 0
    if all(any(part.startswith(word) for part in parts) for word in words):
        return 1
    return 2 if all(word in name for word in words) else 3


def get_delegate(conference_id: int, delegate_id: object) -> Delegate:
    delegate = db.session.get(Delegate, delegate_id) if is_id(delegate_id) else None
    if delegate is None or delegate.conference_id != conference_id:
        raise NotFound("unknown_delegate", "Không tìm thấy đại biểu.")
    return delegate


def office_list(conference_id: int, query: str | None, group_id: int | None = None,
                ungrouped: bool = False) -> list[Delegate]:
    """The office's list: matching the query, of one group (or those in none), by group then by name."""
    found = search_delegates(conference_id, query)
    if ungrouped:
        found = [d for d in found if d.group_id is None]
    elif group_id is not None:
        found = [d for d in found if d.group_id == group_id]
    return sorted(found, key=lambda d: (d.group.position if d.group else 10**6, name_sort_key(d.full_name)))


def count_delegates(conference_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count(Delegate.id)).where(Delegate.conference_id == conference_id))


# --- groups (the plan's "Thành phần", in protocol order) -------------------------------------

def groups(conference_id: int) -> list[DelegateGroup]:
    """The conference's groups in protocol order: the one query every list of groups uses."""
    return list(db.session.scalars(sa.select(DelegateGroup).where(DelegateGroup.conference_id == conference_id)
                                   .order_by(DelegateGroup.position, DelegateGroup.id)))


def get_group(conference_id: int, group_id: object) -> DelegateGroup:
    group = db.session.get(DelegateGroup, group_id) if is_id(group_id) else None
    if group is None or group.conference_id != conference_id:
        raise NotFound("unknown_group", "Không tìm thấy thành phần đại biểu.")
    return group


def group_sizes(conference_id: int) -> dict[int | None, int]:
    """Delegates per group id (None: in no group)."""
    return dict(db.session.execute(
        sa.select(Delegate.group_id, sa.func.count()).where(Delegate.conference_id == conference_id)
        .group_by(Delegate.group_id)).all())


def find_group(conference_id: int, name: str | None) -> DelegateGroup | None:
    if not clean(name):
        return None
    wanted = fold(name)
    # An import asks this twice per row: the groups found are remembered for the rest of the
    # transaction and checked again on use, so a group added, renamed or deleted meanwhile is
    # still looked up afresh (bench/badges_import.py times an import of 2,000 rows).
    known = _known_groups(conference_id)
    group = known.get(wanted)
    if (group is not None and group in db.session and not sa.inspect(group).deleted
            and group.conference_id == conference_id and fold(group.name) == wanted):
        return group
    with db.session.no_autoflush:
        found = groups(conference_id)
    known.clear()
    known.update({fold(g.name): g for g in found})
    if wanted in known:
        return known[wanted]
    raise ConferenceError("unknown_group", "Không có thành phần đại biểu “%(name)s”.", name=clean(name))


def _known_groups(conference_id: int) -> dict[str, DelegateGroup]:
    """Folded group name -> group, kept per conference for the session's current transaction only."""
    transaction = db.session().get_transaction()
    cache = db.session.info.get("known_groups")
    if cache is None or cache[0] is not transaction:
        cache = (transaction, {})
        db.session.info["known_groups"] = cache
    return cache[1].setdefault(conference_id, {})


# docs/API.md §6.3 names these codes: a non-text field is invalid_field, the name's own are *_name.
NAME_CODES = Codes("invalid_field", "missing_name", "name_too_long")
# Translated only when a message is written: an import checks 2,000 rows that are mostly right.
LABELS = {"full_name": N_("Họ và tên"), "position": N_("Chức vụ"), "unit": N_("Đơn vị"), "seat": N_("Ghế"),
          "honorific": N_("Danh xưng")}
# The danh xưng an office writes before a name on an invitation, in the MC's script, on a name
# card; how it may be typed (folded) -> how it is printed. None: the name alone, as before.
HONORIFICS = (N_("Đồng chí"), N_("Ông"), N_("Bà"))
_HONORIFIC_SPELLINGS = {fold(h): h for h in HONORIFICS} | {"d/c": "Đồng chí", "dc": "Đồng chí",
                                                           "mr": "Ông", "mrs": "Bà", "ms": "Bà"}


def validate_fields(full_name: object, position: object = None, unit: object = None,
                    seat: object = None, honorific: object = None) -> dict:
    """Cleaned fields, or a ConferenceError naming what is wrong. Numbers are text (a spreadsheet cell).
    A seat is checked against the hall only where it is given to someone (claim_seat)."""
    return {"honorific": validate_honorific(honorific),
            "full_name": bounded_text(full_name, MAX_NAME, LABELS["full_name"], NAME_CODES, required=True,
                                      numbers=True),
            "position": bounded_text(position, MAX_FIELD, LABELS["position"], numbers=True),
            "unit": bounded_text(unit, MAX_FIELD, LABELS["unit"], numbers=True),
            "seat": bounded_text(seat, MAX_SEAT, LABELS["seat"], numbers=True)}


def validate_honorific(value: object) -> str | None:
    """One of HONORIFICS however typed ("ông", "ONG", "đ/c"), or None when empty; anything else is refused."""
    text = bounded_text(value, 20, LABELS["honorific"])
    if text is None:
        return None
    found = _HONORIFIC_SPELLINGS.get(fold(text).rstrip("."))
    if found is None:
        raise ConferenceError("invalid_honorific", "Danh xưng “%(value)s” không dùng được: chọn Đồng chí, Ông, Bà "
                              "hoặc để trống.", value=text)
    return found


def with_honorific(honorific: str | None, full_name: str) -> str:
    """"Ông Trần Văn A", or the name alone where no danh xưng is set (as before there was one)."""
    return f"{honorific} {full_name}" if honorific else full_name


def called_names(conference_id: int) -> dict[str, str]:
    """Folded full name -> "Bà Lê Thị Hồng Nhung", for the delegates who have a danh xưng: how the
    MC invites a presenter who is one of them (the printed script, the MC console)."""
    rows = db.session.execute(sa.select(Delegate.full_name, Delegate.honorific).where(
        Delegate.conference_id == conference_id, Delegate.honorific.is_not(None)))
    return {fold(name): with_honorific(honorific, name) for name, honorific in rows}


class SeatBook:
    """The hall's seat codes and who holds each seat, read once: the checks of a seat given to
    someone (claim). A batch of new delegates (an import, the demo) shares one book instead of two
    queries a row; the database's unique key on a conference's seats stays behind it."""

    def __init__(self, conference_id: int):
        self.codes = set(db.session.scalars(sa.select(Seat.code).where(Seat.conference_id == conference_id)))
        self.holders: dict[str, tuple[int, str]] = {
            seat: (delegate_id, name) for delegate_id, name, seat in db.session.execute(
                sa.select(Delegate.id, Delegate.full_name, Delegate.seat)
                .where(Delegate.conference_id == conference_id, Delegate.seat.is_not(None)))}

    def claim(self, seat: str | None, delegate_id: int | None = None, name: str = "") -> None:
        """Refuse SEAT for a delegate (DELEGATE_ID, None for a new one) if the hall has no such
        seat (once the hall is described: before, a seat is free text) or someone else sits there;
        nothing for no seat. Kept in the book for the next claims."""
        if seat is None:
            return
        if self.codes and seat not in self.codes:
            raise ConferenceError("unknown_seat", "Hội trường không có ghế “%(seat)s”.", seat=seat)
        holder = self.holders.get(seat)
        if holder is not None and (delegate_id is None or holder[0] != delegate_id):
            raise ConferenceError("seat_taken", "Ghế “%(seat)s” đã có người ngồi: %(name)s.", 409, seat=seat,
                                  name=holder[1])
        self.holders[seat] = (delegate_id or 0, name)


def claim_seat(conference_id: int, seat: str | None, delegate_id: int | None = None) -> None:
    """SeatBook.claim for one delegate."""
    if seat is not None:
        SeatBook(conference_id).claim(seat, delegate_id)


def new_delegate(session, conference_id: int, fields: dict, group: DelegateGroup | None,
                 walk_in: bool = False, seats: SeatBook | None = None) -> Delegate:
    """Add a delegate with a fresh badge inside the caller's transaction, the seat checked (SEATS:
    the caller's book, when it adds many; else one of its own)."""
    if seats is not None:
        seats.claim(fields.get("seat"), name=fields["full_name"])
    else:
        claim_seat(conference_id, fields.get("seat"))
    code = badgecodes.new_code()
    delegate = Delegate(conference_id=conference_id, group=group, badge_code=code, walk_in=walk_in,
                        search_key=search_key(fields["full_name"], fields.get("unit"), code), **fields)
    session.add(delegate)
    session.flush()
    session.add(Badge(code=code, conference_id=conference_id, delegate_id=delegate.id))
    return delegate


def reissue_badge(conference_id: int, delegate_id: int) -> Delegate:
    """A new code for a lost badge; the old code is revoked and refused from now on."""
    with write_transaction() as session:
        delegate = get_delegate(conference_id, delegate_id)
        session.execute(sa.update(Badge).where(Badge.delegate_id == delegate.id, Badge.revoked_at.is_(None))
                        .values(revoked_at=utcnow()))
        code = badgecodes.new_code()
        session.add(Badge(code=code, conference_id=conference_id, delegate_id=delegate.id))
        delegate.badge_code = code
        delegate.search_key = search_key(delegate.full_name, delegate.unit, code)
        bump_version(conference_id)
    return delegate


def attendance(conference_id: int) -> dict:
    """Present / expected, overall and per group in protocol order.

    Counted per group_id in two narrow queries (delegates; check-ins joined to their delegate)
    rather than one three-table join per figure: it is part of every snapshot, so of every
    publish and every GET /api/state (bench/checkin_load.py), and costs half as much this way.
    """
    expected_by_group = group_sizes(conference_id)
    present_by_group = dict(db.session.execute(
        sa.select(Delegate.group_id, sa.func.count()).select_from(CheckIn)
        .join(Delegate, Delegate.id == CheckIn.delegate_id)
        .where(CheckIn.conference_id == conference_id).group_by(Delegate.group_id)).all())
    listed = [{"id": g.id, "name": g.name, "color": g.color, "expected": expected_by_group.get(g.id, 0),
               "present": present_by_group.get(g.id, 0)} for g in groups(conference_id)]
    expected, present = sum(expected_by_group.values()), sum(present_by_group.values())
    return {"present": present, "expected": expected, "absent": expected - present, "groups": listed}


# --- the door tablet's feeds: read in one transaction each, ended before the answer is written ---

def door_roster(conference_id: int) -> tuple[int, dict]:
    """(version, {"groups", "fields", "rows"}): every delegate, the field names once, then one list per
    delegate by id. The version comes apart so the roster alone can be tagged: a check-in moves it."""
    version = show_state(conference_id).version
    rows = db.session.execute(
        sa.select(Delegate.id, Delegate.full_name, Delegate.position, Delegate.unit, DelegateGroup.name,
                  Delegate.seat, Delegate.badge_code, Delegate.absence_reason, Delegate.absence_note)
        .outerjoin(DelegateGroup, Delegate.group_id == DelegateGroup.id)
        .where(Delegate.conference_id == conference_id).order_by(Delegate.id)).all()
    content = {"groups": [{"name": g.name, "color": g.color} for g in groups(conference_id)],
               "fields": list(ROSTER_FIELDS), "rows": [list(row) for row in rows]}
    db.session.rollback()
    return version, content


def presence(conference_id: int) -> dict:
    """Who is checked in: {"version", "present": [[delegate_id, checked_in_at, device], ...]}."""
    version = show_state(conference_id).version
    rows = db.session.execute(
        sa.select(CheckIn.delegate_id, CheckIn.checked_in_at, CheckIn.device)
        .where(CheckIn.conference_id == conference_id).order_by(CheckIn.id)).all()
    body = {"version": version, "present": [[d, at.isoformat(), device] for d, at, device in rows]}
    db.session.rollback()
    return body


def arrivals(conference_id: int) -> list[tuple[float, int]]:
    """(unix time, people present so far) after each check-in, for the arrivals chart."""
    times = db.session.scalars(sa.select(CheckIn.checked_in_at).where(CheckIn.conference_id == conference_id)
                               .order_by(CheckIn.checked_in_at))
    return [(moment.timestamp(), count) for count, moment in enumerate(times, start=1)]


def missing(conference_id: int) -> list[Delegate]:
    """Who has not arrived yet, in Vietnamese name order (given name, middle, family name; đ after d)."""
    absent = db.session.scalars(sa.select(Delegate).outerjoin(CheckIn, CheckIn.delegate_id == Delegate.id)
                                .where(Delegate.conference_id == conference_id, CheckIn.id.is_(None)))
    return sorted(absent, key=lambda d: (name_sort_key(d.full_name), d.id))
