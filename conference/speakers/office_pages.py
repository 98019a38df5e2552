"""The office's switch for the speaking requests, on the delegates' page's settings (/admin/documents)."""
from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from conference.core.errors import ConferenceError
from conference.office.frame import bp, conference_id, done, message_page
from . import queue


@bp.post("/speakers/requests")
def speakers_requests():
    """{"open": "1" | "0"}: the delegates may ask to speak from their page, or not."""
    value = {"1": True, "0": False}.get(request.form.get("open", ""), request.form.get("open"))
    try:
        opened = queue.set_requests_open(conference_id(), value)
    except ConferenceError as error:
        return message_page(error.localized(), error.status)
    return done(_("Đã bật đăng ký phát biểu trên trang đại biểu.") if opened
                else _("Đã tắt đăng ký phát biểu trên trang đại biểu."), "admin.documents_list")
