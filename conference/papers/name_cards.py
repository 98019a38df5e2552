"""Desk name cards: an A4 sheet (landscape) a card, folded along its middle into a tent. Both
faces carry the danh xưng, the name and the position beneath it, read from the hall; the back
face (the sheet's upper half) is printed upside down, so that it reads the right way up once
folded. Be Vietnam Pro, embedded. A long name (40 characters and more) wraps onto two lines and
shrinks; nothing comes nearer the fold than FOLD_CLEAR."""
from __future__ import annotations

import io
from dataclasses import dataclass

import sqlalchemy as sa
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from conference.core.db import db
from conference.core.errors import ConferenceError
from conference.core.models import Delegate, Seat, SeatArea, SeatReserve
from conference.core.textnorm import name_sort_key
from conference.seating.assign import protocol_key
from conference.seating.hall import seats
from .print_text import BOLD, REGULAR, TextBlock, fit_blocks, register_fonts
from .seating_chart import draw_centred

PAGE_W, PAGE_H = landscape(A4)
FACE_H = PAGE_H / 2  # the fold is the sheet's middle line
SIDE = 15 * mm
FOLD_CLEAR = 12 * mm  # no text nearer the fold than this: it would bend away on the crease
EDGE = 10 * mm  # from the sheet's edge (the table)
NAME_SIZE, HONORIFIC_SIZE, POSITION_SIZE = 56, 24, 20
STAGE = (SeatArea.PRESIDIUM, SeatArea.SECRETARIAT)


@dataclass(frozen=True)
class Card:
    honorific: str
    full_name: str
    position: str


def card_of(delegate: Delegate) -> Card:
    return Card(delegate.honorific or "", delegate.full_name, delegate.position or "")


def face_box() -> tuple[float, float, float, float]:
    """The text's box on a face, in the face's own coordinates (left, bottom, width, height):
    the table's edge at the bottom, the fold at the top."""
    return SIDE, EDGE, PAGE_W - 2 * SIDE, FACE_H - EDGE - FOLD_CLEAR


def face_blocks(card: Card) -> list[TextBlock]:
    """The face's texts fitted in its box: the name shrinks and wraps, never cut (a 120-character
    name still fits at a size read across a table)."""
    _, _, width, height = face_box()
    return fit_blocks([(card.honorific, REGULAR, HONORIFIC_SIZE), (card.full_name, BOLD, NAME_SIZE),
                       (card.position, REGULAR, POSITION_SIZE)], width, height, gap=3 * mm, smallest=12)


def cards_for(conference_id: int, chosen: list[int], everyone: bool = False) -> list[Card]:
    """The presidium's and the secretariat's, the guests' (those seated in the guest rows) and the
    CHOSEN delegates; or every delegate (EVERYONE). In the hall's order of their seats (the stage
    first), as the ushers set them out; those without a seat last, in protocol order."""
    delegates = list(db.session.scalars(sa.select(Delegate).where(Delegate.conference_id == conference_id)))
    if not everyone:
        wanted = set(db.session.scalars(sa.select(Seat.code).where(
            Seat.conference_id == conference_id,
            sa.or_(Seat.area.in_([a.value for a in STAGE]), Seat.reserve == SeatReserve.GUESTS.value))))
        known = {d.id for d in delegates}
        unknown = [i for i in chosen if i not in known]
        if unknown:
            raise ConferenceError("unknown_delegate", "Không tìm thấy đại biểu.", 404)
        delegates = [d for d in delegates if d.seat in wanted or d.id in chosen]
    if not delegates:
        raise ConferenceError("no_name_cards", "Không có ai để in biển tên: hãy xếp Đoàn chủ tịch, khách mời "
                              "hoặc chọn đại biểu.", 404)
    places = {seat.code: index for index, seat in enumerate(seats(conference_id))}  # the stage first
    by_seat = sorted(delegates, key=lambda d: (places.get(d.seat, len(places)), protocol_key(d),
                                               name_sort_key(d.full_name)))
    return [card_of(d) for d in by_seat]


def name_cards_pdf(conference_id: int, chosen: list[int] | None = None, everyone: bool = False) -> bytes:
    register_fonts()
    cards = cards_for(conference_id, chosen or [], everyone)
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(PAGE_W, PAGE_H))
    pdf.setTitle("Biển tên để bàn")
    for card in cards:
        _draw_card(pdf, card)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def _draw_card(pdf: canvas.Canvas, card: Card) -> None:
    blocks = face_blocks(card)
    pdf.setStrokeColorRGB(0.75, 0.75, 0.75)
    pdf.setLineWidth(0.4)
    pdf.setDash(3, 3)
    pdf.line(0, FACE_H, PAGE_W, FACE_H)  # where to fold
    pdf.setDash()
    _draw_face(pdf, blocks)  # the front: the sheet's lower half, upright
    pdf.saveState()
    pdf.translate(PAGE_W, PAGE_H)
    pdf.rotate(180)  # the back: the upper half, upside down
    _draw_face(pdf, blocks)
    pdf.restoreState()


def _draw_face(pdf: canvas.Canvas, blocks: list[TextBlock]) -> None:
    """The blocks centred in the face's box, top to bottom."""
    left, bottom, width, height = face_box()
    used = sum(block.height for block in blocks) + 3 * mm * (len(blocks) - 1)
    pdf.setFillColorRGB(0, 0, 0)
    draw_centred(pdf, blocks, left, bottom + height - (height - used) / 2, width, gap=3 * mm)
