"""Office pages: delegates (list, add, edit, reissue a badge, remove, print one badge) and the import.

The import is in two steps, as an office works: upload → a preview of every row (or every error,
each with its row number) → confirm. The file waits in the instance folder between the two, tied
to this browser's session, and the import itself is all-or-nothing.
"""
from __future__ import annotations

import secrets
import time
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.exceptions import RequestEntityTooLarge

from ..auth import current_principal
from ..db import db, is_id
from ..errors import ConferenceError
from ..models import Delegate, DelegateGroup, Role
from ..services import importer, setup_data
from ..services.roster import reissue_badge, search_delegates
from ..services.setup_data import DIGITS
from ..textnorm import name_sort_key
from .admin import bp, conference_id, done, message_page, not_found_page
from .admin_papers import send_badges

PENDING_DIR = "pending-imports"
PENDING_MAX_AGE = 24 * 3600
IMPORT_SUFFIXES = (".xlsx", ".csv")


def _groups() -> list[DelegateGroup]:
    return list(db.session.scalars(sa.select(DelegateGroup).where(DelegateGroup.conference_id == conference_id())
                                   .order_by(DelegateGroup.position)))


def _listed(query: str, group_id: str) -> list[Delegate]:
    found = search_delegates(conference_id(), query[:100])
    if group_id == "none":
        found = [d for d in found if d.group_id is None]
    elif DIGITS.fullmatch(group_id):
        found = [d for d in found if d.group_id == int(group_id)]
    return sorted(found, key=lambda d: (d.group.position if d.group else 10**6, name_sort_key(d.full_name)))


def delegates_page(error: str | None = None, status: int = 200):
    query, group_id = request.args.get("q", ""), request.args.get("group", "")
    delegates = _listed(query, group_id)
    total = db.session.scalar(sa.select(sa.func.count(Delegate.id)).where(Delegate.conference_id == conference_id()))
    return render_template("admin_delegates.html", delegates=delegates, groups=_groups(), query=query,
                           group_id=group_id, print_group=group_id if DIGITS.fullmatch(group_id) else None,
                           total=total, error=error), status


@bp.get("/delegates")
def delegates():
    """Every delegate, by group then in Vietnamese name order; search ignores diacritics."""
    return delegates_page()


def delegate_page(delegate: Delegate | None, error: str | None = None, values=None, status: int = 200):
    if values is None:
        values = {"full_name": delegate.full_name, "position": delegate.position or "",
                  "unit": delegate.unit or "", "seat": delegate.seat or "",
                  "group_id": str(delegate.group_id or "")} if delegate else {}
    return render_template("admin_delegate.html", delegate=delegate, groups=_groups(), values=values,
                           error=error, reissued=request.args.get("reissued") == "1"), status


def _own_delegate(delegate_id: int) -> Delegate | None:
    delegate = db.session.get(Delegate, delegate_id) if is_id(delegate_id) else None
    return delegate if delegate is not None and delegate.conference_id == conference_id() else None


@bp.get("/delegates/new")
def new_delegate():
    """The form for one more delegate."""
    return delegate_page(None)


@bp.post("/delegates/new")
def create_delegate():
    form = request.form
    try:
        delegate = setup_data.create_delegate(conference_id(), form.get("full_name"), form.get("position"),
                                              form.get("unit"), form.get("group_id"), form.get("seat"))
    except ConferenceError as error:
        return delegate_page(None, error.message, form, error.status)
    return done(_("Đã thêm đại biểu “%(name)s”.", name=delegate.full_name), "admin.delegate",
                delegate_id=delegate.id)


@bp.get("/delegates/<int:delegate_id>")
def delegate(delegate_id: int):
    """One delegate: edit, print the badge, reissue it, or remove the delegate."""
    found = _own_delegate(delegate_id)
    return delegate_page(found) if found else not_found_page(_("Không tìm thấy đại biểu."))


@bp.post("/delegates/<int:delegate_id>")
def save_delegate(delegate_id: int):
    found = _own_delegate(delegate_id)
    if found is None:
        return not_found_page(_("Không tìm thấy đại biểu."))
    form = request.form
    try:
        setup_data.update_delegate(conference_id(), delegate_id, form.get("full_name"), form.get("position"),
                                   form.get("unit"), form.get("group_id"), form.get("seat"))
    except ConferenceError as error:
        db.session.rollback()
        return delegate_page(_own_delegate(delegate_id), error.message, form, error.status)
    return done(_("Đã lưu."), "admin.delegate", delegate_id=delegate_id)


