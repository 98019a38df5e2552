"""The hall of a conference, described once: the presidium table (Đoàn chủ tịch) and the
secretariat on the stage, then blocks of rows facing it, the front rows of a block kept for the
guests and, behind them, for the honourees. Describing it makes one Seat row per seat; seats are
named by codes an usher reads at a glance: "CT2" (Đoàn chủ tịch 2), "TK1" (Thư ký 1), "A3-12"
(Khu A · Hàng 3 · Ghế 12)."""
from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa

from conference.core.db import db, write_transaction
from conference.core.errors import N_, ConferenceError, Translate, render
from conference.core.fields import int_field
from conference.core.models import Delegate, Seat, SeatArea, SeatReserve
from conference.core.state import bump_version, get_conference

MAX_STAGE = 40
MAX_ROWS = 60
MAX_SEATS_PER_ROW = 60
MAX_BLOCKS = 6
MAX_HALL = 5000
STAGE_PREFIX = {SeatArea.PRESIDIUM: "CT", SeatArea.SECRETARIAT: "TK"}
BLOCK_NAME = re.compile(r"[A-Z]{1,3}")
HALL_CODE = re.compile(r"(?P<block>[A-Z]{1,3})(?P<row>\d{1,2})-(?P<number>\d{1,2})")
STAGE_CODE = re.compile(r"(?P<prefix>CT|TK)(?P<number>\d{1,2})")


@dataclass
class BlockSpec:
    """A block of the hall as the office describes it."""
    name: str
    rows: int
    seats: int  # a row
    guest_rows: int = 0
    honouree_rows: int = 0


@dataclass
class HallSpec:
    presidium: int
    secretariat: int
    blocks: list[BlockSpec]

    @property
    def hall_seats(self) -> int:
        return sum(block.rows * block.seats for block in self.blocks)


# --- codes and labels -----------------------------------------------------------------------

def hall_code(block: str, row: int, number: int) -> str:
    return f"{block}{row}-{number}"


def seat_label(code: str | None, translate: Translate | None = None) -> str:
    """What an usher reads for a code: "Khu A · Hàng 3 · Ghế 12", "Đoàn chủ tịch 2"; a seat written
    before there was a hall (free text) as it is."""
    if not code:
        return ""
    if found := STAGE_CODE.fullmatch(code):
        msgid = N_("Đoàn chủ tịch %(number)s") if found["prefix"] == "CT" else N_("Thư ký %(number)s")
        return render(msgid, {"number": int(found["number"])}, translate)
    if found := HALL_CODE.fullmatch(code):
        return render(N_("Khu %(block)s · Hàng %(row)s · Ghế %(number)s"),
                      {"block": found["block"], "row": int(found["row"]), "number": int(found["number"])}, translate)
    return code


# --- reading the hall ---------------------------------------------------------------------------

def seats(conference_id: int) -> list[Seat]:
    """Every seat, the stage first, then block by block (left to right), row by row, seat by seat."""
    area_order = sa.case({SeatArea.PRESIDIUM.value: 0, SeatArea.SECRETARIAT.value: 1}, value=Seat.area, else_=2)
    return list(db.session.scalars(sa.select(Seat).where(Seat.conference_id == conference_id)
                                   .order_by(area_order, Seat.block_position, Seat.row, Seat.number)))


def spec_of(conference_id: int) -> HallSpec:
    """The description the seats were made from (what the office's form shows again)."""
    found = seats(conference_id)
    stage = {area: sum(1 for s in found if s.area == area) for area in (SeatArea.PRESIDIUM, SeatArea.SECRETARIAT)}
    blocks: dict[str, BlockSpec] = {}
    reserved: dict[tuple[str, int], SeatReserve | None] = {}
    for seat in found:
        if seat.area != SeatArea.HALL:
            continue
        block = blocks.setdefault(seat.block, BlockSpec(seat.block, 0, 0))
        block.rows, block.seats = max(block.rows, seat.row), max(block.seats, seat.number)
        reserved[(seat.block, seat.row)] = seat.reserve
    for (name, _row), reserve in reserved.items():
        if reserve == SeatReserve.GUESTS:
            blocks[name].guest_rows += 1
        elif reserve == SeatReserve.HONOUREES:
            blocks[name].honouree_rows += 1
    return HallSpec(stage[SeatArea.PRESIDIUM], stage[SeatArea.SECRETARIAT], list(blocks.values()))


