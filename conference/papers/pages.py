"""Office pages: the papers. Badges to print (all, a group, one delegate), the attendance list, the
credentials report, the minutes, the conclusion notice, an election's counting record."""
from __future__ import annotations

import io

from flask import render_template, request, send_file
from flask_babel import gettext as _

from conference.checkin.roster import groups
from conference.core.dates import local_zone
from conference.core.errors import ConferenceError
from conference.office.details import conference_or_404, parse_id
from conference.office.frame import bp, conference_id, message_page
from conference.votes.results import recorded_votes
from . import attendance, badges
from .minutes import minutes_docx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(data: bytes, name: str, mimetype: str):
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "no-store"  # always the current state, never a cached copy
    return response


def send_badges(name: str, delegate_ids=None, group_id: int | None = None):
    """The badges as A4 sheets (PDF), or a page that says why there is nothing to print."""
    try:
        data = badges.badges_pdf(conference_id(), delegate_ids=delegate_ids, group_id=group_id)
    except ConferenceError as error:
        return message_page(error.localized(), error.status)
    if data is None:
        return message_page(_("Không có đại biểu nào để in thẻ."), 404)
    return download(data, name, "application/pdf")


@bp.get("/papers")
def papers():
    """Badges to print before the day; the attendance list and the minutes after it."""
    from .conclusion import notice_deadline
    cid = conference_id()
    conference = conference_or_404(cid)
    deadline = notice_deadline(conference.date) if conference.date else None
    return render_template("admin_papers.html", conference=conference, groups=groups(cid),
                           votes=recorded_votes(cid),  # an open vote's named list is downloaded here
                           notice_deadline=deadline)


@bp.get("/badges.pdf")
def badges_pdf():
    """All badges, or one group's (?group=ID)."""
    try:
        group_id = parse_id(request.args.get("group", ""))
    except ConferenceError as error:
        return message_page(_("Thành phần không hợp lệ."), error.status)
    name = f"the-dai-bieu-nhom-{group_id}.pdf" if group_id else "the-dai-bieu.pdf"
    return send_badges(name, group_id=group_id)


@bp.get("/exports/attendance.<any(xlsx, csv):fmt>")
def export_attendance(fmt: str):
    """Every delegate with group, present or absent, time and door."""
    cid = conference_id()
    if fmt == "xlsx":
        return download(attendance.attendance_xlsx(cid), "diem-danh.xlsx", XLSX)
    return download(attendance.attendance_csv(cid), "diem-danh.csv", "text/csv; charset=utf-8")


@bp.get("/exports/minutes.docx")
def export_minutes():
    """The biên bản of the conference as it happened, to edit, sign and file."""
    return download(minutes_docx(conference_id()), "bien-ban-hoi-nghi.docx", DOCX)


@bp.get("/exports/credentials.docx")
def export_credentials():
    """The báo cáo thẩm tra tư cách đại biểu: summoned, present, absent with and without reason, by group."""
    from .credentials import credentials_docx
    return download(credentials_docx(conference_id()), "bao-cao-tham-tra-tu-cach-dai-bieu.docx", DOCX)


@bp.get("/exports/conclusion.docx")
def export_conclusion():
    """The thông báo kết luận pre-filled from the day, for the office to complete and sign."""
    from .conclusion import conclusion_docx
    return download(conclusion_docx(conference_id()), "thong-bao-ket-luan.docx", DOCX)


@bp.get("/votes/<int:vote_id>/counting.docx")
def export_counting(vote_id: int):
    """The biên bản kiểm phiếu of a closed election; another vote is refused with the reason (404, 409)."""
    from .counting import counting_docx
    try:
        data = counting_docx(conference_id(), vote_id)
    except ConferenceError as error:
        return message_page(error.localized(), error.status)
    return download(data, f"bien-ban-kiem-phieu-{vote_id}.docx", DOCX)


@bp.get("/exports/script.docx")
def export_script():
    """The kịch bản chương trình: planned times, presenters and the MC's lời dẫn, to print and approve."""
    from .script import script_docx
    return download(script_docx(conference_id()), "kich-ban-chuong-trinh.docx", DOCX)


@bp.get("/invitations.pdf")
def invitations_pdf():
    """Giấy mời with the badge's QR: all, one group's (?group=ID) or one delegate's (?delegate=ID)."""
    from .invitations import invitations_pdf as make
    try:
        group_id = parse_id(request.args.get("group", ""))
        delegate_id = parse_id(request.args.get("delegate", ""))
        data = make(conference_id(), group_id, delegate_id)
    except ConferenceError as error:
        return message_page(error.localized(), error.status)
    suffix = f"-nhom-{group_id}" if group_id else f"-dai-bieu-{delegate_id}" if delegate_id else ""
    return download(data, f"giay-moi{suffix}.pdf", "application/pdf")


@bp.get("/notes")
def notes():
    """The secretary's notes, one box per agenda item, saved as they are typed."""
    from .notes import MAX_NOTES, agenda_with_notes
    return render_template("admin_notes.html", items=agenda_with_notes(conference_id()), limit=MAX_NOTES,
                           timezone=local_zone().key)  # "saved at" in the venue's time


@bp.post("/notes/<int:item_id>")
def save_notes(item_id: int):
    """One item's notes: JSON from the page's autosave ({"notes": …}), or the form without JavaScript."""
    from .notes import save_notes as save
    from conference.office.frame import done
    payload = request.get_json(silent=True) if request.is_json else request.form
    try:
        save(conference_id(), item_id, (payload or {}).get("notes"))
    except ConferenceError as error:
        if request.is_json:
            return error.to_dict(), error.status
        return message_page(error.localized(), error.status)
    if request.is_json:
        return {"saved": True}
    return done(_("Đã lưu."), "admin.notes")
