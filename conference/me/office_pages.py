"""Office pages of the delegates' page: the conference's documents (upload, visibility, remove,
read), the venue's address (which the phone QR on badges and invitations carries), the poster
with the /me QR, and releasing a delegate's page from a phone (a lost or changed phone).

An upload is bounded before it is read whole (the request's own limit, then documents.read_bounded),
checked for what it is (core/pdfs.py), and a refused one changes nothing.
"""
from __future__ import annotations

from flask import render_template, request, send_file
from flask_babel import gettext as _

from conference.accounts.guards import current_principal
from conference.core.errors import ConferenceError
from conference.live import realtime
from conference.office.frame import bp, conference_id, done, message_page
from conference.show.agenda import items
from conference.papers import poster
from conference.speakers import queue as speakers
from . import documents, phones, venue


def documents_page(error: str | None = None, values=None, status: int = 200):
    cid = conference_id()
    address = venue.venue_address(cid)
    return render_template("admin_documents.html", documents=documents.office_documents(cid), items=items(cid),
                           address=address, values=values or {}, error=error,
                           speakers_open=speakers.requests_open(cid),
                           max_mb=max(documents.size_limit() // (1024 * 1024), 1)), status


@bp.get("/documents")
def documents_list():
    """The conference's documents and the delegates' page's settings."""
    return documents_page()


@bp.post("/documents")
def documents_upload():
    """Add a PDF; anything else, a broken or scripted PDF or one over the limit is refused."""
    form, upload = request.form, request.files.get("file")
    if upload is None or not upload.filename:
        return documents_page(_("Hãy chọn một tệp PDF."), form, 400)
    try:
        content = documents.read_bounded(upload.stream, request.content_length)
        document = documents.add_document(conference_id(), form.get("title"), content, form.get("item"),
                                          form.get("visibility"))
    except ConferenceError as error:
        return documents_page(error.localized(), form, error.status)
    return done(_("Đã thêm tài liệu “%(title)s”.", title=document.title), "admin.documents_list")


@bp.post("/documents/<int:document_id>/visibility")
def documents_visibility(document_id: int):
    try:
        document = documents.set_visibility(conference_id(), document_id, request.form.get("visibility"))
    except ConferenceError as error:
        return documents_page(error.localized(), status=error.status)
    return done(_("Đã lưu cách hiển thị của “%(title)s”.", title=document.title), "admin.documents_list")


@bp.post("/documents/<int:document_id>/delete")
def documents_delete(document_id: int):
    try:
        title = documents.remove_document(conference_id(), document_id)
    except ConferenceError as error:
        return message_page(error.localized(), error.status)
    return done(_("Đã xóa tài liệu “%(title)s”.", title=title), "admin.documents_list")


@bp.get("/documents/<int:document_id>.pdf")
def documents_file(document_id: int):
    """The office reads a document, whatever its visibility."""
    try:
        found = documents.office_document(conference_id(), document_id)
    except ConferenceError as error:
        return message_page(error.localized(), error.status)
    response = send_file(documents.path_of(found), mimetype="application/pdf", download_name=f"tai-lieu-{found.id}.pdf")
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@bp.post("/documents/venue-address")
def documents_venue_address():
    """Set the venue's address: from now on badges and invitations carry the phone QR."""
    try:
        address = venue.set_venue_address(conference_id(), request.form.get("address"))
    except ConferenceError as error:
        return documents_page(error.localized(), status=error.status)
    message = (_("Đã lưu địa chỉ hội trường: %(address)s", address=address) if address
               else _("Đã xóa địa chỉ hội trường; thẻ và giấy mời không in mã QR cho điện thoại."))
    return done(message, "admin.documents_list")


@bp.get("/documents/poster.pdf")
def documents_poster():
    """A printable A4 poster: the /me QR and how to open one's page."""
    address = venue.venue_address(conference_id()) or request.host_url.rstrip("/")
    data = poster.poster_pdf(conference_id(), venue.page_address(address))
    return send_file(data, mimetype="application/pdf", as_attachment=True, download_name="trang-dai-bieu.pdf")


@bp.post("/delegates/<int:delegate_id>/release-phone")
def release_phone(delegate_id: int):
    """Free a delegate's page for another phone (two taps: this button, then its confirmation)."""
    try:
        released = phones.release_phone(conference_id(), delegate_id, current_principal().label)
    except ConferenceError as error:
        return message_page(error.localized(), error.status)
    realtime.disconnect_phone(released.id)
    return done(_("Đã giải phóng trang của “%(name)s”: điện thoại mới có thể mở bằng mã thẻ.",
                  name=released.delegate.full_name), "admin.delegate", delegate_id=released.delegate_id)
