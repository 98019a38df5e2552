"""The biên bản (minutes) of the conference as it happened, as a .docx the office edits, signs and files.

Laid out as NĐ 30/2020/NĐ-CP, Phụ lục I lays out an administrative document (docx_layout.py, and
docs/OFFICE.md): the agency block beside the quốc hiệu, "Số: …/BB-…" beside the place and date,
BIÊN BẢN and its trích yếu; then time and place, chair and secretary, attendance, the program as it
ran with its times, the awards presented and who received them, every vote taken, the end time, the
two signature blocks and "Nơi nhận". Only recorded facts are stated; what was not recorded is left
as a blank to fill in by hand.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from conference.awards import calling_order
from conference.checkin.roster import with_honorific
from conference.core.dates import to_local, vn_clock, vn_date, vn_day
from conference.core.db import db
from conference.core.errors import ConferenceError
from conference.core.models import (AgendaItem, AwardPresentation, Candidate, Conference, HonoureeKind, ItemKind,
                                    )
from conference.core.state import get_conference
from conference.core.textnorm import mid_sentence
from conference.show.runs import runs_by_key
from conference.votes.results import recorded_votes
from conference.speakers.queue import turns
from . import docx_layout as layout
from .attendance import attendance_rows, group_figures

BLANK_TIME = "…… giờ …… phút"


Run = tuple[datetime, datetime | None]  # one stretch the show stood on a place (show/runs.py)


@dataclass
class ProgramLine:
    number: str
    title: str
    presenter: str | None
    runs: list[Run]  # in time order; two or more when the MC came back to it
    step: bool = False
    notes: str | None = None  # the secretary's, for an item
    item_id: int | None = None  # an item's own line: where its delegates' turns are listed


@dataclass
class SpeakerLine:
    """A delegate's turn at the lectern, asked for from their phone (speakers/)."""
    item_id: int | None  # the item the show stood on when the MC called them
    name: str  # with the danh xưng
    unit: str | None
    subject: str | None
    started_at: datetime
    ended_at: datetime | None


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
    votes: list[dict]  # every closed vote in order (votes/results.py vote_json)
    vote_title: str | None
    speakers: list[SpeakerLine]


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


def _program(items: list[AgendaItem], runs: dict) -> list[ProgramLine]:
    lines = []
    for item in items:
        lines.append(ProgramLine(str(item.position), item.title, item.presenter, runs.get((item.id, None), []),
                                 notes=item.notes, item_id=item.id))
        lines.extend(ProgramLine(f"{item.position}.{step.position}", step.title, step.presenter,
                                 runs.get((item.id, step.id), []), step=True) for step in item.steps)
    return lines


def minutes_data(conference_id: int) -> Minutes:
    """Everything the biên bản states, read from what was recorded on the day."""
    conference = get_conference(conference_id)
    items = list(db.session.scalars(sa.select(AgendaItem).where(AgendaItem.conference_id == conference_id)
                                    .options(sa.orm.selectinload(AgendaItem.steps))
                                    .order_by(AgendaItem.position)))
    runs = runs_by_key(conference_id)
    item_runs = [run for item in items for run in runs.get((item.id, None), [])]
    finished = bool(item_runs) and items[-1].ended_at is not None  # past the last item: no run is open
    rows = attendance_rows(conference_id)
    vote_item = next((i for i in items if i.kind == ItemKind.VOTE), None)
    started_at = min((start for start, _ in item_runs), default=None)
    # The day the clock was read on, never the planned date with another day's clock (a rehearsal,
    # a wrong date in the set-up); the planned date only while nothing has been recorded.
    day = to_local(started_at).date() if started_at else (conference.date or date.today())
    candidates = list(db.session.scalars(sa.select(Candidate).where(Candidate.conference_id == conference_id)
                                         .order_by(Candidate.position)))
    return Minutes(conference, day, started_at, max(end for _, end in item_runs) if finished else None,
                   sum(r.present for r in rows), len(rows), group_figures(conference_id, rows)[:-1],
                   _program(items, runs), _award_lines(conference_id), candidates, recorded_votes(conference_id),
                   vote_item.title if vote_item else None, _speaker_lines(conference_id))


