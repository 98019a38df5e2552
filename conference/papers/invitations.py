"""Giấy mời: one A4 invitation per delegate (PDF), in the administrative layout of the other papers,
carrying the badge's own QR code, so a delegate who forgot the badge is admitted with the invitation.

The same header as the .docx papers (NĐ 30/2020, Phụ lục I: the agency beside the quốc hiệu and
tiêu ngữ, "Số: …/GM-…" beside the place and date in italics), then GIẤY MỜI, whom it is for, time,
place, the program in short (planned start of each item), the QR code, then, as NĐ 30/2020 lays
them out side by side, "Nơi nhận" at the left and the signature at the right: "TM. BAN TỔ CHỨC",
the signer's title, room to sign, the name. The face is the minutes' serif (Liberation Serif,
Times New Roman's metric twin, embedded): it has every Vietnamese letter and a true italic.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from conference.checkin.roster import with_honorific
from conference.core.dates import hhmm, local_zone, vn_date, vn_day
from conference.core.db import db, is_id
from conference.core.errors import ConferenceError
from conference.core.models import AgendaItem, Conference, Delegate, DelegateGroup
from conference.core.state import get_conference
from conference.show.timing import planned_rows, planned_start
from .badges import BadgeText, badge_texts, draw_qr
from .docx_layout import BOTTOM, LEFT, QUOC_HIEU, RIGHT, TIEU_NGU, TOP, agency_lines, symbol
from .minutes import conference_subject
from .print_text import SERIF as REGULAR, SERIF_BOLD as BOLD, SERIF_BOLD_ITALIC, SERIF_ITALIC, register_fonts, wrap

PAGE_W, PAGE_H = A4
X0, X1 = LEFT * mm, PAGE_W - RIGHT * mm  # the text column
AGENCY_W = 70 * mm
QR_SIZE = 30 * mm
SIGNER_TITLE = "TRƯỞNG BAN"  # who signs for the organising committee (TM. = thay mặt)
SIGNATURE_ROOM = 22 * mm  # between the signer's title and the name: the signature and the seal


@dataclass(frozen=True)
class Program:
    """What every invitation of the conference says alike."""
    conference: Conference
    items: list[tuple[str, str]]  # (planned start "07:30" or "", title)


def program(conference_id: int) -> Program:
    conference = get_conference(conference_id)
    items = list(db.session.scalars(sa.select(AgendaItem).where(AgendaItem.conference_id == conference_id)
                                    .options(sa.orm.selectinload(AgendaItem.steps)).order_by(AgendaItem.position)))
    rows = planned_rows(items, planned_start(conference, local_zone()))
    starts = [hhmm(datetime.fromisoformat(row["planned_start"])) if row["planned_start"] else "" for row in rows]
    return Program(conference, [(start, item.title) for start, item in zip(starts, items)])


def chosen_delegates(conference_id: int, group_id: int | None = None,
                     delegate_id: int | None = None) -> list[BadgeText]:
    """All delegates, one group's or one person's, in the badges' order; an unknown group or delegate is refused."""
    if group_id is not None:
        group = db.session.get(DelegateGroup, group_id) if is_id(group_id) else None
        if group is None or group.conference_id != conference_id:
            raise ConferenceError("unknown_group", "Không tìm thấy thành phần đại biểu.", 404)
    if delegate_id is not None:
        delegate = db.session.get(Delegate, delegate_id) if is_id(delegate_id) else None
        if delegate is None or delegate.conference_id != conference_id:
            raise ConferenceError("unknown_delegate", "Không tìm thấy đại biểu.", 404)
    chosen = badge_texts(conference_id, delegate_ids=[delegate_id] if delegate_id is not None else None,
                         group_id=group_id)
    if not chosen:
        raise ConferenceError("nobody", "Không có đại biểu nào để in giấy mời.", 404)
    return chosen


def invitations_pdf(conference_id: int, group_id: int | None = None, delegate_id: int | None = None) -> bytes:
    """The invitations as one PDF, a page per delegate."""
    delegates = chosen_delegates(conference_id, group_id, delegate_id)
    plan = program(conference_id)
    register_fonts()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, initialFontName=REGULAR, initialFontSize=12)  # never a Helvetica
    pdf.setTitle("Giấy mời")
    for delegate in delegates:
        _invitation(pdf, plan, delegate)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


