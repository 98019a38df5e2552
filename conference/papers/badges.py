"""Badges: A4 sheets with cut guides (PDF) and one PNG per delegate, each with its QR code.

The font is Be Vietnam Pro, vendored under static/vendor/fonts and embedded in the PDF, so
every Vietnamese letter prints the same on any machine; nothing is downloaded at run time.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

import qrcode
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from conference.checkin.roster import get_group
from conference.core.models import Conference, Delegate
from conference.core.textnorm import mid_sentence
from conference.me.venue import phone_address, venue_address
from .print_text import (BOLD, LEADING, PNG_BOLD, PNG_REGULAR, REGULAR, TextBlock, fit_blocks, fit_size, one_line,
                         pil_font, register_fonts, text_width)

BADGE_W, BADGE_H = 90 * mm, 60 * mm
COLUMNS, ROWS = 2, 4
DEFAULT_COLOR = "#b71c1c"


@dataclass(frozen=True)
class BadgeText:
    """Everything printed on one badge, read from the database once."""
    code: str
    full_name: str
    position: str
    unit: str
    group: str
    color: str
    title: str
    seat: str = ""
    honorific: str = ""  # danh xưng: the invitation's "Kính gửi: Ông …"; the badge shows the name alone
    phone: str = ""  # the phone QR's address (<venue>/me/<code>), while the venue's address is set

    @property
    def group_line(self) -> str:
        """The group bar's text: the group, and the seat when there is one ("Tổ dân phố · Ghế A3-12")."""
        return " · ".join(part for part in (self.group, f"Ghế {self.seat}" if self.seat else "") if part)

    @classmethod
    def of(cls, delegate: Delegate, conference: Conference, venue: str | None = None) -> "BadgeText":
        group = delegate.group
        title = " ".join(p for p in (conference.title, mid_sentence(conference.edition), f"({conference.period})"
                                     if conference.period else "") if p)
        return cls(delegate.badge_code, delegate.full_name, delegate.position or "", delegate.unit or "",
                   group.name if group else "", group.color if group else DEFAULT_COLOR, title,
                   seat=delegate.seat or "", honorific=delegate.honorific or "",
                   phone=phone_address(venue, delegate.badge_code) if venue else "")


def qr_matrix(code: str) -> list[list[bool]]:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    qr.add_data(code)  # upper case and digits only: encoded in alphanumeric mode
    qr.make(fit=True)
    return qr.get_matrix()


def _slots() -> Iterator[tuple[float, float]]:
    """Lower-left corners of the badges on a sheet, row by row, forever (a new page each time round)."""
    page_w, page_h = A4
    left = (page_w - COLUMNS * BADGE_W) / 2
    top = (page_h + ROWS * BADGE_H) / 2
    while True:
        for row in range(ROWS):
            for column in range(COLUMNS):
                yield left + column * BADGE_W, top - (row + 1) * BADGE_H


def _cut_guides(pdf: canvas.Canvas) -> None:
    page_w, page_h = A4
    left = (page_w - COLUMNS * BADGE_W) / 2
    bottom = (page_h - ROWS * BADGE_H) / 2
    pdf.setStrokeColorRGB(0.6, 0.6, 0.6)
    pdf.setLineWidth(0.3)
    pdf.setDash(2, 2)
    for column in range(COLUMNS + 1):
        x = left + column * BADGE_W
        pdf.line(x, bottom - 5 * mm, x, bottom + ROWS * BADGE_H + 5 * mm)
    for row in range(ROWS + 1):
        y = bottom + row * BADGE_H
        pdf.line(left - 5 * mm, y, left + COLUMNS * BADGE_W + 5 * mm, y)
    pdf.setDash()


PAD = 4 * mm  # white edge inside the cut line
BAND = 11 * mm  # the coloured band with the conference's title
QR_SIZE = 30 * mm
GROUP_BAR = 6 * mm


def qr_square(x: float, y: float) -> tuple[float, float, float]:
    """Lower-left corner and side of the QR code on the badge whose lower-left corner is (x, y)."""
    return x + BADGE_W - PAD - QR_SIZE, y + PAD + 3 * mm, QR_SIZE


def text_column(x: float, y: float) -> tuple[float, float, float, float]:
    """The box (left, bottom, width, height) for name, position and unit: left of the QR code,
    under the band, over the group bar, a clear PAD from each."""
    left, bottom = x + PAD, y + PAD + GROUP_BAR + 1.5 * mm
    return left, bottom, BADGE_W - 3 * PAD - QR_SIZE, y + BADGE_H - BAND - 2 * mm - bottom


def _draw_blocks(pdf: canvas.Canvas, left: float, top: float, blocks: list[TextBlock],
                 gap: float = 1.2 * mm, centred_in: float | None = None) -> None:
    for block in blocks:
        pdf.setFont(block.font, block.size)
        for line in block.lines:
            top -= block.size * LEADING
            baseline = top + block.size * (LEADING - 1) / 2 + block.size * 0.27  # the descender's room
            if centred_in is None:
                pdf.drawString(left, baseline, line)
            else:
                pdf.drawCentredString(left + centred_in / 2, baseline, line)
        top -= gap


