"""Office pages, administrators only (a backup holds the accounts): the backups kept, what each
holds, a restore after a confirmation, an uploaded backup, and the undo of the last reset."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from conference.core.errors import ConferenceError
from conference.live.realtime import follow_active_conference
from . import backups, restore
from .frame import bp, done, message_page


def _list(error: str | None = None, status: int = 200):
    try:
        backups.require_sqlite()
    except ConferenceError as refused:
        return message_page(refused.localized(), refused.status)
    kept = restore.kept_backups()
    return render_template("admin_backups.html", kept=kept, undo=restore.latest_before_reset(),
                           error=error), status


def _confirm(name: str, error: str | None = None, status: int = 200):
    try:
        summary = restore.describe_backup(restore.kept_backup(name))
    except ConferenceError as refused:
        return _list(refused.localized(), refused.status)
    return render_template("admin_backup_restore.html", backup=summary,
                           undo=summary.reason == "before-reset", error=error), status


@bp.get("/backups")
def backups_list():
    return _list()


@bp.get("/backups/<name>/restore")
def backups_confirm(name: str):
    return _confirm(name)


@bp.post("/backups/<name>/restore")
def backups_restore(name: str):
    """Only with the confirmation ticked; forced while the show runs only when "force" is."""
    if request.form.get("confirm") != "1":
        return _confirm(name, _("Hãy đánh dấu ô xác nhận để khôi phục."), 400)
    try:
        restore.restore(restore.kept_backup(name), force=request.form.get("force") == "1")
    except ConferenceError as error:
        return _confirm(name, error.localized(), error.status)
    follow_active_conference()  # screens of another conference than the restored active one move now
    return done(_("Đã khôi phục từ “%(name)s” (trạng thái trước đó đã được sao lưu). "
                  "Mọi màn hình đã chuyển sang trạng thái khôi phục.", name=name), "admin.backups_list")


@bp.post("/backups/upload")
def backups_upload():
    """An uploaded backup, checked, then kept beside the others and offered for confirmation.
    Its size is bounded before it is read (MAX_CONTENT_LENGTH); a refused file is not kept."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _list(_("Hãy chọn một tệp sao lưu (.db)."), 400)
    try:
        kept = restore.keep_upload(upload.save)
    except ConferenceError as error:
        return _list(error.localized(), error.status)
    return done(_("Tệp đã được kiểm tra: xem nội dung rồi xác nhận khôi phục."), "admin.backups_confirm",
                name=kept.name)

