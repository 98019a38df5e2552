"""The seating chart for the ushers at the door: the hall on A3 or A4 (landscape), the stage at
the top, the blocks side by side as the hall has them, every seat a box with its code and its
delegate's name, or marked empty. A name wraps and shrinks inside its box and never leaves it
(print_text.fit_blocks); a hall too wide for one page is printed a block a page."""
from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from conference.core.errors import ConferenceError
from conference.core.state import get_conference
from conference.seating.hall import BlockPlan, HallPlan, Place, hall_plan
from .print_text import BOLD, LEADING, REGULAR, TextBlock, fit_blocks, one_line, register_fonts

SIZES = {"A3": landscape(A3), "A4": landscape(A4)}
MARGIN = 10 * mm
TITLE_H = 16 * mm
AISLE = 8 * mm  # between two blocks, as the hall's aisles
ROW_LABEL = 6 * mm
GAP = 1.2 * mm  # between two seats
MAX_BOX_W, MAX_BOX_H = 32 * mm, 15 * mm
MIN_BOX_W = 13 * mm  # narrower than this, a block gets a page of its own
CODE_SIZE = 5.5
NAME_SIZE = 8.0
EMPTY = "— trống —"


@dataclass(frozen=True)
class SeatBox:
    """One seat on the page, in points from the page's lower left corner."""
    code: str
    name: str | None
    x: float
    y: float
    w: float
    h: float


@dataclass
class ChartPage:
    heading: str
    boxes: list[SeatBox]
    labels: list[tuple[str, float, float]]  # (text, x, y): the stage's rows and the blocks' names


def chart_pages(conference_id: int, size: str = "A3") -> tuple[tuple[float, float], list[ChartPage]]:
    """The chart's pages laid out (the PDF draws them; the tests read the PDF back box by box)."""
    plan = hall_plan(conference_id)
    if plan.empty:
        raise ConferenceError("no_hall", "Hãy mô tả hội trường trước khi in sơ đồ chỗ ngồi.", 404)
    page = SIZES[size]
    groups = [plan.blocks] if _box_width(page, plan.blocks) >= MIN_BOX_W else [[b] for b in plan.blocks]
    pages = [_layout(page, plan, blocks, stage=index == 0) for index, blocks in enumerate(groups)]
    return page, pages


def _columns(blocks: list[BlockPlan]) -> int:
    return sum(len(b.rows[0]) for b in blocks if b.rows)


def _box_width(page: tuple[float, float], blocks: list[BlockPlan]) -> float:
    room = page[0] - 2 * MARGIN - (len(blocks) - 1) * AISLE - len(blocks) * ROW_LABEL
    columns = max(1, _columns(blocks))
    return min(MAX_BOX_W, (room - (columns - len(blocks)) * GAP) / columns)


def _layout(page: tuple[float, float], plan: HallPlan, blocks: list[BlockPlan], stage: bool) -> ChartPage:
    width, height = page
    stage_rows = [row for row in (plan.presidium, plan.secretariat) if row] if stage else []
    hall_rows = max((len(b.rows) for b in blocks), default=0)
    box_w = _box_width(page, blocks)
    room_h = height - 2 * MARGIN - TITLE_H - 8 * mm * bool(stage_rows)
    box_h = min(MAX_BOX_H, (room_h - (len(stage_rows) + hall_rows) * GAP) / max(1, len(stage_rows) + hall_rows))
    chart = ChartPage(", ".join(f"Khu {b.name}" for b in blocks) if not stage else "", [], [])
    top = height - MARGIN - TITLE_H
    for row, name in zip(stage_rows, ("Đoàn chủ tịch", "Thư ký")):
        top = _stage_row(chart, row, name, width, top, box_w, box_h)
    if stage_rows:
        top -= 8 * mm  # the front of the stage
    total_w = sum(ROW_LABEL + len(b.rows[0]) * (box_w + GAP) - GAP for b in blocks if b.rows) \
        + (len(blocks) - 1) * AISLE
    left = (width - total_w) / 2
    for block in blocks:
        chart.labels.append((f"Khu {block.name}", left + ROW_LABEL, top + 1.5 * mm))
        for number, row in enumerate(block.rows, start=1):
            y = top - number * (box_h + GAP)
            chart.labels.append((str(number), left, y + box_h / 2))
            chart.boxes += [_box(place, left + ROW_LABEL + i * (box_w + GAP), y, box_w, box_h)
                            for i, place in enumerate(row)]
        left += ROW_LABEL + (len(block.rows[0]) * (box_w + GAP) - GAP if block.rows else 0) + AISLE
    return chart