@dataclass
class SeatMap:
    """Where one seat is, for a small map on the delegate's phone: the stage and the blocks' shapes
    only (nobody's name), and the seat's place among them."""
    stage_seats: int
    blocks: list[BlockSpec]
    block: str | None  # None: on the stage
    row: int
    number: int


def seat_map(conference_id: int, code: str | None) -> SeatMap | None:
    """The map of CODE's seat in the conference's hall; None for no seat or one the hall does not have."""
    if not code or not (HALL_CODE.fullmatch(code) or STAGE_CODE.fullmatch(code)):
        return None
    spec = spec_of(conference_id)
    if stage := STAGE_CODE.fullmatch(code):
        number = int(stage["number"]) + (spec.presidium if stage["prefix"] == "TK" else 0)
        on_stage = spec.presidium + spec.secretariat
        return SeatMap(on_stage, spec.blocks, None, 0, number) if number <= on_stage else None
    found = HALL_CODE.fullmatch(code)
    block = next((b for b in spec.blocks if b.name == found["block"]), None)
    row, number = int(found["row"]), int(found["number"])
    if block is None or row > block.rows or number > block.seats:
        return None
    return SeatMap(spec.presidium + spec.secretariat, spec.blocks, block.name, row, number)


# --- describing it ------------------------------------------------------------------------------

def parse_spec(presidium: object, secretariat: object, blocks: list[dict]) -> HallSpec:
    """A HallSpec from a form's (or the demo's) values, or a ConferenceError naming what is wrong.
    A block whose name is empty is left out (the form's spare lines)."""
    spec = HallSpec(int_field(presidium, N_("Ghế Đoàn chủ tịch"), 0, MAX_STAGE) or 0,
                    int_field(secretariat, N_("Ghế thư ký"), 0, MAX_STAGE) or 0, [])
    for values in blocks:
        name = str(values.get("name") or "").strip().upper()
        if not name:
            continue
        if not BLOCK_NAME.fullmatch(name):
            raise ConferenceError("invalid_block", "Tên khu “%(name)s” phải là 1 đến 3 chữ cái không dấu (A, B, C…).",
                                  name=name[:20])
        if any(block.name == name for block in spec.blocks):
            raise ConferenceError("duplicate_block", "Có hai khu cùng tên “%(name)s”.", name=name)
        rows = int_field(values.get("rows"), N_("Số hàng"), 1, MAX_ROWS, required=True)
        block = BlockSpec(name, rows, int_field(values.get("seats"), N_("Ghế mỗi hàng"), 1, MAX_SEATS_PER_ROW,
                                                required=True),
                          int_field(values.get("guest_rows"), N_("Hàng khách mời"), 0, rows) or 0,
                          int_field(values.get("honouree_rows"), N_("Hàng khen thưởng"), 0, rows) or 0)
        if block.guest_rows + block.honouree_rows > rows:
            raise ConferenceError("too_many_reserved", "Khu %(name)s chỉ có %(rows)d hàng.", name=name, rows=rows)
        spec.blocks.append(block)
    if len(spec.blocks) > MAX_BLOCKS:
        raise ConferenceError("too_many_blocks", "Hội trường có nhiều nhất %(limit)d khu.", limit=MAX_BLOCKS)
    if spec.hall_seats > MAX_HALL:
        raise ConferenceError("hall_too_large", "Hội trường có nhiều nhất %(limit)d ghế.", limit=MAX_HALL)
    return spec


def seat_rows(conference_id: int, spec: HallSpec) -> list[dict]:
    """The seat table's rows SPEC describes, as values to insert (thousands at once, not one by one)."""
    made = [{"conference_id": conference_id, "code": f"{STAGE_PREFIX[area]}{number}", "area": area, "block": None,
             "block_position": 0, "row": 1, "number": number, "reserve": None}
            for area, count in ((SeatArea.PRESIDIUM, spec.presidium), (SeatArea.SECRETARIAT, spec.secretariat))
            for number in range(1, count + 1)]
    for position, block in enumerate(spec.blocks, start=1):
        for row in range(1, block.rows + 1):
            reserve = (SeatReserve.GUESTS if row <= block.guest_rows else
                       SeatReserve.HONOUREES if row <= block.guest_rows + block.honouree_rows else None)
            made += [{"conference_id": conference_id, "code": hall_code(block.name, row, number),
                      "area": SeatArea.HALL, "block": block.name, "block_position": position, "row": row,
                      "number": number, "reserve": reserve} for number in range(1, block.seats + 1)]
    return made