# --- one page ----------------------------------------------------------------------------------

def _centred(pdf, text: str, font: str, size: float, middle: float, y: float) -> None:
    pdf.setFont(font, size)
    pdf.drawCentredString(middle, y, text)


def _rule(pdf, middle: float, width: float, y: float) -> None:
    pdf.setLineWidth(0.6)
    pdf.line(middle - width / 2, y, middle + width / 2, y)


def _header(pdf, conference: Conference) -> float:
    """The two header columns; returns the y under them."""
    top = PAGE_H - TOP * mm - 10
    left_mid, right_mid = X0 + AGENCY_W / 2, X0 + AGENCY_W + (X1 - X0 - AGENCY_W) / 2
    y = top
    for line in wrap((conference.parent_organiser or "").upper(), REGULAR, 11, AGENCY_W):
        _centred(pdf, line, REGULAR, 11, left_mid, y)
        y -= 14
    agency = agency_lines(conference.organiser or "", AGENCY_W - 4 * mm,
                          lambda text: pdfmetrics.stringWidth(text, BOLD, 11))
    for line in agency:
        _centred(pdf, line, BOLD, 11, left_mid, y)
        y -= 14
    widest = max((pdfmetrics.stringWidth(line, BOLD, 11) for line in agency), default=40)
    _rule(pdf, left_mid, widest / 2.5, y + 7)
    _centred(pdf, QUOC_HIEU, BOLD, 11, right_mid, top)
    _centred(pdf, TIEU_NGU, BOLD, 12, right_mid, top - 15)
    _rule(pdf, right_mid, pdfmetrics.stringWidth(TIEU_NGU, BOLD, 12), top - 19)
    y = min(y, top - 19) - 14
    _centred(pdf, f"Số:       /GM-{symbol(conference.organiser)}", REGULAR, 12, left_mid, y)
    day = vn_date(conference.date, conference.place_name) if conference.date else "…, ngày … tháng … năm …"
    _centred(pdf, day, SERIF_ITALIC, 13, right_mid, y)
    return y - 34


def _paragraph(pdf, y: float, text: str, size: float = 12, label: str = "", indent: float = 12.7 * mm,
               font: str = REGULAR, hanging: bool = False) -> float:
    """Text wrapped in the column, its first line indented and led by a bold label; the next lines at
    the margin, or (hanging) under the first. Returns the y below it."""
    leading = size * 1.4
    label_w = pdfmetrics.stringWidth(label, BOLD, size) if label else 0
    first = wrap(" ".join(text.split()), font, size, X1 - X0 - indent - label_w)[:1]
    rest = " ".join(text.split())[len(first[0]):].strip() if first else ""
    if label:
        pdf.setFont(BOLD, size)
        pdf.drawString(X0 + indent, y, label)
    pdf.setFont(font, size)
    if first:
        pdf.drawString(X0 + indent + label_w, y, first[0])
    left = X0 + indent + label_w if hanging else X0
    for line in wrap(rest, font, size, X1 - left):
        y -= leading
        pdf.drawString(left, y, line)
    return y - leading - 3