def _stage_row(chart: ChartPage, row: list[Place], name: str, width: float, top: float,
               box_w: float, box_h: float) -> float:
    """A row of the stage, centred; returns the top of what comes under it."""
    y = top - box_h - GAP
    left = (width - len(row) * (box_w + GAP)) / 2
    chart.labels.append((name, left - 24 * mm, y + box_h / 2))
    chart.boxes += [_box(place, left + i * (box_w + GAP), y, box_w, box_h) for i, place in enumerate(row)]
    return y


def _box(place: Place, x: float, y: float, w: float, h: float) -> SeatBox:
    return SeatBox(place.seat.code, place.delegate.full_name if place.delegate else None, x, y, w, h)


def seating_chart_pdf(conference_id: int, size: str = "A3") -> bytes:
    register_fonts()
    conference = get_conference(conference_id)
    page, pages = chart_pages(conference_id, size)
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=page)
    pdf.setTitle("Sơ đồ chỗ ngồi")
    for chart in pages:
        _draw_page(pdf, page, chart, conference.title)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def _draw_page(pdf: canvas.Canvas, page: tuple[float, float], chart: ChartPage, title: str) -> None:
    width, height = page
    heading = "SƠ ĐỒ CHỖ NGỒI" + (f" — {chart.heading}" if chart.heading else "")
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont(BOLD, 14)
    pdf.drawCentredString(width / 2, height - MARGIN - 6 * mm, heading)
    line, size = one_line(title, REGULAR, 10, width - 2 * MARGIN)
    pdf.setFont(REGULAR, size)
    pdf.drawCentredString(width / 2, height - MARGIN - 11 * mm, line)
    pdf.setFont(BOLD, 8)
    for text, x, y in chart.labels:
        pdf.drawString(x, y - 3, text)
    for box in chart.boxes:
        _draw_box(pdf, box)


def _draw_box(pdf: canvas.Canvas, box: SeatBox) -> None:
    pdf.setLineWidth(0.6 if box.name else 0.3)
    pdf.setStrokeColorRGB(0.2, 0.2, 0.2) if box.name else pdf.setStrokeColorRGB(0.6, 0.6, 0.6)
    pdf.setDash() if box.name else pdf.setDash(2, 1.5)
    pdf.rect(box.x, box.y, box.w, box.h, stroke=1, fill=0)
    pad = 0.8 * mm
    pdf.setFillColorRGB(0.4, 0.4, 0.4)
    pdf.setFont(REGULAR, CODE_SIZE)
    pdf.drawString(box.x + pad, box.y + box.h - pad - CODE_SIZE * 0.8, box.code)
    room_h = box.h - 2 * pad - CODE_SIZE * LEADING
    if box.name:
        pdf.setFillColorRGB(0, 0, 0)
        blocks = fit_blocks([(box.name, BOLD, NAME_SIZE)], box.w - 2 * pad, room_h, smallest=3.5)
    else:
        pdf.setFillColorRGB(0.55, 0.55, 0.55)
        blocks = fit_blocks([(EMPTY, REGULAR, 6)], box.w - 2 * pad, room_h, smallest=3.5)
    draw_centred(pdf, blocks, box.x + pad, box.y + pad + room_h, box.w - 2 * pad)


def draw_centred(pdf: canvas.Canvas, blocks: list[TextBlock], left: float, top: float, width: float,
                 gap: float = 1.2 * mm) -> None:
    """BLOCKS from TOP down, each line centred in WIDTH (the same baselines as the badges)."""
    for block in blocks:
        pdf.setFont(block.font, block.size)
        for line in block.lines:
            top -= block.size * LEADING
            pdf.drawCentredString(left + width / 2, top + block.size * (LEADING - 1) / 2 + block.size * 0.27, line)
        top -= gap
