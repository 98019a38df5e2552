"""An open vote's named list (.xlsx): each delegate who voted and what they chose. A secret vote
has none to give: nothing stored links a choice to a voter (ballots.py)."""
from __future__ import annotations

import io

import sqlalchemy as sa

from conference.core.db import db
from conference.core.errors import Conflict
from conference.core.models import Delegate, VoteBallot, VoteChoice, VoteVoter
from conference.core.spreadsheets import text_cell
from .record import get_vote
from .results import vote_json

HEADERS = ("STT", "Họ và tên", "Chức vụ", "Đơn vị", "Đã chọn")


def named_rows(conference_id: int, vote_id: object) -> list[tuple[str, str | None, str | None, str]]:
    """(name, position, unit, choices ticked) of each delegate who voted, by name."""
    vote = get_vote(conference_id, vote_id)
    if vote.secret:
        raise Conflict("secret_vote", "Biểu quyết kín: không có danh sách ai chọn gì.")
    voters = db.session.scalars(sa.select(Delegate).join(VoteVoter, VoteVoter.delegate_id == Delegate.id)
                                .where(VoteVoter.vote_id == vote.id).order_by(Delegate.full_name, Delegate.id)).all()
    ticked: dict[int, list[str]] = {}
    for delegate_id, label in db.session.execute(
            sa.select(VoteBallot.delegate_id, VoteChoice.label).join(VoteChoice, VoteChoice.id == VoteBallot.choice_id)
            .where(VoteBallot.vote_id == vote.id).order_by(VoteChoice.position)):
        ticked.setdefault(delegate_id, []).append(label)
    return [(d.full_name, d.position, d.unit, "; ".join(ticked.get(d.id, []))) for d in voters]


def named_list_xlsx(conference_id: int, vote_id: object) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    rows = named_rows(conference_id, vote_id)
    summary = vote_json(get_vote(conference_id, vote_id))
    book = Workbook()
    sheet = book.active
    sheet.title = "Biểu quyết"
    text_cell(sheet, 1, 1, "DANH SÁCH BIỂU QUYẾT CÔNG KHAI").font = Font(bold=True, size=14)
    text_cell(sheet, 2, 1, summary["question"])
    text_cell(sheet, 3, 1, f"Đã biểu quyết {summary['cast']}/{summary['present']} đại biểu có mặt")
    for column, title in enumerate(HEADERS, start=1):
        text_cell(sheet, 5, column, title).font = Font(bold=True)
    for number, row in enumerate(rows, start=1):
        sheet.cell(5 + number, 1, number)
        for column, value in enumerate(row, start=2):
            text_cell(sheet, 5 + number, column, value)
    for letter, width in zip("ABCDE", (6, 30, 24, 30, 30)):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