def replace_seats(session, conference_id: int, spec: HallSpec) -> int:
    """Inside the caller's transaction (which bumps the version): the hall becomes SPEC. Refused
    (nothing changed) while a delegate sits on a seat the new hall would not have."""
    made = seat_rows(conference_id, spec)
    codes = {seat["code"] for seat in made}
    seated = session.execute(sa.select(Delegate.seat, Delegate.full_name).where(
        Delegate.conference_id == conference_id, Delegate.seat.is_not(None)).order_by(Delegate.id)).all()
    lost = [(seat, name) for seat, name in seated if seat not in codes]
    if made and lost:
        raise ConferenceError("seat_in_use", "Hội trường mới không có ghế “%(seat)s” của %(name)s (và %(more)d "
                              "ghế khác đang có người): hãy xếp lại các đại biểu này trước.",
                              seat=lost[0][0], name=lost[0][1], more=len(lost) - 1)
    session.execute(sa.delete(Seat).where(Seat.conference_id == conference_id))
    if made:
        session.execute(sa.insert(Seat), made)
    return len(made)


def describe_hall(conference_id: int, presidium: object, secretariat: object, blocks: list[dict]) -> int:
    """The office's description of the hall; returns the number of seats."""
    spec = parse_spec(presidium, secretariat, blocks)
    with write_transaction() as session:
        get_conference(conference_id)
        count = replace_seats(session, conference_id, spec)
        bump_version(conference_id)
        return count


def copy_hall(conference_id: int, source_id: object) -> int:
    """The hall of another conference of this install, as it is (who sits where is not copied)."""
    with write_transaction() as session:
        get_conference(conference_id)
        if not isinstance(source_id, int) or source_id == conference_id:
            raise ConferenceError("invalid_source", "Chọn một hội nghị khác để chép hội trường.")
        get_conference(source_id)
        spec = spec_of(source_id)
        if not spec.presidium and not spec.secretariat and not spec.blocks:
            raise ConferenceError("no_hall", "Hội nghị đó chưa có hội trường.")
        count = replace_seats(session, conference_id, spec)
        bump_version(conference_id)
        return count


# --- the hall with who sits where (the office's grid, the printed chart) --------------------------

@dataclass
class Place:
    seat: Seat
    delegate: Delegate | None


@dataclass
class BlockPlan:
    name: str
    rows: list[list[Place]]  # the row nearest the stage first; each row from seat 1


@dataclass
class HallPlan:
    presidium: list[Place]
    secretariat: list[Place]
    blocks: list[BlockPlan]
    unseated: list[Delegate]  # nobody's seat is lost: those without one are listed
    strays: list[Delegate]  # seated on a code the hall does not have (a seat typed before the hall)

    @property
    def places(self) -> list[Place]:
        return self.presidium + self.secretariat + [p for b in self.blocks for row in b.rows for p in row]

    @property
    def empty(self) -> bool:
        return not self.presidium and not self.secretariat and not self.blocks


def hall_plan(conference_id: int) -> HallPlan:
    """The hall seat by seat, each with its delegate or none; two queries."""
    delegates = list(db.session.scalars(sa.select(Delegate).where(Delegate.conference_id == conference_id)
                                        .order_by(Delegate.id)))
    by_seat = {d.seat: d for d in delegates if d.seat}
    plan = HallPlan([], [], [], [d for d in delegates if not d.seat], [])
    for seat in seats(conference_id):
        place = Place(seat, by_seat.pop(seat.code, None))
        if seat.area == SeatArea.PRESIDIUM:
            plan.presidium.append(place)
        elif seat.area == SeatArea.SECRETARIAT:
            plan.secretariat.append(place)
        else:
            if not plan.blocks or plan.blocks[-1].name != seat.block:
                plan.blocks.append(BlockPlan(seat.block, []))
            block = plan.blocks[-1]
            if len(block.rows) < seat.row:
                block.rows.append([])
            block.rows[-1].append(place)
    plan.strays = list(by_seat.values())
    return plan