def _draw_badge(pdf: canvas.Canvas, x: float, y: float, badge: BadgeText) -> None:
    pdf.setFillColor(badge.color)
    pdf.rect(x, y + BADGE_H - BAND, BADGE_W, BAND, stroke=0, fill=1)
    pdf.setFillColorRGB(1, 1, 1)
    title = fit_blocks([(badge.title, BOLD, 8)], BADGE_W - 2 * PAD, BAND - 2 * mm)
    title_h = sum(block.height for block in title)
    _draw_blocks(pdf, x + PAD, y + BADGE_H - (BAND - title_h) / 2, title, centred_in=BADGE_W - 2 * PAD)
    qr_x, qr_y, qr_size = qr_square(x, y)
    if badge.phone:
        _draw_phone_qr(pdf, x, qr_y, badge.phone)
        qr_x, qr_size = qr_x + (QR_SIZE - PHONE_BADGE_QR) / 2, PHONE_BADGE_QR  # the door's QR makes room
    draw_qr(pdf, qr_x, qr_y, qr_size, badge.code)
    pdf.setFillColorRGB(0.3, 0.3, 0.3)
    code, size = one_line(badge.code, REGULAR, 6, qr_size)
    pdf.setFont(REGULAR, size)
    pdf.drawCentredString(qr_x + qr_size / 2, y + PAD - 0.5 * mm, code)
    left, bottom, width, height = text_column(x, y)
    name_size = fit_size(badge.full_name, BOLD, 15, width, 11)  # a name reads best on one line: shrunk a little first
    blocks = fit_blocks([(badge.full_name, BOLD, name_size), (badge.position, REGULAR, 8.5),
                         (badge.unit, REGULAR, 8.5)], width, height)
    pdf.setFillColorRGB(0.1, 0.1, 0.1)
    _draw_blocks(pdf, left, bottom + height, blocks)
    pdf.setFillColor(badge.color)
    pdf.rect(x + PAD, y + PAD, width, GROUP_BAR, stroke=0, fill=1)
    pdf.setFillColorRGB(1, 1, 1)
    size = fit_size(badge.group_line, BOLD, 7, width - 2 * mm, 6)
    blocks = ([TextBlock(BOLD, size, (badge.group_line,))]
              if pdfmetrics.stringWidth(badge.group_line, BOLD, size) <= width - 2 * mm  # else two lines
              else fit_blocks([(badge.group_line, BOLD, 7)], width - 2 * mm, GROUP_BAR - 0.6 * mm))
    group_h = sum(block.height for block in blocks)
    _draw_blocks(pdf, x + PAD + 1 * mm, y + PAD + (GROUP_BAR + group_h) / 2, blocks)


# With the venue's address set, the badge's QR shrinks to 26 mm (a version-1 code: a module of
# 1 mm, still easy for the door) and a 14 mm phone QR sits above it, for the delegate's own camera.
PHONE_BADGE_QR = 26 * mm
PHONE_QR = 14 * mm


def _draw_phone_qr(pdf: canvas.Canvas, x: float, qr_y: float, address: str) -> None:
    right = x + BADGE_W - PAD
    bottom = qr_y + PHONE_BADGE_QR + 0.5 * mm
    draw_qr(pdf, right - PHONE_QR, bottom, PHONE_QR, address)
    pdf.setFillColorRGB(0.3, 0.3, 0.3)
    pdf.setFont(REGULAR, 5.5)
    for row, line in enumerate(("Mở trên", "điện thoại")):
        pdf.drawRightString(right - PHONE_QR - 0.5 * mm, bottom + PHONE_QR / 2 - row * 2.4 * mm, line)


def draw_qr(pdf: canvas.Canvas, x: float, y: float, size: float, code: str) -> None:
    matrix = qr_matrix(code)
    quiet = 2  # modules of white margin inside the given square (the badge is white anyway)
    cell = size / (len(matrix) + 2 * quiet)
    pdf.setFillColorRGB(0, 0, 0)
    path = pdf.beginPath()
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                path.rect(x + (c + quiet) * cell, y + size - (r + quiet + 1) * cell, cell, cell)
    pdf.drawPath(path, stroke=0, fill=1)


def write_pdf(path: Path, badges: Iterable[BadgeText], progress: Callable[[int], None] | None = None) -> int:
    """A4 sheets of 8 badges with dashed cut guides. Returns the number of badges."""
    register_fonts()
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setTitle("Thẻ đại biểu")
    slots, count = _slots(), 0
    for count, badge in enumerate(badges, start=1):
        if count > 1 and (count - 1) % (COLUMNS * ROWS) == 0:
            pdf.showPage()
        if (count - 1) % (COLUMNS * ROWS) == 0:
            _cut_guides(pdf)
        _draw_badge(pdf, *next(slots), badge)
        if progress:
            progress(1)
    pdf.save()
    return count


