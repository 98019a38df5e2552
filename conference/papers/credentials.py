"""The báo cáo thẩm tra tư cách đại biểu (credentials report, .docx): who was summoned, who is
present, who is absent and why, by group, and whether the quorum is met; those absent by name.

Laid out as the minutes are (docx_layout.py, NĐ 30/2020): the agency block beside the quốc hiệu,
BÁO CÁO and its trích yếu, the body, the signature, "Nơi nhận". Counted as the quorum counts
(checkin/quorum.py): those summoned are the delegates on the list, a walk-in is told apart; an
absence with no reason noted is one without reason (none was given).
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from docx import Document

from conference.checkin.quorum import EXCUSED, RULES, needed
from conference.core.dates import vn_date
from conference.core.db import db
from conference.core.errors import ConferenceError
from conference.core.models import Conference, Delegate
from conference.core.state import get_conference
from conference.core.textnorm import name_sort_key
from . import docx_layout as layout
from .minutes import conference_subject

NO_GROUP = "Chưa xếp thành phần"
RULE_TEXT = {"more_than_half": "quá nửa", "two_thirds": "ít nhất hai phần ba"}
GROUP_COLUMNS = (12, 63, 22, 22, 23, 23)  # 165 mm
ABSENT_COLUMNS = (12, 50, 48, 55)


@dataclass
class Figures:
    """One line of the report: the whole conference or one group."""
    name: str
    summoned: int = 0
    present: int = 0
    excused: int = 0
    unexcused: int = 0


@dataclass
class Absent:
    full_name: str
    unit: str | None
    group: str | None
    excused: bool
    note: str | None


@dataclass
class Credentials:
    conference: Conference
    day: date
    total: Figures
    groups: list[Figures]
    absent: list[Absent]
    walk_ins: int
    rule: str
    needed: int = 0
    met: bool = False


def credentials_data(conference_id: int) -> Credentials:
    """The figures and the names, read in one query of the delegates with their check-ins."""
    conference = get_conference(conference_id)
    delegates = list(db.session.scalars(sa.select(Delegate).where(Delegate.conference_id == conference_id)
                                        .options(sa.orm.selectinload(Delegate.checkin))))
    delegates.sort(key=lambda d: (d.group.position if d.group else 10**6, name_sort_key(d.full_name), d.id))
    total, by_group, absent = Figures("Tổng số"), {}, []
    summoned = [d for d in delegates if not d.walk_in]
    for delegate in summoned:
        name = delegate.group.name if delegate.group else NO_GROUP
        line = by_group.setdefault(name, Figures(name))
        for figures in (total, line):
            figures.summoned += 1
            if delegate.checkin is not None:
                figures.present += 1
            elif delegate.absence_reason == EXCUSED:
                figures.excused += 1
            else:
                figures.unexcused += 1
        if delegate.checkin is None:
            absent.append(Absent(delegate.full_name, delegate.unit, delegate.group.name if delegate.group else None,
                                 delegate.absence_reason == EXCUSED, delegate.absence_note))
    rule = conference.quorum_rule if conference.quorum_rule in RULES else "more_than_half"
    need = needed(rule, total.summoned)
    return Credentials(conference, conference.date or date.today(), total, list(by_group.values()), absent,
                       len(delegates) - len(summoned), rule, need, total.summoned > 0 and total.present >= need)


# --- the document ---------------------------------------------------------------------------

def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}".replace(".", ",") + "%" if whole else "0%"


def _figures_section(document, data: Credentials) -> None:
    total = data.total
    layout.paragraph(document, "I. SỐ LƯỢNG ĐẠI BIỂU", bold=True)
    layout.paragraph(document, f"Tổng số đại biểu được triệu tập: {total.summoned} đại biểu.", indent=True)
    layout.paragraph(document, f"Số đại biểu có mặt: {total.present} đại biểu "
                               f"(đạt {_share(total.present, total.summoned)}).", indent=True)
    absent = total.excused + total.unexcused
    layout.paragraph(document, f"Số đại biểu vắng mặt: {absent} đại biểu, trong đó vắng có lý do: "
                               f"{total.excused}, vắng không lý do: {total.unexcused}.", indent=True)
    if data.walk_ins:
        layout.paragraph(document, f"Ngoài ra có {data.walk_ins} đại biểu đăng ký tại hội nghị "
                                   "(không tính vào số được triệu tập).", indent=True)
    layout.paragraph(document, "Theo từng thành phần:", indent=True)
    table = layout.fixed_table(document, GROUP_COLUMNS, grid=True)
    for cell, title in zip(table.rows[0].cells, ("STT", "Thành phần", "Triệu tập", "Có mặt",
                                                 "Vắng có lý do", "Vắng không lý do")):
        layout.cell_paragraph(cell, title, bold=True, size=12)
    layout.repeat_as_header(table.rows[0])
    for number, line in enumerate(data.groups, start=1):
        layout.add_row(table, GROUP_COLUMNS, (str(number), line.name, str(line.summoned), str(line.present),
                                              str(line.excused), str(line.unexcused)), left_columns=(1,))
    layout.add_row(table, GROUP_COLUMNS, ("", total.name, str(total.summoned), str(total.present),
                                          str(total.excused), str(total.unexcused)), left_columns=(1,), bold=True)


def _absent_section(document, data: Credentials) -> None:
    layout.paragraph(document, "", after=0)
    layout.paragraph(document, "II. DANH SÁCH ĐẠI BIỂU VẮNG MẶT", bold=True)
    if not data.absent:
        layout.paragraph(document, "Không có đại biểu nào vắng mặt.", indent=True)
        return
    table = layout.fixed_table(document, ABSENT_COLUMNS, grid=True)
    for cell, title in zip(table.rows[0].cells, ("STT", "Họ và tên", "Đơn vị", "Lý do")):
        layout.cell_paragraph(cell, title, bold=True, size=12)
    layout.repeat_as_header(table.rows[0])
    for number, person in enumerate(data.absent, start=1):
        reason = "Có lý do" if person.excused else "Không lý do"
        if person.note:
            reason = f"{reason}: {person.note}"
        layout.add_row(table, ABSENT_COLUMNS, (str(number), person.full_name, person.unit or "", reason),
                       left_columns=(1, 2, 3))


def _conclusion(document, data: Credentials) -> None:
    layout.paragraph(document, "", after=0)
    layout.paragraph(document, "III. KẾT LUẬN", bold=True)
    total = data.total
    verdict = "đủ" if data.met else "chưa đủ"
    layout.paragraph(document, f"Số đại biểu có mặt là {total.present}/{total.summoned} đại biểu được triệu tập; "
                               f"theo quy định cần {RULE_TEXT[data.rule]} số đại biểu được triệu tập có mặt "
                               f"({data.needed} đại biểu). Hội nghị {verdict} số lượng đại biểu để tiến hành "
                               "theo quy định./.", indent=True)


def _closing(document) -> None:
    layout.paragraph(document, "", after=0)
    table = layout.fixed_table(document, (layout.TEXT_W / 2, layout.TEXT_W / 2))
    right = table.rows[0].cells[1]
    for line in ("TM. BAN THẨM TRA", "TƯ CÁCH ĐẠI BIỂU", "TRƯỞNG BAN"):
        layout.cell_paragraph(right, line, bold=True)
    layout.cell_paragraph(right, "(Ký, ghi rõ họ tên)", italic=True, size=12)
    for _ in range(4):  # room to sign
        layout.cell_paragraph(right, "")
    layout.paragraph(document, "", after=0)
    layout.recipients(document, ["Đoàn Chủ tịch hội nghị", "Lưu: VT"])


def render_credentials(data: Credentials):
    document = Document()
    layout.setup(document, "Báo cáo thẩm tra tư cách đại biểu")
    conference = data.conference
    layout.admin_header(document, conference.parent_organiser, conference.organiser,
                        f"Số:       /BC-{layout.symbol(conference.organiser)}",
                        vn_date(data.day, conference.place_name))
    layout.document_title(document, "BÁO CÁO", "Thẩm tra tư cách đại biểu " + conference_subject(conference))
    layout.paragraph(document, "Ban Thẩm tra tư cách đại biểu báo cáo hội nghị kết quả thẩm tra tư cách "
                               "đại biểu như sau:", indent=True)
    _figures_section(document, data)
    _absent_section(document, data)
    _conclusion(document, data)
    _closing(document)
    return document


def credentials_docx(conference_id: int) -> bytes:
    out = io.BytesIO()
    render_credentials(credentials_data(conference_id)).save(out)
    return out.getvalue()


def write_credentials(conference_id: int, path: Path) -> None:
    """Write the credentials report to PATH (.docx)."""
    if path.suffix.lower() != ".docx":
        raise ConferenceError("unsupported_file", "Báo cáo thẩm tra tư cách đại biểu chỉ xuất được dưới dạng .docx.")
    path.write_bytes(credentials_docx(conference_id))