def _speaker_lines(conference_id: int) -> list[SpeakerLine]:
    return [SpeakerLine(turn.item_id, with_honorific(turn.delegate.honorific, turn.delegate.full_name),
                        turn.delegate.unit, turn.subject, turn.started_at, turn.ended_at)
            for turn in turns(conference_id)]


# --- the document ---------------------------------------------------------------------------
# Column widths in mm; each table fills the 165 mm between the margins.
PROGRAM_COLUMNS = (13, 72, 41, 19.5, 19.5)
AWARD_COLUMNS = (13, 44, 56, 52)


def clock_on(moment: datetime | None, day: date) -> str:
    """"09:05", or "00:10 (06/03)" for a time read on another day than the minutes' own."""
    local = to_local(moment)
    if local is None:
        return ""
    return f"{local:%H:%M}" if local.date() == day else f"{local:%H:%M} ({local.day:02d}/{local.month:02d})"


def _labelled(document, label: str, text: str) -> None:
    paragraph = layout.paragraph(document, indent=True)
    paragraph.add_run(label).bold = True
    paragraph.add_run(text)


def conference_subject(conference: Conference) -> str:
    """The trích yếu: the conference's full name, as it reads in running text ("… phường An Tân lần thứ IV")."""
    return " ".join(p for p in (conference.title, mid_sentence(conference.edition),
                                f"({conference.period})" if conference.period else None) if p)


def _header(document, data: Minutes) -> None:
    conference = data.conference
    layout.admin_header(document, conference.parent_organiser, conference.organiser,
                        f"Số:       /BB-{layout.symbol(conference.organiser)}",
                        vn_date(data.day, conference.place_name))
    layout.document_title(document, "BIÊN BẢN", conference_subject(conference))


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
    layout.paragraph(document, "I. THỜI GIAN, ĐỊA ĐIỂM", bold=True)
    _labelled(document, "Thời gian: ", _start_text(data))
    _labelled(document, "Địa điểm: ", f"{conference.venue or '……'}.")
    layout.paragraph(document, "II. THÀNH PHẦN THAM DỰ", bold=True)
    _labelled(document, "Chủ tọa: ", f"{conference.chair or '……'}.")
    _labelled(document, "Thư ký: ", f"{conference.secretary or '……'}.")
    absent = data.expected - data.present
    _labelled(document, "Đại biểu: ", f"có mặt {data.present}/{data.expected} đại biểu được triệu tập "
                                      f"(vắng {absent}), gồm:")
    for name, present, expected in data.groups:
        if expected:
            layout.paragraph(document, f"- {name}: có mặt {present}/{expected};", indent=True, after=0)


def _table(document, headers: tuple[str, ...], widths: tuple[float, ...], left_columns=(1, 2)):
    table = layout.fixed_table(document, widths, grid=True)
    for cell, title in zip(table.rows[0].cells, headers):
        layout.cell_paragraph(cell, title, bold=True, size=12)
    layout.repeat_as_header(table.rows[0])
    return table


def _program_section(document, data: Minutes) -> None:
    layout.paragraph(document, "III. NỘI DUNG HỘI NGHỊ", bold=True)
    layout.paragraph(document, "Hội nghị đã diễn ra theo chương trình sau (giờ thực tế):", indent=True)
    table = _table(document, ("STT", "Nội dung", "Người trình bày", "Bắt đầu", "Kết thúc"), PROGRAM_COLUMNS)
    for line in data.program:  # a place run twice has a line per run in its time cells
        starts = "\n".join(clock_on(start, data.day) for start, _ in line.runs)
        ends = "\n".join(clock_on(end, data.day) for _, end in line.runs)
        layout.add_row(table, PROGRAM_COLUMNS, (line.number, ("- " if line.step else "") + line.title,
                                                line.presenter or "", starts, ends), left_columns=(1, 2))