def write_png(path: Path, badge: BadgeText) -> None:
    """A badge to send to a phone: 720x1000, name and QR large enough to scan from a screen."""
    width, height = 720, 1000
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 130), fill=badge.color)
    title = fit_blocks([(badge.title, PNG_BOLD, 30)], width - 40, 110, smallest=14)
    _png_blocks(draw, title, 65 - sum(block.height for block in title) / 2, width, ("white",))
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=18, border=4)
    qr.add_data(badge.code)
    qr.make(fit=True)
    code_image = qr.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    image.paste(code_image, ((width - code_image.width) // 2, 160))
    y = 160 + code_image.height + 10
    _centred(draw, badge.code, 26, width, y, False, "#555555")
    name_size = 52
    while name_size > 36 and text_width(badge.full_name, PNG_BOLD, name_size) > width - 40:
        name_size -= 2  # a name reads best on one line: shrunk a little first, then wrapped
    blocks = fit_blocks([(badge.full_name, PNG_BOLD, name_size), (badge.position, PNG_REGULAR, 30),
                         (badge.unit, PNG_REGULAR, 30)], width - 40, height - 95 - (y + 45), gap=8, smallest=14)
    _png_blocks(draw, blocks, y + 45, width, ("#111111", "#333333", "#333333"))
    draw.rectangle((0, height - 80, width, height), fill=badge.color)
    group = fit_blocks([(badge.group_line, PNG_BOLD, 30)], width - 40, 70, smallest=14)
    _png_blocks(draw, group, height - 40 - sum(b.height for b in group) / 2, width, ("white",))
    # zlib level 1: a third faster than the default 6 for a few KB more (bench/badges_import.py).
    image.save(path, "PNG", optimize=False, compress_level=1)


def _png_blocks(draw, blocks: list[TextBlock], top: float, width: int, fills: tuple[str, ...]) -> None:
    """Each block's lines centred, one under the other, from top down (gap: 8 px)."""
    for block, fill in zip(blocks, fills):
        font = pil_font(block.font == PNG_BOLD, round(block.size))
        for line in block.lines:
            draw.text(((width - draw.textlength(line, font=font)) / 2, top), line, font=font, fill=fill)
            top += block.size * LEADING
        top += 8


def _centred(draw, text: str, size: int, width: int, y: int, bold: bool, fill: str) -> None:
    if not text:
        return
    font = pil_font(bold, size)
    while size > 14 and draw.textlength(text, font=font) > width - 40:
        size -= 2
        font = pil_font(bold, size)
    draw.text(((width - draw.textlength(text, font=font)) / 2, y), text, font=font, fill=fill)


def badge_texts(conference_id: int, delegate_ids: Iterable[int] | None = None,
                group_id: int | None = None) -> list[BadgeText]:
    """The badges to print, in protocol order of the groups, then the Vietnamese order of names."""
    import sqlalchemy as sa

    from conference.core.db import db
    from conference.core.textnorm import name_sort_key
    conference = db.session.get(Conference, conference_id)
    statement = sa.select(Delegate).where(Delegate.conference_id == conference_id)
    if delegate_ids is not None:
        statement = statement.where(Delegate.id.in_(list(delegate_ids)))
    if group_id is not None:
        statement = statement.where(Delegate.group_id == group_id)
    delegates = list(db.session.scalars(statement))
    delegates.sort(key=lambda d: (d.group.position if d.group else 10**6, name_sort_key(d.full_name)))
    venue = venue_address(conference_id)
    return [BadgeText.of(d, conference, venue) for d in delegates]


def badges_pdf(conference_id: int, delegate_ids: Iterable[int] | None = None,
               group_id: int | None = None) -> bytes | None:
    """The badges as A4 sheets, or None when there is no one to print; an unknown group is NotFound."""
    if group_id is not None:
        get_group(conference_id, group_id)
    badges = badge_texts(conference_id, delegate_ids=delegate_ids, group_id=group_id)
    if not badges:
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "badges.pdf"
        write_pdf(path, badges)
        return path.read_bytes()


def generate_badges(conference_id: int, out_dir: Path, progress: Callable[[int], None] | None = None,
                    pngs: bool = True) -> int:
    """Write out_dir/badges.pdf and, unless told not to, out_dir/<code>.png for each delegate."""
    out_dir.mkdir(parents=True, exist_ok=True)
    badges = badge_texts(conference_id)
    count = write_pdf(out_dir / "badges.pdf", badges, progress)
    if pngs:
        for badge in badges:
            write_png(out_dir / f"{badge.code}.png", badge)
            if progress:
                progress(1)
        _remove_stale_pngs(out_dir, {badge.code for badge in badges})
    return count


def _remove_stale_pngs(out_dir: Path, current: set[str]) -> None:
    """A PNG left from an earlier run whose code was reissued would be sent by mistake: remove it.

    Only files named exactly like a badge code are touched.
    """
    from conference.checkin.badgecodes import normalise
    for path in out_dir.glob("*.png"):
        if path.stem not in current and normalise(path.stem) == path.stem:
            path.unlink()
