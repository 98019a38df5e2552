"""Office pages: delegates (list, add, edit, reissue a badge, remove, print one badge) and the import.

The import is in two steps, as an office works: upload → a preview of every row (or every error,
each with its row number) → confirm. The file waits in the instance folder between the two, tied
to this browser's session (checkin/importer.py keeps it), and the import itself is all-or-nothing.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app, g, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.exceptions import RequestEntityTooLarge

from conference.accounts.guards import current_principal
from conference.core.errors import ConferenceError, NotFound
from conference.core.textnorm import fold
from conference.core.models import Role
from conference.me import phones
from conference.office import details
from conference.office.details import DIGITS
from conference.office.frame import bp, conference_id, done, message_page, not_found_page
from conference.papers.pages import send_badges
from . import importer, quorum, roster

if TYPE_CHECKING:
    from conference.core.models import Delegate


def delegates_page(error: str | None = None, status: int = 200):
    cid, query, group = conference_id(), request.args.get("q", ""), request.args.get("group", "")
    group_id = int(group) if DIGITS.fullmatch(group) else None
    delegates = roster.office_list(cid, query[:100], group_id, ungrouped=group == "none")
    return render_template("admin_delegates.html", delegates=delegates, groups=roster.groups(cid), query=query,
                           group_id=group, print_group=group if group_id is not None else None,
                           total=roster.count_delegates(cid), error=error), status


@bp.get("/delegates")
def delegates():
    """Every delegate, by group then in Vietnamese name order; search ignores diacritics."""
    return delegates_page()


def delegate_page(delegate: Delegate | None, error: str | None = None, values=None, status: int = 200):
    if values is None:
        values = {"full_name": delegate.full_name, "position": delegate.position or "",
                  "unit": delegate.unit or "", "seat": delegate.seat or "", "honorific": fold(delegate.honorific),
                  "group_id": str(delegate.group_id or "")} if delegate else {}
    # Stored in Vietnamese, shown translated; the form sends the folded word, which validate_honorific reads.
    honorifics = [(fold(choice), _(choice)) for choice in roster.HONORIFICS]
    return render_template("admin_delegate.html", delegate=delegate, groups=roster.groups(conference_id()),
                           honorifics=honorifics, reasons=quorum.REASONS,
                           values=values, error=error, reissued=request.args.get("reissued") == "1",
                           phone=phones.phone_of(delegate.id) if delegate else None), status


def _own_delegate(delegate_id: int) -> Delegate | None:
    try:
        return roster.get_delegate(conference_id(), delegate_id)
    except NotFound:
        return None


@bp.get("/delegates/new")
def new_delegate():
    """The form for one more delegate."""
    return delegate_page(None)


@bp.post("/delegates/new")
def create_delegate():
    form = request.form
    try:
        delegate = details.create_delegate(conference_id(), form.get("full_name"), form.get("position"),
                                              form.get("unit"), form.get("group_id"), form.get("seat"),
                                              form.get("honorific"))
    except ConferenceError as error:
        return delegate_page(None, error.localized(), form, error.status)
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
        details.update_delegate(conference_id(), delegate_id, form.get("full_name"), form.get("position"),
                                   form.get("unit"), form.get("group_id"), form.get("seat"),
                                   form.get("honorific"))
    except ConferenceError as error:
        return delegate_page(_own_delegate(delegate_id), error.localized(), form, error.status)
    return done(_("Đã lưu."), "admin.delegate", delegate_id=delegate_id)


@bp.post("/delegates/<int:delegate_id>/absence")
def save_absence(delegate_id: int):
    """Why the delegate is absent: có lý do / không lý do and a note, or nothing known."""
    try:
        quorum.set_absence(conference_id(), delegate_id, request.form.get("reason"), request.form.get("note"))
    except ConferenceError as error:
        found = _own_delegate(delegate_id)
        return delegate_page(found, error.localized(), status=error.status) if found else \
            not_found_page(error.localized())
    return done(_("Đã lưu lý do vắng mặt."), "admin.delegate", delegate_id=delegate_id)


@bp.post("/delegates/<int:delegate_id>/reissue")
def reissue(delegate_id: int):
    """A lost badge: a new code; the old badge is refused at the door from now on."""
    try:
        roster.reissue_badge(conference_id(), delegate_id)
    except ConferenceError as error:
        return message_page(error.localized(), error.status)
    return done(_("Đã cấp thẻ mới; thẻ cũ không còn dùng được. Hãy in lại thẻ."), "admin.delegate",
                delegate_id=delegate_id, reissued=1)


@bp.post("/delegates/<int:delegate_id>/delete")
def delete_delegate(delegate_id: int):
    """Remove a delegate, their badges and their check-in."""
    try:
        name = details.remove_delegate(conference_id(), delegate_id)
    except ConferenceError as error:
        return message_page(error.localized(), error.status)
    return done(_("Đã xóa đại biểu “%(name)s”.", name=name), "admin.delegates")


@bp.get("/delegates/<int:delegate_id>/badge.pdf")
def delegate_badge(delegate_id: int):
    """One delegate's badge, e.g. to reprint after a reissue."""
    found = _own_delegate(delegate_id)
    if found is None:
        return not_found_page(_("Không tìm thấy đại biểu."))
    return send_badges(f"the-{found.badge_code}.pdf", delegate_ids=[delegate_id])