def _proceedings(document, data: Minutes) -> None:
    """Diễn biến: under each item with its actual times, what the secretary noted, then the
    delegates who spoke during it, in order; turns given outside any item come last."""
    items = {line.item_id for line in data.program if line.item_id is not None}
    spoke = {turn.item_id for turn in data.speakers}
    shown = [line for line in data.program if line.notes or (line.item_id is not None and line.item_id in spoke)]
    elsewhere = [turn for turn in data.speakers if turn.item_id not in items]
    if not shown and not elsewhere:
        return
    layout.paragraph(document, "", after=0)
    layout.paragraph(document, "Diễn biến hội nghị", bold=True, indent=True)
    for line in shown:
        spans = [f"{clock_on(start, data.day)} - {clock_on(end, data.day)}" for start, end in line.runs if end]
        when = f" ({'; '.join(spans)})" if spans else ""
        layout.paragraph(document, f"{line.number}. {line.title}{when}", italic=True, indent=True, after=2)
        for text in filter(None, (part.strip() for part in (line.notes or "").splitlines())):
            layout.paragraph(document, text, indent=True)
        _turns(document, data, [turn for turn in data.speakers if turn.item_id == line.item_id])
    if elsewhere:
        layout.paragraph(document, "Ý kiến phát biểu khác", italic=True, indent=True, after=2)
        _turns(document, data, elsewhere)


def _turns(document, data: Minutes, turns_: list[SpeakerLine]) -> None:
    for turn in turns_:
        end = f" - {clock_on(turn.ended_at, data.day)}" if turn.ended_at else ""
        unit = f" ({turn.unit})" if turn.unit else ""
        subject = f": “{turn.subject}”" if turn.subject else ""
        layout.paragraph(document, f"- {clock_on(turn.started_at, data.day)}{end}: {turn.name}{unit} phát biểu{subject}.",
                         indent=True)


def _awards_section(document, data: Minutes) -> None:
    layout.paragraph(document, "", after=0)
    layout.paragraph(document, "Biểu dương, tôn vinh, khen thưởng", bold=True, indent=True)
    if not data.awards:
        layout.paragraph(document, "Không có khen thưởng nào được ghi nhận là đã trao tại hội nghị.", indent=True)
        return
    collectives = sum(1 for line in data.awards if line.kind == HonoureeKind.COLLECTIVE)
    individuals = len(data.awards) - collectives
    layout.paragraph(document, f"Hội nghị đã trao khen thưởng cho {collectives} tập thể, {individuals} cá nhân:",
                     indent=True)
    table = _table(document, ("STT", "Tập thể / cá nhân", "Đơn vị", "Người nhận"), AWARD_COLUMNS)
    decision = None
    for number, line in enumerate(data.awards, start=1):
        if (line.form, line.decision) != decision:  # one line per decision, the honourees under it
            decision = (line.form, line.decision)
            row = table.add_row()
            layout.set_widths(row, AWARD_COLUMNS)
            whole_row = row.cells[0].merge(row.cells[-1])
            layout.cell_paragraph(whole_row, f"{line.form} ({line.decision})", bold=True, size=12,
                                  align=WD_ALIGN_PARAGRAPH.LEFT)
        layout.add_row(table, AWARD_COLUMNS, (str(number), line.name, line.unit or "", line.receiver),
                       left_columns=(1, 2, 3))


def _vote_section(document, data: Minutes) -> None:
    layout.paragraph(document, "", after=0)
    layout.paragraph(document, data.vote_title or "Thông qua danh sách đại biểu đi dự hội nghị cấp trên",
                     bold=True, indent=True)
    layout.paragraph(document, f"Danh sách đề cử gồm {len(data.candidates)} người:", indent=True)
    for number, candidate in enumerate(data.candidates, start=1):
        detail = ", ".join(p for p in (candidate.title, candidate.unit) if p)
        layout.paragraph(document, f"{number}. {candidate.full_name}" + (f" – {detail}" if detail else ""),
                         indent=True, after=0)
    if not data.votes:
        _labelled(document, "Kết quả biểu quyết: ", "chưa được ghi nhận.")
        return
    for vote in data.votes:
        write_vote(document, vote)


METHODS = {"hands": "giơ tay", "phones": "bỏ phiếu trên điện thoại", "paper": "bỏ phiếu giấy"}


def _percent(count: int, present: int) -> str:
    return f"{100 * count / present:.1f}".replace(".", ",") if present else "0"


