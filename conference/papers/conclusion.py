"""The thông báo kết luận (conclusion notice, .docx), pre-filled from the day for the office to
complete and sign: QĐ 45/2018/QĐ-TTg asks for it within five working days of the conference.

Laid out as the minutes are (docx_layout.py, NĐ 30/2020): the agency block beside the quốc hiệu,
"Số: …/TB-…" left blank, THÔNG BÁO and its trích yếu; then who chaired, who attended (present of
those summoned, by group), the items held in order, every closed vote with its result, the delegates
who spoke in order, and marked places "[…]" for the conclusions only the office can write. The facts
are the minutes' own (minutes_data), so the two papers never disagree.
"""
from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

from docx import Document

from conference.core.dates import vn_date, vn_day
from conference.core.errors import ConferenceError
from . import docx_layout as layout
from .minutes import Minutes, conference_subject, minutes_data, write_vote

WORKING_DAYS = 5  # QĐ 45/2018/QĐ-TTg, Điều 15: the notice within five working days
TO_FILL = "[…]"


def notice_deadline(day: date, working_days: int = WORKING_DAYS) -> date:
    """The day WORKING_DAYS working days after DAY, Saturdays and Sundays skipped (public holidays
    are not known here: the office adjusts for them)."""
    current, left = day, working_days
    while left:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def _labelled(document, label: str, text: str) -> None:
    paragraph = layout.paragraph(document, indent=True)
    paragraph.add_run(label).bold = True
    paragraph.add_run(text)


def _to_fill(document, what: str) -> None:
    """A place the office writes in, marked so it cannot be missed or signed unfilled."""
    layout.paragraph(document, f"{TO_FILL} ({what})", italic=True, indent=True)


def _who(document, data: Minutes) -> None:
    conference = data.conference
    layout.paragraph(document, f"{vn_day(data.day).capitalize()}, tại {conference.venue or '……'}, "
                               f"{conference.organiser or '……'} tổ chức {conference_subject(conference)}.",
                     indent=True)
    _labelled(document, "Chủ trì hội nghị: ", f"{conference.chair or '……'}.")
    _labelled(document, "Tham dự hội nghị: ", f"có mặt {data.present}/{data.expected} đại biểu được triệu tập, "
                                               "gồm:")
    for name, present, expected in data.groups:
        if expected:
            layout.paragraph(document, f"- {name}: có mặt {present}/{expected};", indent=True, after=0)


def _items(document, data: Minutes) -> None:
    layout.paragraph(document, "", after=0)
    layout.paragraph(document, "I. NỘI DUNG HỘI NGHỊ", bold=True)
    held = [line for line in data.program if not line.step and line.runs]  # held: the show stood on it
    if not held:
        layout.paragraph(document, "Chưa có mục nào của chương trình được ghi nhận là đã diễn ra.", indent=True)
    for line in held:
        presenter = f" ({line.presenter})" if line.presenter else ""
        layout.paragraph(document, f"{line.number}. {line.title}{presenter}.", indent=True, after=0)
    if data.speakers:
        layout.paragraph(document, "Ý kiến phát biểu của đại biểu (theo thứ tự):", indent=True, after=0)
        for number, turn in enumerate(data.speakers, start=1):
            unit = f" ({turn.unit})" if turn.unit else ""
            subject = f": “{turn.subject}”" if turn.subject else ""
            layout.paragraph(document, f"{number}. {turn.name}{unit}{subject}.", indent=True, after=0)


def _votes(document, data: Minutes) -> None:
    layout.paragraph(document, "", after=0)
    layout.paragraph(document, "II. KẾT QUẢ BIỂU QUYẾT", bold=True)
    if not data.votes:
        layout.paragraph(document, "Hội nghị không tiến hành biểu quyết.", indent=True)
    for vote in data.votes:
        write_vote(document, vote)


def _conclusions(document, data: Minutes) -> None:
    layout.paragraph(document, "", after=0)
    layout.paragraph(document, "III. KẾT LUẬN CỦA CHỦ TRÌ HỘI NGHỊ", bold=True)
    chair = data.conference.chair or "chủ trì hội nghị"
    layout.paragraph(document, f"Sau khi nghe các báo cáo và ý kiến phát biểu của đại biểu, {chair} kết luận "
                               "như sau:", indent=True)
    for number in (1, 2, 3):
        layout.paragraph(document, f"{number}. {TO_FILL}", indent=True, after=0)
    _to_fill(document, "văn phòng ghi nội dung kết luận, nhiệm vụ giao cho từng cơ quan, đơn vị và thời hạn")
    layout.paragraph(document, f"{data.conference.organiser or '……'} thông báo để các cơ quan, đơn vị, "
                               "cá nhân liên quan biết, thực hiện./.", indent=True)


def _closing(document, data: Minutes) -> None:
    conference = data.conference
    layout.paragraph(document, "", after=0)
    table = layout.fixed_table(document, (layout.TEXT_W / 2, layout.TEXT_W / 2))
    right = table.rows[0].cells[1]
    layout.cell_paragraph(right, "TM. " + (conference.organiser or "……").upper(), bold=True)
    layout.cell_paragraph(right, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True, size=12)
    for _ in range(4):  # room to sign
        layout.cell_paragraph(right, "")
    layout.cell_paragraph(right, conference.chair or TO_FILL, bold=True)
    layout.paragraph(document, "", after=0)
    parent = conference.parent_organiser
    layout.recipients(document, ([f"{parent} (để báo cáo)"] if parent else [])
                      + ["Các đại biểu dự hội nghị", "Các cơ quan, đơn vị liên quan", "Lưu: VT"])
    due = notice_deadline(data.day)
    layout.paragraph(document, f"Hạn ban hành: {vn_day(due)} (05 ngày làm việc sau hội nghị, theo Quyết định "
                               "số 45/2018/QĐ-TTg).", italic=True, size=11)


def render_conclusion(data: Minutes):
    document = Document()
    layout.setup(document, "Thông báo kết luận hội nghị")
    conference = data.conference
    layout.admin_header(document, conference.parent_organiser, conference.organiser,
                        f"Số:       /TB-{layout.symbol(conference.organiser)}",
                        vn_date(data.day, conference.place_name))
    layout.document_title(document, "THÔNG BÁO", f"Kết luận của {conference.chair or '……'} tại "
                                                 f"{conference_subject(conference)}")
    _who(document, data)
    _items(document, data)
    _votes(document, data)
    _conclusions(document, data)
    _closing(document, data)
    return document


def conclusion_docx(conference_id: int) -> bytes:
    out = io.BytesIO()
    render_conclusion(minutes_data(conference_id)).save(out)
    return out.getvalue()


def write_conclusion(conference_id: int, path: Path) -> None:
    """Write the conclusion notice to PATH (.docx)."""
    if path.suffix.lower() != ".docx":
        raise ConferenceError("unsupported_file", "Thông báo kết luận chỉ xuất được dưới dạng .docx.")
    path.write_bytes(conclusion_docx(conference_id))