def _invitation(pdf, plan: Program, delegate: BadgeText) -> None:
    conference = plan.conference
    pdf.setFillColorRGB(0, 0, 0)
    y = _header(pdf, conference)
    middle = (X0 + X1) / 2
    _centred(pdf, "GIẤY MỜI", BOLD, 15, middle, y)
    y -= 19
    for line in wrap(f"Dự {conference_subject(conference)}", BOLD, 13, X1 - X0):
        _centred(pdf, line, BOLD, 13, middle, y)
        y -= 17
    y -= 12
    y = _paragraph(pdf, y, with_honorific(delegate.honorific, delegate.full_name), 13, "Kính gửi: ", font=BOLD)
    who = ", ".join(part for part in (delegate.position, delegate.unit) if part)
    if who:
        y = _paragraph(pdf, y + 6, who, 12, "", indent=12.7 * mm + pdfmetrics.stringWidth("Kính gửi: ", BOLD, 13),
                       hanging=True)
    organiser = conference.organiser or "Ban tổ chức"
    you = addressed(delegate.honorific)
    y = _paragraph(pdf, y, f"{organiser} trân trọng kính mời {you} đến dự {conference_subject(conference)}.")
    y = _paragraph(pdf, y, _when(conference), label="Thời gian: ")
    y = _paragraph(pdf, y, f"{conference.venue or '……'}.", label="Địa điểm: ")
    y = _paragraph(pdf, y, "", label="Chương trình:")
    for start, title in plan.items:
        y = _paragraph(pdf, y + 5, title, 11, f"{start}  " if start else "", indent=18 * mm, hanging=True)
    y = _paragraph(pdf, y, f"Khi đến, xin {you} mang theo thẻ đại biểu hoặc giấy mời này: mã QR dưới đây "
                           "là mã của thẻ, quét được tại bàn đón tiếp.", 11)
    _qr_and_signature(pdf, conference, delegate, y)


def addressed(honorific: str) -> str:
    """How the letter's sentences address its reader: by the danh xưng ("đồng chí" in running text,
    "Ông", "Bà"), or "Ông (Bà)" where none is set, as before."""
    if not honorific:
        return "Ông (Bà)"
    return honorific.lower() if honorific == "Đồng chí" else honorific


def _when(conference: Conference) -> str:
    clock = "…… giờ …… phút"
    if conference.starts_at:
        hour, minute = conference.starts_at.split(":")
        clock = f"{int(hour):02d} giờ {minute} phút"
    return f"{clock}, {vn_day(conference.date) if conference.date else 'ngày … tháng … năm …'}."


def _qr_and_signature(pdf, conference: Conference, delegate: BadgeText, y: float) -> None:
    """The badge's QR code under the text, then "Nơi nhận" at the left beside the signature at the
    right (NĐ 30/2020), their first lines level; overleaf when the page has no room left for them."""
    top = y - 4
    needed = QR_SIZE + 14 + 15 + 15 + SIGNATURE_ROOM + 10
    if top - needed < BOTTOM * mm:  # a program too long for one page: QR and signature overleaf
        pdf.showPage()
        top = PAGE_H - TOP * mm - 10
    draw_qr(pdf, X0, top - QR_SIZE, QR_SIZE, delegate.code)
    pdf.setFont(REGULAR, 8)
    pdf.drawString(X0 + 2 * mm, top - QR_SIZE - 9, delegate.code)
    if delegate.phone:  # the venue's address is set: the delegate's own page, for their phone's camera
        draw_qr(pdf, X0 + QR_SIZE + 6 * mm, top - QR_SIZE * 0.7, QR_SIZE * 0.7, delegate.phone)
        pdf.drawString(X0 + QR_SIZE + 8 * mm, top - QR_SIZE * 0.7 - 9, "Mở trên điện thoại")
    line = top - QR_SIZE - 26  # the signature's first line, and Nơi nhận's
    signer_mid = X0 + (X1 - X0) * 0.72
    _centred(pdf, "TM. BAN TỔ CHỨC", BOLD, 13, signer_mid, line)
    _centred(pdf, SIGNER_TITLE, BOLD, 13, signer_mid, line - 15)
    _centred(pdf, conference.chair or "", BOLD, 13, signer_mid, line - 15 - SIGNATURE_ROOM)
    pdf.setFont(SERIF_BOLD_ITALIC, 12)
    pdf.drawString(X0, line, "Nơi nhận:")
    pdf.setFont(REGULAR, 11)
    for offset, text in enumerate(("- Như trên;", "- Lưu: VT."), start=1):
        pdf.drawString(X0, line - 13 * offset, text)


def write_invitations(conference_id: int, path, group_id: int | None = None, delegate_id: int | None = None) -> int:
    """Write the invitations to path (.pdf). Returns how many delegates they are for."""
    if path.suffix.lower() != ".pdf":
        raise ConferenceError("unsupported_file", "Giấy mời chỉ xuất được dưới dạng .pdf.")
    data = invitations_pdf(conference_id, group_id, delegate_id)
    path.write_bytes(data)
    return len(chosen_delegates(conference_id, group_id, delegate_id))
