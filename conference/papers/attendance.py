"""The attendance list (.xlsx / .csv) and the dashboard's figures: who came, when, by group.

Everything is read from what was recorded and written in the conference's local time
(core/dates.py); the minutes are in minutes.py.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from conference.checkin.roster import groups
from conference.core.dates import to_local, vn_date
from conference.core.db import db
from conference.core.errors import ConferenceError
from conference.core.models import Conference, Delegate
from conference.core.spreadsheets import csv_safe, text_cell
from conference.core.state import get_conference
from conference.core.textnorm import mid_sentence, name_sort_key

ATTENDANCE_HEADERS = ("STT", "Họ và tên", "Chức vụ", "Đơn vị", "Thành phần", "Điểm danh", "Giờ đến", "Cửa")
SEAT_HEADER = "Ghế"  # the sheet's last column (the .csv keeps the columns it always had)
PRESENT, ABSENT = "Có mặt", "Vắng"
SHEET_FONT = "Times New Roman"
COLUMN_WIDTHS = (6, 24, 36, 28, 30, 11, 16, 10, 9)  # in characters, as spreadsheets count a column
CHAR_MM = 1.9  # a character of column width in mm (7 px at 96 dpi)
ROW_POINTS = 15  # one line of 12 pt text


# --- attendance ----------------------------------------------------------------------------

@dataclass(frozen=True)
class AttendanceRow:
    number: int
    full_name: str
    position: str | None
    unit: str | None
    group: str | None
    present: bool
    checked_in_at: datetime | None  # local wall-clock time
    device: str | None
    seat: str | None = None


def _ordered_delegates(conference_id: int) -> list[Delegate]:
    """Protocol order of the groups (no group last), then the Vietnamese order of names."""
    delegates = list(db.session.scalars(
        sa.select(Delegate).where(Delegate.conference_id == conference_id)
        .options(sa.orm.selectinload(Delegate.checkin))))
    delegates.sort(key=lambda d: (d.group.position if d.group else 10**6, name_sort_key(d.full_name), d.id))
    return delegates


def attendance_rows(conference_id: int) -> list[AttendanceRow]:
    get_conference(conference_id)
    rows = []
    for number, delegate in enumerate(_ordered_delegates(conference_id), start=1):
        checkin = delegate.checkin
        rows.append(AttendanceRow(number, delegate.full_name, delegate.position, delegate.unit,
                                  delegate.group.name if delegate.group else None, checkin is not None,
                                  to_local(checkin.checked_in_at) if checkin else None,
                                  checkin.device if checkin else None, delegate.seat))
    return rows


def attendance_csv(conference_id: int) -> bytes:
    """UTF-8 with a BOM, so Excel opens the Vietnamese letters correctly with a double click."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ATTENDANCE_HEADERS)
    for row in attendance_rows(conference_id):
        writer.writerow([row.number, *(csv_safe(v) for v in (row.full_name, row.position, row.unit, row.group)),
                         PRESENT if row.present else ABSENT,
                         f"{row.checked_in_at:%d/%m/%Y %H:%M}" if row.checked_in_at else "",
                         csv_safe(row.device or "")])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def attendance_xlsx(conference_id: int) -> bytes:
    """A titled sheet as an office would make it, plus a per-group summary sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    conference = get_conference(conference_id)
    rows = attendance_rows(conference_id)
    book = Workbook()
    sheet = book.active
    sheet.title = "Điểm danh"
    present = sum(1 for r in rows if r.present)
    text_cell(sheet, 1, 1, "DANH SÁCH ĐIỂM DANH ĐẠI BIỂU").font = Font(bold=True, size=14)
    text_cell(sheet, 2, 1, _conference_line(conference))
    text_cell(sheet, 3, 1, f"Có mặt {present}/{len(rows)} đại biểu")
    for column in range(1, 4):
        sheet.merge_cells(start_row=column, end_row=column, start_column=1, end_column=len(ATTENDANCE_HEADERS) + 1)
    header_row = 5
    wrapped = Alignment(vertical="top", wrap_text=True)
    for column, title in enumerate(ATTENDANCE_HEADERS + (SEAT_HEADER,), start=1):
        cell = text_cell(sheet, header_row, column, title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEEEEE")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for offset, row in enumerate(rows, start=1):
        line = header_row + offset
        sheet.cell(line, 1, row.number).alignment = Alignment(vertical="top")
        for column, value in enumerate((row.full_name, row.position, row.unit, row.group,
                                        PRESENT if row.present else ABSENT), start=2):
            text_cell(sheet, line, column, value).alignment = wrapped  # a long position wraps, never clipped
        if row.checked_in_at:
            sheet.cell(line, 7, row.checked_in_at.replace(microsecond=0)).number_format = "dd/mm/yyyy hh:mm"
        text_cell(sheet, line, 8, row.device)
        text_cell(sheet, line, 9, row.seat)
        sheet.cell(line, 7).alignment = sheet.cell(line, 8).alignment = sheet.cell(line, 9).alignment = wrapped
    for column, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    _fit_row_heights(sheet, header_row, rows)
    _grid(sheet, header_row, header_row + len(rows), len(ATTENDANCE_HEADERS) + 1)
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    sheet.auto_filter.ref = f"A{header_row}:I{header_row + len(rows)}"
    _print_setup(sheet, header_row, landscape=True)
    _summary_sheet(book, conference_id, rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _grid(sheet, first_row: int, last_row: int, columns: int) -> None:
    """Thin borders round every cell of the table, as a printed list has."""
    from openpyxl.styles import Border, Side
    thin = Side(style="thin", color="000000")
    for row in sheet.iter_rows(min_row=first_row, max_row=last_row, max_col=columns):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)


def _fit_row_heights(sheet, header_row: int, rows: list[AttendanceRow]) -> None:
    """Each row as tall as its longest wrapped cell: spreadsheets do not grow rows by themselves
    when they open a file (LibreOffice draws the text over the next row instead)."""
    from .text_metrics import line_count
    for offset, row in enumerate(rows, start=1):
        lines = max(line_count(text or "", COLUMN_WIDTHS[column] * CHAR_MM - 2, 12)
                    for column, text in enumerate((row.full_name, row.position, row.unit, row.group), start=1))
        sheet.row_dimensions[header_row + offset].height = ROW_POINTS * lines + 2


def _summary_sheet(book, conference_id: int, rows: list[AttendanceRow]) -> None:
    from openpyxl.styles import Font
    sheet = book.create_sheet("Tổng hợp")
    for column, title in enumerate(("Thành phần", "Có mặt", "Triệu tập", "Vắng"), start=1):
        text_cell(sheet, 1, column, title).font = Font(bold=True)
    line = 1
    for name, present, expected in group_figures(conference_id, rows):
        line += 1
        text_cell(sheet, line, 1, name)
        sheet.cell(line, 2, present)
        sheet.cell(line, 3, expected)
        sheet.cell(line, 4, expected - present)
    sheet.column_dimensions["A"].width = 45
    for column in "BCD":
        sheet.column_dimensions[column].width = 12
    _grid(sheet, 1, line, 4)
    _print_setup(sheet, 1, landscape=False)


def _print_setup(sheet, header_row: int, landscape: bool) -> None:
    """As the office prints it: A4, the table fitted to the page width (as many pages down as it
    takes), the header row again on every page, "Trang x / y" in the footer, and a named font on
    every cell (a cell without one is drawn in the reader's default font, which may lack the
    Vietnamese letters: LibreOffice then drops their diacritics)."""
    from copy import copy
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = "landscape" if landscape else "portrait"
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "Trang &P / &N"
    sheet.oddFooter.center.font = f"{SHEET_FONT},Regular"
    sheet.oddFooter.center.size = 10
    for row in sheet.iter_rows():
        for cell in row:
            font = copy(cell.font)
            font.name = SHEET_FONT
            font.size = font.size if font.size and font.size != 11 else 12
            cell.font = font


def group_figures(conference_id: int, rows: list[AttendanceRow]) -> list[tuple[str, int, int]]:
    """(group, present, expected) in protocol order, with a total last."""
    figures = []
    for group in groups(conference_id):
        members = [r for r in rows if r.group == group.name]
        figures.append((group.name, sum(r.present for r in members), len(members)))
    loose = [r for r in rows if r.group is None]
    if loose:
        figures.append(("Chưa xếp thành phần", sum(r.present for r in loose), len(loose)))
    figures.append(("Tổng cộng", sum(r.present for r in rows), len(rows)))
    return figures


def _conference_line(conference: Conference) -> str:
    parts = [conference.title, mid_sentence(conference.edition),
             f"({conference.period})" if conference.period else None]
    line = " ".join(p for p in parts if p)
    return f"{line} – {vn_date(conference.date, conference.place_name)}" if conference.date else line


# --- the live dashboard's details -----------------------------------------------------------

# --- files, for the command line ------------------------------------------------------------

def write_attendance(conference_id: int, path: Path) -> int:
    """Write the attendance list to path (.xlsx or .csv). Returns the number of delegates."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ConferenceError("unsupported_file", "Chỉ xuất được tệp .xlsx hoặc .csv.")
    path.write_bytes(attendance_xlsx(conference_id) if suffix == ".xlsx" else attendance_csv(conference_id))
    return len(attendance_rows(conference_id))
