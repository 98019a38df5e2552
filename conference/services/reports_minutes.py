"""The biên bản (minutes) of the conference as it happened, as a .docx the office edits, signs and files.

Layout after NĐ 30/2020/NĐ-CP and the usual biên bản (research B.4): the organisation and the
national motto side by side, the place-and-date line, the title; then time and place, chair and
secretary, attendance, the program as it ran with its times, the awards presented and who received
them, the item-8 vote, the end time, and the two signature blocks. Only recorded facts are stated;
what was not recorded is left as a blank to fill in by hand.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ..db import db
from ..models import AgendaItem, AwardPresentation, Candidate, Conference, HonoureeKind, ItemKind, Vote
from .awards import calling_order
from .reports import attendance_rows, group_figures, hhmm, to_local, vn_clock, vn_date, vn_day
from .state import get_conference

FONT = "Times New Roman"
BLANK_TIME = "…… giờ …… phút"


@dataclass
class ProgramLine:
    number: str
    title: str
    presenter: str | None
    started_at: datetime | None
    ended_at: datetime | None
    step: bool = False


@dataclass
class AwardLine:
    name: str
    unit: str | None
    kind: HonoureeKind
    form: str
    decision: str
    receiver: str


@dataclass
class Minutes:
    conference: Conference
    day: date
    started_at: datetime | None
    ended_at: datetime | None
    present: int
    expected: int
    groups: list[tuple[str, int, int]]
    program: list[ProgramLine]
    awards: list[AwardLine]
    candidates: list[Candidate]
    vote: Vote | None
    vote_title: str | None


def receiver_text(presentation: AwardPresentation, honouree) -> str:
    """Who received the award, as the minutes say it."""
    outcome, by = presentation.outcome, presentation.received_by
    if outcome == "absent":
        return "Vắng mặt"
    if outcome == "proxy":
        return f"{by} (nhận thay)" if by else "Nhận thay"
    if outcome == "received" or by:
        if honouree.kind == HonoureeKind.COLLECTIVE:
            who = by or (honouree.delegate.full_name if honouree.delegate else None)
            return f"{who} (đại diện nhận)" if who else "Đại diện tập thể nhận"
        return by if by and by != honouree.name else "Trực tiếp nhận"
    return "Đã xướng tên (chưa ghi người nhận)"


def _award_lines(conference_id: int) -> list[AwardLine]:
    """The honourees who were called, in calling order."""
    order = calling_order(conference_id)
    ids = [h.id for a in order for h in a.honourees]
    presentations = {p.honouree_id: p for p in db.session.scalars(
        sa.select(AwardPresentation).where(AwardPresentation.honouree_id.in_(ids)))} if ids else {}
    lines = []
    for announcement in order:
        decision = announcement.decision
        signed = f" ngày {decision.signed_on:%d/%m/%Y}" if decision.signed_on else ""
        for honouree in announcement.honourees:
            presentation = presentations.get(honouree.id)
            if presentation is None or (presentation.called_at is None and presentation.outcome is None):
                continue
            lines.append(AwardLine(honouree.name, honouree.unit, honouree.kind, decision.form.name,
                                   f"QĐ số {decision.number}{signed} của {decision.issuer}",
                                   receiver_text(presentation, honouree)))
    return lines


def _program(items: list[AgendaItem]) -> list[ProgramLine]:
    lines = []
    for item in items:
        lines.append(ProgramLine(str(item.position), item.title, item.presenter, item.started_at, item.ended_at))
        lines.extend(ProgramLine(f"{item.position}.{step.position}", step.title, step.presenter,
                                 step.started_at, step.ended_at, step=True) for step in item.steps)
    return lines


def minutes_data(conference_id: int) -> Minutes:
    """Everything the biên bản states, read from what was recorded on the day."""
    conference = get_conference(conference_id)
    items = list(db.session.scalars(sa.select(AgendaItem).where(AgendaItem.conference_id == conference_id)
                                    .options(sa.orm.selectinload(AgendaItem.steps))
                                    .order_by(AgendaItem.position)))
    starts = [i.started_at for i in items if i.started_at]
    ends = [i.ended_at for i in items if i.ended_at]
    finished = bool(items) and items[-1].ended_at is not None
    rows = attendance_rows(conference_id)
    vote = db.session.scalar(sa.select(Vote).where(Vote.conference_id == conference_id)
                             .order_by(Vote.id.desc()).limit(1))
    vote_item = next((i for i in items if i.kind == ItemKind.VOTE), None)
    started_at = min(starts) if starts else None
    day = conference.date or (to_local(started_at).date() if started_at else date.today())
    candidates = list(db.session.scalars(sa.select(Candidate).where(Candidate.conference_id == conference_id)
                                         .order_by(Candidate.position)))
    return Minutes(conference, day, started_at, max(ends) if finished else None,
                   sum(r.present for r in rows), len(rows), group_figures(conference_id, rows)[:-1],
                   _program(items), _award_lines(conference_id), candidates, vote,
                   vote_item.title if vote_item else None)


# --- the document ---------------------------------------------------------------------------

def _setup(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(3)
    document.core_properties.title = "Biên bản hội nghị"


def _para(container, text: str = "", bold=False, italic=False, size=None, align=None, indent=False):
    paragraph = container.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    return paragraph


def _labelled(document, label: str, text: str) -> None:
    paragraph = _para(document, indent=True)
    paragraph.add_run(label).bold = True
    paragraph.add_run(text)


def _cell_text(cell, text: str, bold=False, italic=False, size=None, align=WD_ALIGN_PARAGRAPH.CENTER) -> None:
    """Fill a cell: its first paragraph for the first line, new paragraphs for the rest."""
    paragraph = cell.paragraphs[0] if not cell.paragraphs[0].text else cell.add_paragraph()
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    paragraph.alignment = align


def _header(document, data: Minutes) -> None:
    conference = data.conference
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Mm(70), Mm(95)
    if conference.parent_organiser:
        _cell_text(left, conference.parent_organiser.upper(), size=12)
    _cell_text(left, (conference.organiser or "").upper(), bold=True, size=12)
    _cell_text(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    _cell_text(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13)
    _cell_text(right, vn_date(data.day, conference.place_name), italic=True, size=13)
    _para(document)
    _para(document, "BIÊN BẢN", bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    title = " ".join(p for p in (conference.title, conference.edition,
                                 f"({conference.period})" if conference.period else None) if p)
    _para(document, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)


def _start_text(data: Minutes) -> str:
    if data.started_at is not None:
        clock = vn_clock(data.started_at)
    elif data.conference.starts_at:
        hour, minute = data.conference.starts_at.split(":")
        clock = f"{int(hour):02d} giờ {minute} phút"
    else:
        clock = BLANK_TIME
    return f"Vào lúc {clock}, {vn_day(data.day)}."


def _attendance(document, data: Minutes) -> None:
    conference = data.conference
    _para(document, "I. THỜI GIAN, ĐỊA ĐIỂM", bold=True)
    _labelled(document, "Thời gian: ", _start_text(data))
    _labelled(document, "Địa điểm: ", f"{conference.venue or '……'}.")
    _para(document, "II. THÀNH PHẦN THAM DỰ", bold=True)
    _labelled(document, "Chủ trì: ", f"{conference.chair or '……'}.")
    _labelled(document, "Thư ký: ", f"{conference.secretary or '……'}.")
    absent = data.expected - data.present
    _labelled(document, "Đại biểu: ", f"có mặt {data.present}/{data.expected} đại biểu được triệu tập "
                                      f"(vắng {absent}), gồm:")
    for name, present, expected in data.groups:
        if expected:
            _para(document, f"– {name}: có mặt {present}/{expected};", indent=True)


def _table(document, headers: tuple[str, ...], rows: list[tuple], widths: tuple[int, ...]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, title, width in zip(table.rows[0].cells, headers, widths):
        cell.width = Mm(width)
        _cell_text(cell, title, bold=True, size=12)
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, value, width) in enumerate(zip(cells, values, widths)):
            cell.width = Mm(width)
            _cell_text(cell, value or "", size=12,
                       align=WD_ALIGN_PARAGRAPH.LEFT if index in (1, 2) else WD_ALIGN_PARAGRAPH.CENTER)


def _program_section(document, data: Minutes) -> None:
    _para(document, "III. NỘI DUNG HỘI NGHỊ", bold=True)
    _para(document, "Hội nghị đã diễn ra theo chương trình sau (giờ thực tế):", indent=True)
    rows = [(line.number, ("– " if line.step else "") + line.title, line.presenter or "",
             hhmm(line.started_at), hhmm(line.ended_at)) for line in data.program]
    _table(document, ("STT", "Nội dung", "Người trình bày", "Bắt đầu", "Kết thúc"), rows, (13, 70, 45, 18, 18))


def _awards_section(document, data: Minutes) -> None:
    _para(document)
    _para(document, "Biểu dương, tôn vinh, khen thưởng", bold=True, indent=True)
    if not data.awards:
        _para(document, "Không có khen thưởng nào được ghi nhận là đã trao tại hội nghị.", indent=True)
        return
    collectives = sum(1 for line in data.awards if line.kind == HonoureeKind.COLLECTIVE)
    individuals = len(data.awards) - collectives
    _para(document, f"Hội nghị đã trao khen thưởng cho {collectives} tập thể, {individuals} cá nhân:", indent=True)
    rows = [(str(number), line.name, line.unit or "", f"{line.form} ({line.decision})", line.receiver)
            for number, line in enumerate(data.awards, start=1)]
    _table(document, ("STT", "Tập thể / cá nhân", "Đơn vị", "Hình thức khen thưởng", "Người nhận"), rows,
           (12, 45, 38, 45, 35))


def _vote_section(document, data: Minutes) -> None:
    _para(document)
    _para(document, data.vote_title or "Thông qua danh sách đại biểu đi dự hội nghị cấp trên", bold=True,
          indent=True)
    _para(document, f"Danh sách đề cử gồm {len(data.candidates)} người:", indent=True)
    for number, candidate in enumerate(data.candidates, start=1):
        detail = ", ".join(p for p in (candidate.title, candidate.unit) if p)
        _para(document, f"{number}. {candidate.full_name}" + (f" – {detail}" if detail else ""), indent=True)
    vote = data.vote
    if vote is None:
        _labelled(document, "Kết quả biểu quyết: ", "chưa được ghi nhận.")
        return
    share = f"{100 * vote.agreed / vote.present:.1f}".replace(".", ",") if vote.present else "0"
    _labelled(document, "Kết quả biểu quyết: ",
              f"tán thành {vote.agreed}/{vote.present} đại biểu có mặt (đạt {share}%).")


def _closing(document, data: Minutes) -> None:
    _para(document)
    clock = vn_clock(data.ended_at) if data.ended_at else BLANK_TIME
    _para(document, f"Hội nghị kết thúc vào lúc {clock} cùng ngày.", indent=True)
    _para(document)
    table = document.add_table(rows=1, cols=2)
    for cell, role, name in zip(table.rows[0].cells, ("THƯ KÝ", "CHỦ TRÌ"),
                                (data.conference.secretary, data.conference.chair)):
        _cell_text(cell, role, bold=True)
        _cell_text(cell, "(Ký, ghi rõ họ tên)", italic=True, size=12)
        for _ in range(3):
            cell.add_paragraph()
        _cell_text(cell, name or "", bold=True)


def render_minutes(data: Minutes):
    """The python-docx Document of the minutes."""
    document = Document()
    _setup(document)
    _header(document, data)
    _attendance(document, data)
    _program_section(document, data)
    _awards_section(document, data)
    _vote_section(document, data)
    _closing(document, data)
    return document


def minutes_docx(conference_id: int) -> bytes:
    out = io.BytesIO()
    render_minutes(minutes_data(conference_id)).save(out)
    return out.getvalue()
