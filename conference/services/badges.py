"""Badges: A4 sheets with cut guides (PDF) and one PNG per delegate, each with its QR code.

The font is Be Vietnam Pro, vendored under static/vendor/fonts and embedded in the PDF, so
every Vietnamese letter prints the same on any machine; nothing is downloaded at run time.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

import qrcode
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from ..models import Conference, Delegate
from ..resources import STATIC
from .roster import get_group

FONT_DIR = STATIC / "vendor" / "fonts"
REGULAR, BOLD = "BeVietnamPro", "BeVietnamPro-Bold"
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

    @classmethod
    def of(cls, delegate: Delegate, conference: Conference) -> "BadgeText":
        group = delegate.group
        title = " ".join(p for p in (conference.title, conference.edition, f"({conference.period})"
                                     if conference.period else "") if p)
        return cls(delegate.badge_code, delegate.full_name, delegate.position or "", delegate.unit or "",
                   group.name if group else "", group.color if group else DEFAULT_COLOR, title)


def qr_matrix(code: str) -> list[list[bool]]:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    qr.add_data(code)  # upper case and digits only: encoded in alphanumeric mode
    qr.make(fit=True)
    return qr.get_matrix()


@lru_cache(maxsize=1)
def _register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "BeVietnamPro-Regular.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "BeVietnamPro-Bold.ttf")))


def _slots() -> Iterator[tuple[float, float]]:
    """Lower-left corners of the badges on a sheet, row by row, forever (a new page each time round)."""
    page_w, page_h = A4
    left = (page_w - COLUMNS * BADGE_W) / 2
    top = (page_h + ROWS * BADGE_H) / 2
    while True:
        for row in range(ROWS):
            for column in range(COLUMNS):
                yield left + column * BADGE_W, top - (row + 1) * BADGE_H


def _fit(text: str, font: str, size: float, width: float, smallest: float = 6) -> float:
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


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


def _draw_badge(pdf: canvas.Canvas, x: float, y: float, badge: BadgeText) -> None:
    pad = 4 * mm
    band = 11 * mm
    pdf.setFillColor(badge.color)
    pdf.rect(x, y + BADGE_H - band, BADGE_W, band, stroke=0, fill=1)
    pdf.setFillColorRGB(1, 1, 1)
    size = _fit(badge.title, BOLD, 8, BADGE_W - 2 * pad)
    pdf.setFont(BOLD, size)
    pdf.drawCentredString(x + BADGE_W / 2, y + BADGE_H - band / 2 - size / 3, badge.title)
    qr_size = 30 * mm
    _draw_qr(pdf, x + BADGE_W - pad - qr_size, y + pad + 3 * mm, qr_size, badge.code)
    pdf.setFillColorRGB(0.3, 0.3, 0.3)
    pdf.setFont(REGULAR, 6)
    pdf.drawCentredString(x + BADGE_W - pad - qr_size / 2, y + pad - 0.5 * mm, badge.code)
    text_w = BADGE_W - 3 * pad - qr_size
    name_size = _fit(badge.full_name, BOLD, 15, text_w, 8)
    pdf.setFillColorRGB(0.1, 0.1, 0.1)
    pdf.setFont(BOLD, name_size)
    pdf.drawString(x + pad, y + BADGE_H - band - 9 * mm, badge.full_name)
    line_y = y + BADGE_H - band - 15 * mm
    for text in (badge.position, badge.unit):
        if text:
            pdf.setFont(REGULAR, _fit(text, REGULAR, 8.5, text_w))
            pdf.drawString(x + pad, line_y, text)
            line_y -= 5 * mm
    pdf.setFillColor(badge.color)
    pdf.rect(x + pad, y + pad, text_w, 6 * mm, stroke=0, fill=1)
    pdf.setFillColorRGB(1, 1, 1)
    pdf.setFont(BOLD, _fit(badge.group, BOLD, 7, text_w - 2 * mm))
    pdf.drawString(x + pad + 1 * mm, y + pad + 2 * mm, badge.group)


def _draw_qr(pdf: canvas.Canvas, x: float, y: float, size: float, code: str) -> None:
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
    _register_fonts()
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


@lru_cache(maxsize=128)
def _pil_font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    name = "BeVietnamPro-Bold.ttf" if bold else "BeVietnamPro-Regular.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), size)


def write_png(path: Path, badge: BadgeText) -> None:
    """A badge to send to a phone: 720x1000, name and QR large enough to scan from a screen."""
    width, height = 720, 1000
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 130), fill=badge.color)
    _centred(draw, badge.title, 30, width, 46, True, "white")
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=18, border=4)
    qr.add_data(badge.code)
    qr.make(fit=True)
    code_image = qr.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    image.paste(code_image, ((width - code_image.width) // 2, 160))
    y = 160 + code_image.height + 10
    _centred(draw, badge.code, 26, width, y, False, "#555555")
    _centred(draw, badge.full_name, 52, width, y + 50, True, "#111111")
    _centred(draw, badge.position, 30, width, y + 130, False, "#333333")
    _centred(draw, badge.unit, 30, width, y + 175, False, "#333333")
    draw.rectangle((0, height - 80, width, height), fill=badge.color)
    _centred(draw, badge.group, 30, width, height - 60, True, "white")
    # zlib level 1: a third faster than the default 6 for a few KB more (bench/badges_import.py).
    image.save(path, "PNG", optimize=False, compress_level=1)


def _centred(draw, text: str, size: int, width: int, y: int, bold: bool, fill: str) -> None:
    if not text:
        return
    font = _pil_font(bold, size)
    while size > 14 and draw.textlength(text, font=font) > width - 40:
        size -= 2
        font = _pil_font(bold, size)
    draw.text(((width - draw.textlength(text, font=font)) / 2, y), text, font=font, fill=fill)


def badge_texts(conference_id: int, delegate_ids: Iterable[int] | None = None,
                group_id: int | None = None) -> list[BadgeText]:
    """The badges to print, in protocol order of the groups, then the Vietnamese order of names."""
    import sqlalchemy as sa

    from ..db import db
    from ..textnorm import name_sort_key
    conference = db.session.get(Conference, conference_id)
    statement = sa.select(Delegate).where(Delegate.conference_id == conference_id)
    if delegate_ids is not None:
        statement = statement.where(Delegate.id.in_(list(delegate_ids)))
    if group_id is not None:
        statement = statement.where(Delegate.group_id == group_id)
    delegates = list(db.session.scalars(statement))
    delegates.sort(key=lambda d: (d.group.position if d.group else 10**6, name_sort_key(d.full_name)))
    return [BadgeText.of(d, conference) for d in delegates]


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
    from .badgecodes import normalise
    for path in out_dir.glob("*.png"):
        if path.stem not in current and normalise(path.stem) == path.stem:
            path.unlink()