@bp.post("/delegates/<int:delegate_id>/reissue")
def reissue(delegate_id: int):
    """A lost badge: a new code; the old badge is refused at the door from now on."""
    try:
        reissue_badge(conference_id(), delegate_id)
    except ConferenceError as error:
        return message_page(error.message, error.status)
    return done(_("Đã cấp thẻ mới; thẻ cũ không còn dùng được. Hãy in lại thẻ."), "admin.delegate",
                delegate_id=delegate_id, reissued=1)


@bp.post("/delegates/<int:delegate_id>/delete")
def delete_delegate(delegate_id: int):
    """Remove a delegate, their badges and their check-in."""
    try:
        name = setup_data.remove_delegate(conference_id(), delegate_id)
    except ConferenceError as error:
        return message_page(error.message, error.status)
    return done(_("Đã xóa đại biểu “%(name)s”.", name=name), "admin.delegates")


@bp.get("/delegates/<int:delegate_id>/badge.pdf")
def delegate_badge(delegate_id: int):
    """One delegate's badge, e.g. to reprint after a reissue."""
    found = _own_delegate(delegate_id)
    if found is None:
        return not_found_page(_("Không tìm thấy đại biểu."))
    return send_badges(conference_id(), f"the-{found.badge_code}.pdf", delegate_ids=[delegate_id])


# --- import -----------------------------------------------------------------------------------

def _pending_dir() -> Path:
    folder = Path(current_app.config["INSTANCE_PATH"]) / PENDING_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_old_uploads() -> None:
    cutoff = time.time() - PENDING_MAX_AGE
    for path in _pending_dir().glob("*"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _pending() -> tuple[Path, str] | None:
    """The file this session uploaded for preview, if it is still there."""
    kept = session.get("import")
    if not isinstance(kept, dict) or not str(kept.get("token", "")).isalnum():
        return None
    suffix = kept.get("suffix")
    path = _pending_dir() / f"{kept['token']}{suffix}"
    if suffix not in IMPORT_SUFFIXES or not path.is_file():
        return None
    return path, kept.get("filename") or path.name


def import_page(error: str | None = None, preview=None, filename: str | None = None, status: int = 200):
    return render_template("admin_import.html", error=error, preview=preview, filename=filename,
                           headers=importer.HEADERS, groups=_groups(),
                           max_mb=current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)), status


@bp.get("/import")
def import_form():
    """Upload a delegate list (.xlsx or .csv)."""
    return import_page()


@bp.post("/import")
def import_preview():
    """Read every row and show what would be imported, or every bad row and why; nothing is written."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return import_page(_("Hãy chọn một tệp .xlsx hoặc .csv."), status=400)
    filename = upload.filename
    suffix = Path(filename).suffix.lower()
    if suffix not in IMPORT_SUFFIXES:
        return import_page(_("Chỉ nhận tệp .xlsx hoặc .csv."), filename=filename, status=400)
    content = upload.read()
    try:
        preview = importer.parse_rows(conference_id(), filename, content)
    except ConferenceError as error:
        return import_page(error.message, filename=filename, status=error.status)
    if preview.errors:
        session.pop("import", None)
        return import_page(preview=preview, filename=filename, status=422)
    _forget_old_uploads()
    token = secrets.token_hex(16)
    (_pending_dir() / f"{token}{suffix}").write_bytes(content)
    session["import"] = {"token": token, "suffix": suffix, "filename": filename[:200]}
    return import_page(preview=preview, filename=filename)


@bp.post("/import/confirm")
def import_confirm():
    """Import the previewed file: every row, or none if anything became wrong meanwhile."""
    pending = _pending()
    if pending is None or request.form.get("token") != session["import"].get("token"):
        return import_page(_("Tệp xem trước không còn nữa; hãy tải tệp lên lại."), status=409)
    path, filename = pending
    try:
        added = importer.import_delegates(conference_id(), filename, path.read_bytes())
    except importer.ImportFailed as failure:
        preview = importer.ImportResult(errors=failure.errors)
        return import_page(preview=preview, filename=filename, status=422)
    except ConferenceError as error:
        return import_page(error.message, filename=filename, status=error.status)
    path.unlink(missing_ok=True)
    session.pop("import", None)
    return done(ngettext("Đã nhập %(num)d đại biểu từ “%(file)s”.", "Đã nhập %(num)d đại biểu từ “%(file)s”.", added,
                         file=filename), "admin.delegates")


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error):
    """An oversized upload gets the import page with the limit, not a bare error page."""
    message = _("Tệp quá lớn (tối đa %(mb)d MB).", mb=current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024))
    principal = current_principal()
    if principal is None or principal.role != Role.ADMIN:
        return message, 413
    if request.path.startswith(url_for("admin.import_form")):
        return import_page(message, status=413)
    return message_page(message, 413)
