"""Office pages: the papers. Badges to print (all, a group, one delegate), the attendance list, the minutes."""
from __future__ import annotations

import io
import tempfile
from pathlib import Path

import sqlalchemy as sa
from flask import render_template, request, send_file
from flask_babel import gettext as _

from ..db import db, is_id
from ..models import DelegateGroup
from ..services import reports
from ..services.badges import badge_texts, write_pdf
from ..services.reports_minutes import minutes_docx
from ..errors import ConferenceError
from ..services.setup_data import conference_or_404, parse_id
from .admin import bp, conference_id, message_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download(data: bytes, name: str, mimetype: str):
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "no-store"  # always the current state, never a cached copy
    return response


def send_badges(conference: int, name: str, delegate_ids=None, group_id: int | None = None):
    """The badges as A4 sheets (PDF), or a page that says there is nothing to print."""
    badges = badge_texts(conference, delegate_ids=delegate_ids, group_id=group_id)
    if not badges:
        return message_page(_("Không có đại biểu nào để in thẻ."), 404)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "badges.pdf"
        write_pdf(path, badges)
        data = path.read_bytes()
    return _download(data, name, "application/pdf")


@bp.get("/papers")
def papers():
    """Badges to print before the day; the attendance list and the minutes after it."""
    cid = conference_id()
    groups = db.session.scalars(sa.select(DelegateGroup).where(DelegateGroup.conference_id == cid)
                                .order_by(DelegateGroup.position)).all()
    return render_template("admin_papers.html", conference=conference_or_404(cid), groups=groups)


@bp.get("/badges.pdf")
def badges_pdf():
    """All badges, or one group's (?group=ID)."""
    try:
        group_id = parse_id(request.args.get("group", ""))
    except ConferenceError as error:
        return message_page(_("Thành phần không hợp lệ."), error.status)
    if group_id is not None:
        found = db.session.get(DelegateGroup, group_id) if is_id(group_id) else None
        if found is None or found.conference_id != conference_id():
            return message_page(_("Không tìm thấy thành phần đại biểu."), 404)
    name = f"the-dai-bieu-nhom-{group_id}.pdf" if group_id else "the-dai-bieu.pdf"
    return send_badges(conference_id(), name, group_id=group_id)


@bp.get("/exports/attendance.<any(xlsx, csv):fmt>")
def export_attendance(fmt: str):
    """Every delegate with group, present or absent, time and door."""
    cid = conference_id()
    if fmt == "xlsx":
        return _download(reports.attendance_xlsx(cid), "diem-danh.xlsx", XLSX)
    return _download(reports.attendance_csv(cid), "diem-danh.csv", "text/csv; charset=utf-8")


@bp.get("/exports/minutes.docx")
def export_minutes():
    """The biên bản of the conference as it happened, to edit, sign and file."""
    return _download(minutes_docx(conference_id()), "bien-ban-hoi-nghi.docx", DOCX)


@bp.get("/exports/script.docx")
def export_script():
    """The kịch bản chương trình: planned times, presenters and the MC's lời dẫn, to print and approve."""
    from ..services.program_script import script_docx
    return _download(script_docx(conference_id()), "kich-ban-chuong-trinh.docx", DOCX)


@bp.get("/invitations.pdf")
def invitations_pdf():
    """Giấy mời with the badge's QR: all, one group's (?group=ID) or one delegate's (?delegate=ID)."""
    from ..services.invitations import invitations_pdf as make
    try:
        group_id = parse_id(request.args.get("group", ""))
        delegate_id = parse_id(request.args.get("delegate", ""))
        data = make(conference_id(), group_id, delegate_id)
    except ConferenceError as error:
        return message_page(error.message, error.status)
    suffix = f"-nhom-{group_id}" if group_id else f"-dai-bieu-{delegate_id}" if delegate_id else ""
    return _download(data, f"giay-moi{suffix}.pdf", "application/pdf")


@bp.get("/notes")
def notes():
    """The secretary's notes, one box per agenda item, saved as they are typed."""
    from ..services.secretary_notes import MAX_NOTES, agenda_with_notes
    return render_template("admin_notes.html", items=agenda_with_notes(conference_id()), limit=MAX_NOTES)


@bp.post("/notes/<int:item_id>")
def save_notes(item_id: int):
    """One item's notes: JSON from the page's autosave ({"notes": …}), or the form without JavaScript."""
    from ..services.secretary_notes import save_notes as save
    from .admin import done
    payload = request.get_json(silent=True) if request.is_json else request.form
    try:
        save(conference_id(), item_id, (payload or {}).get("notes"))
    except ConferenceError as error:
        if request.is_json:
            return error.to_dict(), error.status
        return message_page(error.message, error.status)
    if request.is_json:
        return {"saved": True}
    return done(_("Đã lưu."), "admin.notes")
