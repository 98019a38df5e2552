"""The biên bản kiểm phiếu (counting record, .docx) of one closed election: the question, when it was
held, those present, the ballots issued, received and valid, each candidate's votes and share of
those present, who is elected by the rule (votes/results.py) and who is tied at the last place, the
counting board's signatures.

Ballots: by phones each present delegate may vote, so issued is those present and received (all
valid, the phone refuses a wrong ballot) is those who cast one; by paper the counts were entered per
candidate, not per ballot, so received and valid are left as blanks for the board to fill from its
tally sheet. Laid out as the minutes are (docx_layout.py, NĐ 30/2020).
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from conference.core.dates import to_local, vn_clock, vn_date, vn_day
from conference.core.errors import Conflict, ConferenceError
from conference.core.models import Conference, VoteMethod, VoteState
from conference.core.state import get_conference
from conference.votes.record import get_vote
from conference.votes.results import vote_json
from . import docx_layout as layout
from .minutes import RULE_TEXT, conference_subject, tie_sentence

BLANK = "……"
COLUMNS = (13, 82, 30, 40)  # 165 mm


@dataclass
class Counting:
    conference: Conference
    vote: dict  # vote_json: question, method, present, cast, counts, outcome
    day: date
    opened_at: datetime
    recorded_at: datetime


def closed_election(conference_id: int, vote_id: object):
    """The vote if it is a closed election of this conference; otherwise refused, and why."""
    vote = get_vote(conference_id, vote_id)
    if not vote.election:
        raise Conflict("not_an_election", "Cuộc biểu quyết này không phải là bầu cử: biên bản kiểm phiếu chỉ "
                                          "lập cho cuộc bầu có danh sách ứng cử viên.")
    if vote.state != VoteState.CLOSED:
        raise Conflict("election_not_closed", "Cuộc bầu cử này chưa kết thúc: chưa lập được biên bản kiểm phiếu.")
    return vote


def counting_data(conference_id: int, vote_id: object) -> Counting:
    conference = get_conference(conference_id)
    vote = closed_election(conference_id, vote_id)
    recorded = vote.recorded_at or vote.opened_at
    return Counting(conference, vote_json(vote), to_local(recorded).date(), vote.opened_at, recorded)


def ballots(vote: dict) -> tuple[str, str, str]:
    """(issued, received, valid) as the paper states them; a blank where nothing was recorded."""
    present = str(vote["present"])
    if vote["method"] == VoteMethod.PHONES.value:
        return present, str(vote["cast"]), str(vote["cast"])
    return present, BLANK, BLANK


def _percent(count: int, present: int) -> str:
    return f"{100 * count / present:.1f}".replace(".", ",") + "%" if present else "0%"


def _figures(document, data: Counting) -> None:
    vote = data.vote
    layout.paragraph(document, "I. SỐ PHIẾU", bold=True)
    layout.paragraph(document, f"Số đại biểu có mặt: {vote['present']} đại biểu.", indent=True, after=0)
    if vote["method"] == VoteMethod.HANDS.value:
        layout.paragraph(document, "Hình thức: biểu quyết giơ tay, không phát phiếu.", indent=True)
        return
    issued, received, valid = ballots(vote)
    form = "bỏ phiếu trên điện thoại" if vote["method"] == VoteMethod.PHONES.value else "bỏ phiếu giấy"
    layout.paragraph(document, f"Hình thức: {form}{', kín' if vote['secret'] else ''}; mỗi phiếu chọn "
                               f"tối đa {vote['max_choices']} người.", indent=True, after=0)
    layout.paragraph(document, f"Số phiếu phát ra: {issued} phiếu.", indent=True, after=0)
    layout.paragraph(document, f"Số phiếu thu vào: {received} phiếu.", indent=True, after=0)
    layout.paragraph(document, f"Số phiếu hợp lệ: {valid} phiếu.", indent=True, after=0)
    invalid = "0" if vote["method"] == VoteMethod.PHONES.value else BLANK
    layout.paragraph(document, f"Số phiếu không hợp lệ: {invalid} phiếu.", indent=True)


def _results(document, data: Counting) -> None:
    vote, present = data.vote, data.vote["present"]
    layout.paragraph(document, "II. KẾT QUẢ KIỂM PHIẾU", bold=True)
    table = layout.fixed_table(document, COLUMNS, grid=True)
    for cell, title in zip(table.rows[0].cells, ("STT", "Họ và tên", "Số phiếu", "Tỷ lệ (so với số có mặt)")):
        layout.cell_paragraph(cell, title, bold=True, size=12)
    layout.repeat_as_header(table.rows[0])
    for number, (name, count) in enumerate(vote["counts"].items(), start=1):
        layout.add_row(table, COLUMNS, (str(number), name, str(count), _percent(count, present)), left_columns=(1,))
    layout.paragraph(document, "", after=0)
    layout.paragraph(document, "III. NGƯỜI TRÚNG CỬ", bold=True)
    elected = vote["outcome"]["elected"]
    rule = RULE_TEXT.get(vote["outcome"]["rule"], RULE_TEXT["more_than_half"])
    layout.paragraph(document, f"Căn cứ quy định, người trúng cử phải được {rule} bầu "
                               f"(từ {vote['outcome']['needed']} phiếu trở lên); lấy tối đa {vote['max_choices']} "
                               "người theo số phiếu từ cao xuống thấp.", indent=True)
    tie = tie_sentence(vote)
    if not elected and not tie:
        layout.paragraph(document, f"Không có người nào đạt {rule}: không ai trúng cử.", indent=True)
    for number, name in enumerate(elected, start=1):
        count = vote["counts"][name]
        layout.paragraph(document, f"{number}. {name}: {count} phiếu ({_percent(count, present)}).",
                         indent=True, after=0)
    if tie:
        layout.paragraph(document, "", after=0)
        layout.paragraph(document, tie, indent=True)


def _closing(document, data: Counting) -> None:
    layout.paragraph(document, "", after=0)
    layout.paragraph(document, f"Việc kiểm phiếu kết thúc vào lúc {vn_clock(to_local(data.recorded_at))} "
                               "cùng ngày. Biên bản lập thành 02 bản, có giá trị như nhau./.", indent=True)
    layout.paragraph(document, "BAN KIỂM PHIẾU", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    layout.signatures(document, (("THÀNH VIÊN", None), ("TRƯỞNG BAN", None)))
    layout.signatures(document, (("THÀNH VIÊN", None), ("THÀNH VIÊN", None)))


def render_counting(data: Counting):
    document = Document()
    layout.setup(document, "Biên bản kiểm phiếu")
    conference = data.conference
    layout.admin_header(document, conference.parent_organiser, conference.organiser,
                        f"Số:       /BB-{layout.symbol(conference.organiser)}",
                        vn_date(data.day, conference.place_name))
    layout.document_title(document, "BIÊN BẢN KIỂM PHIẾU", data.vote["question"])
    layout.paragraph(document, f"Tại {conference_subject(conference)}, cuộc bỏ phiếu bắt đầu vào lúc "
                               f"{vn_clock(to_local(data.opened_at))}, {vn_day(data.day)}. Ban kiểm phiếu đã "
                               "tiến hành kiểm phiếu, kết quả như sau:", indent=True)
    _figures(document, data)
    _results(document, data)
    _closing(document, data)
    return document


def counting_docx(conference_id: int, vote_id: object) -> bytes:
    out = io.BytesIO()
    render_counting(counting_data(conference_id, vote_id)).save(out)
    return out.getvalue()


def write_counting(conference_id: int, vote_id: int, path: Path) -> None:
    """Write the counting record of election VOTE_ID to PATH (.docx); nothing is written when refused."""
    if path.suffix.lower() != ".docx":
        raise ConferenceError("unsupported_file", "Biên bản kiểm phiếu chỉ xuất được dưới dạng .docx.")
    path.write_bytes(counting_docx(conference_id, vote_id))
