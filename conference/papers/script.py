"""The kịch bản chương trình (MC's script), as a .docx the MC prints and the chair approves.

The same administrative header as the minutes (docx_layout.py), then "KỊCH BẢN CHƯƠNG TRÌNH" and the
conference's name, then the program as a table: planned time, what happens with the MC's lời dẫn,
who does it. The planned times are the plan's own clock (conference start plus the planned
minutes, timing.py); each tham luận step gets the invitation the MC console shows for it. The
placeholders of the scripts are filled as on the MC screen: the expected number of delegates is
known before the day, the present and absent ones are left as blanks until someone has arrived.
"""
from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from conference.core.dates import hhmm, local_zone, vn_date
from conference.core.db import db
from conference.core.errors import ConferenceError
from conference.core.models import AgendaItem, CheckIn, Delegate, ItemKind
from conference.checkin.roster import called_names
from conference.core.state import get_conference
from conference.core.textnorm import fold, mid_sentence
from conference.show.timing import planned_rows, planned_start
from . import docx_layout as layout
from .minutes import conference_subject

COLUMNS = (28, 97, 40)  # mm: time, content and lời dẫn, who
BLANK = "……"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
STEP_FIRST = "Xin trân trọng kính mời {presenter} trình bày tham luận: “{title}”."
STEP_NEXT = "Xin cảm ơn {previous}. Tiếp theo, xin trân trọng kính mời {presenter} trình bày tham luận: “{title}”."
TALK_PREFIX = re.compile(r"^\s*Tham luận\s*[:–-]\s*", re.I)


def script_values(conference, conference_id: int) -> dict[str, str]:
    """What the placeholders of a script stand for, as the MC screen fills them."""
    expected = db.session.scalar(sa.select(sa.func.count(Delegate.id)).where(Delegate.conference_id == conference_id))
    present = db.session.scalar(sa.select(sa.func.count(CheckIn.id)).where(CheckIn.conference_id == conference_id))
    return {"present": str(present) if present else BLANK, "absent": str(expected - present) if present else BLANK,
            "expected": str(expected), "title": conference.title, "edition": mid_sentence(conference.edition),
            "period": conference.period or ""}


def fill(script: str | None, values: dict[str, str]) -> str:
    """The script with its known placeholders filled; an unknown {word} stays as typed."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), script or "")


def step_script(item: AgendaItem, index: int, called: dict[str, str] | None = None) -> str:
    """The MC's invitation to a step (the words of the MC console); a presenter who is a delegate
    with a danh xưng is invited with it ("trân trọng kính mời Bà …"), CALLED being roster.called_names()."""
    def name(presenter: str | None) -> str | None:
        return (called or {}).get(fold(presenter), presenter) if presenter else presenter
    step = item.steps[index]
    title = TALK_PREFIX.sub("", step.title) if item.kind == ItemKind.TALKS else step.title
    previous = name(item.steps[index - 1].presenter) if index else None
    template = STEP_NEXT if previous else STEP_FIRST
    return template.format(presenter=name(step.presenter) or BLANK, title=title, previous=previous)


def _span(row: dict) -> str:
    start, end = (datetime.fromisoformat(row[k]) if row[k] else None for k in ("planned_start", "planned_end"))
    return f"{hhmm(start)} – {hhmm(end)}" if start else ""


def _content(cell, heading: str, script: str) -> None:
    """The item's title in bold, then the lời dẫn; stage directions "(…)" in italics."""
    layout.cell_paragraph(cell, heading, bold=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in filter(None, (part.strip() for part in script.splitlines())):
        para = layout.cell_paragraph(cell, line, italic=line.startswith("("), size=12,
                                     align=WD_ALIGN_PARAGRAPH.LEFT)  # a narrow column: justified leaves holes
        para.paragraph_format.space_before = Pt(2)


def render_script(conference_id: int):
    """The python-docx Document of the MC's script."""
    conference = get_conference(conference_id)
    items = list(db.session.scalars(sa.select(AgendaItem).where(AgendaItem.conference_id == conference_id)
                                    .options(sa.orm.selectinload(AgendaItem.steps)).order_by(AgendaItem.position)))
    rows = planned_rows(items, planned_start(conference, local_zone()))
    values = script_values(conference, conference_id)
    called = called_names(conference_id)
    document = Document()
    layout.setup(document, "Kịch bản chương trình")
    day = vn_date(conference.date, conference.place_name) if conference.date else "…, ngày … tháng … năm …"
    layout.admin_header(document, conference.parent_organiser, conference.organiser, None, day)
    layout.document_title(document, "KỊCH BẢN CHƯƠNG TRÌNH", conference_subject(conference))
    table = layout.fixed_table(document, COLUMNS, grid=True)
    for cell, title in zip(table.rows[0].cells, ("Thời gian", "Nội dung, lời dẫn", "Người thực hiện")):
        layout.cell_paragraph(cell, title, bold=True, size=12)
    layout.repeat_as_header(table.rows[0])
    for item, row in zip(items, rows):
        cells = layout.add_row(table, COLUMNS, (_span(row), "", item.presenter or "Dẫn chương trình"),
                               keep_whole=False)
        _content(cells[1], f"{item.position}. {item.title}", fill(item.script, values))
        for index, (step, step_row) in enumerate(zip(item.steps, row["steps"])):
            cells = layout.add_row(table, COLUMNS, (_span(step_row), "", step.presenter or ""), keep_whole=False)
            _content(cells[1], f"{item.position}.{step.position}. {step.title}", step_script(item, index, called))
    layout.signatures(document, (("NGƯỜI DẪN CHƯƠNG TRÌNH", None), ("DUYỆT CỦA CHỦ TỌA", conference.chair)))
    return document


def script_docx(conference_id: int) -> bytes:
    out = io.BytesIO()
    render_script(conference_id).save(out)
    return out.getvalue()


def write_script(conference_id: int, path: Path) -> None:
    """Write the kịch bản to path (.docx)."""
    if path.suffix.lower() != ".docx":
        raise ConferenceError("unsupported_file", "Kịch bản chỉ xuất được dưới dạng .docx.")
    path.write_bytes(script_docx(conference_id))