# --- import -----------------------------------------------------------------------------------

def import_page(error: str | None = None, preview=None, filename: str | None = None, status: int = 200):
    return render_template("admin_import.html", error=error, preview=preview, filename=filename,
                           headers=importer.HEADERS, groups=roster.groups(conference_id()),
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
    if Path(filename).suffix.lower() not in importer.SUFFIXES:
        return import_page(_("Chỉ nhận tệp .xlsx hoặc .csv."), filename=filename, status=400)
    content = upload.read()
    try:
        preview = importer.parse_rows(conference_id(), filename, content)
    except ConferenceError as error:
        return import_page(error.localized(), filename=filename, status=error.status)
    if preview.errors:
        session.pop("import", None)
        return import_page(preview=preview, filename=filename, status=422)
    # The ticket names its conference: a preview made for one conference is never confirmed into
    # another, even from a tab that works on that other one.
    session["import"] = {**importer.keep_upload(filename, content), "conference": conference_id()}
    return import_page(preview=preview, filename=filename)


@bp.post("/import/confirm")
def import_confirm():
    """Import the previewed file: every row, or none if anything became wrong meanwhile."""
    ticket = session.get("import")
    kept = importer.kept_upload(ticket)
    if kept is None or request.form.get("token") != ticket.get("token") or ticket.get("conference") != conference_id():
        return import_page(_("Tệp xem trước không còn nữa; hãy tải tệp lên lại."), status=409)
    filename, content = kept
    try:
        added = importer.import_delegates(conference_id(), filename, content)
    except importer.ImportFailed as failure:
        preview = importer.ImportResult(errors=failure.errors)
        return import_page(preview=preview, filename=filename, status=422)
    except ConferenceError as error:
        return import_page(error.localized(), filename=filename, status=error.status)
    importer.forget_upload(ticket)
    session.pop("import", None)
    return done(ngettext("Đã nhập %(num)d đại biểu từ “%(file)s”.", "Đã nhập %(num)d đại biểu từ “%(file)s”.", added,
                         file=filename), "admin.delegates")


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error):
    """An oversized upload gets the page of its form with the limit, not a bare error page. The
    limit is the request's own: a form that allows more (the stage's sounds and slides) set it,
    and may have named its own page for the refusal (g.too_large_page)."""
    own_page = g.pop("too_large_page", None)
    message = _("Tệp quá lớn (tối đa %(mb)d MB).", mb=request.max_content_length // (1024 * 1024))
    principal = current_principal()
    if principal is None or principal.role != Role.ADMIN:
        return message, 413
    if own_page is not None:
        return own_page()
    if request.path.startswith(url_for("admin.import_form")):
        return import_page(message, status=413)
    return message_page(message, 413)