def write_vote(document, vote: dict) -> None:
    """Question, method, present, each choice's count and share of those present, the outcome."""
    present = vote["present"]
    method = METHODS[vote["method"]]
    if vote["method"] == "phones":
        method += ", kín" if vote["secret"] else ", công khai"
    elif vote["secret"]:
        method += ", kín"
    _labelled(document, "Biểu quyết: ", f"{vote['question']} (hình thức: {method}).")
    cast = f", {vote['cast']} người đã biểu quyết" if vote["method"] == "phones" else ""
    layout.paragraph(document, f"Số đại biểu có mặt: {present}{cast}.", indent=True, after=0)
    for label, count in vote["counts"].items():
        said = f"{label}:" if vote["election"] else mid_sentence(label)  # a name keeps its capitals
        layout.paragraph(document, f"– {said} {count}/{present} đại biểu có mặt "
                                   f"(đạt {_percent(count, present)}%).", indent=True, after=0)
    _labelled(document, "Kết quả biểu quyết: ", _outcome_text(vote))


RULE_TEXT = {"more_than_half": "quá nửa số đại biểu có mặt", "two_thirds": "ít nhất hai phần ba số đại biểu có mặt"}


def _outcome_text(vote: dict) -> str:
    rule = RULE_TEXT.get(vote["outcome"]["rule"], RULE_TEXT["more_than_half"])
    if vote["election"]:
        elected, tie = vote["outcome"]["elected"], tie_sentence(vote)
        if elected:
            return f"trúng cử ({rule}): {', '.join(elected)}." + (f" {tie}" if tie else "")
        return f"chưa xác định được người trúng cử ({rule}). {tie}" if tie else f"không ai đạt {rule}."
    adopted = vote["outcome"]["adopted"]
    if adopted is None:
        return f"không phương án nào đạt {rule}."
    return f"{mid_sentence(adopted)} ({rule}) – thông qua." if vote["outcome"]["passed"] else \
        f"{mid_sentence(adopted)} ({rule})."


def tie_sentence(vote: dict) -> str | None:
    """An election whose last place is tied (votes/results.py): who, and that a further round among
    them is needed; None when there is no tie."""
    tied = vote["outcome"].get("tied")
    if not tied:
        return None
    return (f"Các ứng cử viên {', '.join(tied)} cùng được {vote['counts'][tied[0]]} phiếu ở vị trí trúng cử "
            f"cuối cùng nên chưa ai trong số này trúng cử; cần bầu lại giữa những người này để chọn "
            f"{vote['outcome']['tied_places']} người.")


def _closing(document, data: Minutes) -> None:
    clock = vn_clock(data.ended_at) if data.ended_at else BLANK_TIME
    end_day = to_local(data.ended_at).date() if data.ended_at else data.day
    same_day = "cùng ngày" if end_day == data.day else vn_day(end_day)
    layout.paragraph(document, f"Hội nghị kết thúc vào lúc {clock} {same_day}.", indent=True)
    layout.paragraph(document, "Biên bản được lập thành 02 bản, có giá trị như nhau; đã được đọc lại cho "
                               "hội nghị nghe và thống nhất thông qua./.", indent=True)
    layout.signatures(document, (("THƯ KÝ", data.conference.secretary), ("CHỦ TỌA", data.conference.chair)))
    parent = data.conference.parent_organiser
    layout.recipients(document, ([f"{parent} (để báo cáo)"] if parent else [])
                      + ["Các đại biểu dự hội nghị", "Lưu: VT"])


def render_minutes(data: Minutes):
    """The python-docx Document of the minutes."""
    document = Document()
    layout.setup(document, "Biên bản hội nghị")
    _header(document, data)
    _attendance(document, data)
    _program_section(document, data)
    _proceedings(document, data)
    _awards_section(document, data)
    _vote_section(document, data)
    _closing(document, data)
    return document


def minutes_docx(conference_id: int) -> bytes:
    out = io.BytesIO()
    render_minutes(minutes_data(conference_id)).save(out)
    return out.getvalue()


def write_minutes(conference_id: int, path: Path) -> None:
    """Write the biên bản to path (.docx)."""
    if path.suffix.lower() != ".docx":
        raise ConferenceError("unsupported_file", "Biên bản chỉ xuất được dưới dạng .docx.")
    path.write_bytes(minutes_docx(conference_id))
