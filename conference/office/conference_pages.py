"""Office pages: the conferences of the install. Create one (empty, from a template, a copy),
choose the active one, reset the day after a rehearsal, back up, and the papers of past ones."""
from __future__ import annotations

from flask import render_template, request, send_file
from flask_babel import gettext as _

from conference.core.errors import ConferenceError
from conference.live.realtime import follow_active_conference
from conference.papers import attendance
from conference.papers.minutes import minutes_docx
from conference.papers.pages import DOCX, XLSX, download
from . import backups, lifecycle
from .details import parse_id
from .frame import bp, done


@bp.app_context_processor
def first_start():
    """admin.html offers the office its own conference while the demo is the only one."""
    return {"only_the_demo": lifecycle.only_the_demo}


def _page(error: str | None = None, status: int = 200):
    return render_template("admin_conferences.html", conferences=lifecycle.conferences(),
                           templates=lifecycle.template_names(), latest=backups.latest_backup()
                           if backups.db_is_sqlite() else None, disk_low=backups.disk_low(), error=error), status


@bp.get("/conferences")
def conferences():
    return _page()


@bp.post("/conferences")
def create_conference():
    source = request.form.get("source", "")
    template = source.removeprefix("template:") if source.startswith("template:") else None
    try:
        copy_from = parse_id(source.removeprefix("copy:")) if source.startswith("copy:") else None
        lifecycle.create_conference(request.form.get("title"), template=template, copy_from=copy_from)
    except ConferenceError as error:
        return _page(error.localized(), error.status)
    return done(_("Đã tạo hội nghị. Chọn “Đưa vào hoạt động” khi sẵn sàng."), "admin.conferences")


@bp.post("/conferences/<int:conference_id>/activate")
def activate(conference_id: int):
    """A deliberate act: the box saying what every screen will do must be ticked."""
    if request.form.get("confirm") != "1":
        return _page(_("Hãy đánh dấu ô xác nhận để đưa hội nghị này vào hoạt động."), 400)
    try:
        lifecycle.activate(conference_id, force=request.form.get("force") == "1")
    except ConferenceError as error:
        return _page(error.localized(), error.status)
    follow_active_conference()  # every screen of this process switches now
    return done(_("Hội nghị này đang hoạt động: mọi màn hình và thiết bị đã chuyển sang."), "admin.conferences")


@bp.post("/reset-day")
def reset_day():
    """After the tổng duyệt: the confirmation box must be ticked; a backup is taken first."""
    if request.form.get("confirm") != "1":
        return _page(_("Hãy đánh dấu ô xác nhận để đặt lại ngày hội nghị."), 400)
    try:
        cid = lifecycle.existing(parse_id(request.form.get("conference_id", "")))
        lifecycle.reset_day(cid, force=request.form.get("force") == "1", backup=_backup_if_possible)
    except ConferenceError as error:
        return _page(error.localized(), error.status)
    return done(_("Đã đặt lại ngày hội nghị (đã sao lưu trước)."), "admin.conferences")


def _backup_if_possible() -> None:
    if backups.db_is_sqlite():
        backups.backup_now("before-reset")


@bp.post("/backups")
def backup_now():
    try:
        backups.backup_now("manual")
    except ConferenceError as error:
        return _page(error.localized(), error.status)
    return done(_("Đã sao lưu."), "admin.conferences")


@bp.get("/backups/latest.db")
def latest_backup():
    latest = backups.latest_backup() if backups.db_is_sqlite() else None
    if latest is None:
        return _page(_("Chưa có bản sao lưu nào."), 404)
    response = send_file(latest, mimetype="application/vnd.sqlite3", as_attachment=True, download_name=latest.name)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/conferences/<int:conference_id>/attendance.xlsx")
def past_attendance(conference_id: int):
    try:
        cid = lifecycle.existing(conference_id)
    except ConferenceError as error:
        return _page(error.localized(), error.status)
    return download(attendance.attendance_xlsx(cid), f"diem-danh-{cid}.xlsx", XLSX)


@bp.get("/conferences/<int:conference_id>/minutes.docx")
def past_minutes(conference_id: int):
    try:
        cid = lifecycle.existing(conference_id)
    except ConferenceError as error:
        return _page(error.localized(), error.status)
    return download(minutes_docx(cid), f"bien-ban-{cid}.docx", DOCX)
