"""Who sits where: a seat given by hand, a seat cleared, and the automatic assignment of the empty
seats in protocol order. Never two delegates on one seat (roster.claim_seat, and the database's
unique key on a conference's seats behind it)."""
from __future__ import annotations

import sqlalchemy as sa

from conference.awards.order import calling_order
from conference.checkin.roster import claim_seat, get_delegate
from conference.core.db import db, write_transaction
from conference.core.errors import ConferenceError
from conference.core.models import Delegate, DelegateGroup, Seat, SeatArea, SeatReserve
from conference.core.state import bump_version
from conference.core.textnorm import clean, fold
from .hall import seats

# The first words of a head's title (folded): "Chủ tịch UBND", "Bí thư Đảng ủy", "Tổ trưởng".
# A deputy ("Phó Chủ tịch") is not one, unless another of their titles is ("Phó Bí thư, Chủ tịch …").
HEAD_TITLES = ("bi thu", "chu tich", "chu nhiem", "giam doc", "truong", "to truong", "hieu truong",
               "truong ban", "truong phong", "chanh van phong", "thu truong", "tong bi thu")


def assign_seat(conference_id: int, delegate_id: object, seat: object) -> Delegate:
    """Seat a delegate by hand (their former seat is freed); refused if the hall has no such seat
    or someone else sits there."""
    code = clean(seat if isinstance(seat, str) else None).upper() or None
    if code is None:
        raise ConferenceError("missing_seat", "Chọn một ghế.")
    with write_transaction():
        delegate = get_delegate(conference_id, delegate_id)
        if not _has_hall(conference_id):
            raise ConferenceError("no_hall", "Hãy mô tả hội trường trước khi xếp ghế.")
        claim_seat(conference_id, code, delegate.id)
        delegate.seat = code
        bump_version(conference_id)
    return delegate


def clear_seat(conference_id: int, delegate_id: object) -> Delegate:
    """The delegate no longer has a seat; theirs is free again."""
    with write_transaction():
        delegate = get_delegate(conference_id, delegate_id)
        delegate.seat = None
        bump_version(conference_id)
    return delegate


def assign_automatically(conference_id: int) -> int:
    """Seat every delegate who has none, in the empty seats of the hall's blocks (the stage is set
    by hand), in protocol order; returns how many were seated. Nobody already seated moves.

    The order: the guest rows take the top of the protocol order (the groups' order, a group's
    heads before the others, then as listed), the honouree rows take the delegates called to the
    stage, one award batch together in one row from an aisle seat, and every other seat takes
    everyone else in protocol order, front row first. When a kind of row is full, the rest go on."""
    with write_transaction():
        if not _has_hall(conference_id):
            raise ConferenceError("no_hall", "Hãy mô tả hội trường trước khi xếp ghế.")
        seated = seat_the_unseated(conference_id)
        if seated:
            bump_version(conference_id)
        return seated


def seat_the_unseated(conference_id: int) -> int:
    """assign_automatically's work inside the caller's transaction (the demo's load uses it too)."""
    unseated = _protocol_order(conference_id)
    free = _free_hall_seats(conference_id)
    placed = _place_honourees(conference_id, unseated, free)
    waiting = [d for d in unseated if d.id not in placed]
    rest = [s for s in free if s.code not in placed.values()]
    # The guest rows first (the top of the protocol order), then every other seat front to back.
    rest.sort(key=lambda s: s.reserve != SeatReserve.GUESTS)
    for delegate, seat in zip(waiting, rest):
        placed[delegate.id] = seat.code
    for delegate in unseated:
        if delegate.id in placed:
            delegate.seat = placed[delegate.id]
    return len(placed)


def _has_hall(conference_id: int) -> bool:
    return db.session.scalar(sa.select(Seat.id).where(Seat.conference_id == conference_id).limit(1)) is not None


def is_head(position: str | None) -> bool:
    """A head of their unit by title (HEAD_TITLES), seated before the others of their group."""
    return any(part.strip().startswith(HEAD_TITLES) for part in fold(position).split(","))


def protocol_key(delegate: Delegate) -> tuple:
    """Groups in their order (none last), heads first, then as the roster lists them."""
    group_position = delegate.group.position if delegate.group else 10**6
    return (group_position, not is_head(delegate.position), delegate.id)


def _protocol_order(conference_id: int) -> list[Delegate]:
    waiting = db.session.scalars(sa.select(Delegate).outerjoin(DelegateGroup, Delegate.group_id == DelegateGroup.id)
                                 .where(Delegate.conference_id == conference_id, Delegate.seat.is_(None)))
    return sorted(waiting, key=protocol_key)


def _free_hall_seats(conference_id: int) -> list[Seat]:
    """The hall's empty seats (not the stage's), front row first, across the blocks left to right."""
    taken = set(db.session.scalars(sa.select(Delegate.seat).where(Delegate.conference_id == conference_id,
                                                                  Delegate.seat.is_not(None))))
    free = [s for s in seats(conference_id) if s.area == SeatArea.HALL and s.code not in taken]
    return sorted(free, key=lambda s: (s.row, s.block_position, s.number))


def _honouree_rows(free: list[Seat]) -> list[list[Seat]]:
    """The honouree rows' empty seats, row by row (front first, blocks left to right), each by number."""
    rows: dict[tuple[int, int], list[Seat]] = {}
    for seat in free:
        if seat.reserve == SeatReserve.HONOUREES:
            rows.setdefault((seat.row, seat.block_position), []).append(seat)
    return [sorted(found, key=lambda s: s.number) for _, found in sorted(rows.items())]


def _at_an_aisle(row: list[Seat], size: int, width: int) -> list[Seat] | None:
    """SIZE empty seats side by side from one end of the row (seat 1, or the last seat WIDTH), or None."""
    numbers = {seat.number: seat for seat in row}
    for wanted in (range(1, size + 1), range(width - size + 1, width + 1)):
        if all(number in numbers for number in wanted):
            return [numbers[number] for number in wanted]
    return None


def _place_honourees(conference_id: int, unseated: list[Delegate], free: list[Seat]) -> dict[int, str]:
    """delegate id -> seat code for the unseated delegates who are called to the stage: each batch
    of the calling order side by side from an aisle (seat 1 or the row's last) of the first
    honouree row with room for it; a batch no row can take so sits in the honouree rows' first
    empty seats."""
    waiting = {d.id for d in unseated}
    widths: dict[str, int] = {}
    for seat in seats(conference_id):
        if seat.area == SeatArea.HALL:
            widths[seat.block] = max(widths.get(seat.block, 0), seat.number)
    rows = _honouree_rows(free)
    placed: dict[int, str] = {}
    for announcement in calling_order(conference_id):
        batch = list(dict.fromkeys(h.delegate_id for h in announcement.honourees  # one receiving twice sits once
                                   if h.delegate_id in waiting and h.delegate_id not in placed))
        if not batch:
            continue
        targets = next((found for row in rows if (found := _at_an_aisle(row, len(batch), widths[row[0].block]))),
                       None) or [seat for row in rows for seat in row][:len(batch)]
        for delegate_id, seat in zip(batch, targets):
            placed[delegate_id] = seat.code
        rows = [kept for row in rows if (kept := [seat for seat in row if seat not in targets])]
    return placed
