"""What a person reads when the request itself is refused before any service runs: a wrong
address, a method the address does not take, a form without its CSRF token, too many sign-ins;
and when the storage, not the request, is at fault (busy, full, or out of reach).
Werkzeug's and the extensions' own texts are English only; these are msgids, so the answer is in
the request's language like every other refusal (the API's JSON, or a short page of its own)."""
from __future__ import annotations

from flask import jsonify, render_template
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from conference.core.errors import N_

MESSAGES = {
    400: N_("Yêu cầu không hợp lệ."),
    401: N_("Cần đăng nhập."),
    403: N_("Không được phép làm việc này."),
    404: N_("Không có trang hoặc địa chỉ này."),
    405: N_("Địa chỉ này không nhận cách gửi này."),
    408: N_("Yêu cầu gửi quá chậm nên đã bị dừng; hãy gửi lại."),
    413: N_("Nội dung gửi lên lớn quá."),
    415: N_("Kiểu nội dung gửi lên không được nhận."),
    429: N_("Thử quá nhiều lần; hãy chờ một lát rồi thử lại."),
}
CSRF_MESSAGE = N_("Trang này đã cũ hoặc thiếu mã bảo vệ (CSRF): hãy tải lại trang rồi gửi lại.")


def http_message(error: HTTPException) -> str:
    """The message for ERROR in the request's language. A description the application wrote itself
    (a msgid, or already in the reader's language) is kept; Werkzeug's default one is replaced."""
    if isinstance(error, CSRFError):
        return gettext(CSRF_MESSAGE)
    # Flask-Limiter's description is the limit itself ("10 per 1 minute"): not for the person waiting
    own = error.description and error.description != type(error).description and error.code != 429
    if own or error.code not in MESSAGES:
        return gettext(error.description) if error.description else error.name
    return gettext(MESSAGES[error.code])


def answer(error: HTTPException, as_json: bool):
    """The refusal as the API's JSON or as a page, with the error's own headers (Retry-After...)."""
    message = http_message(error)
    headers = [(key, value) for key, value in error.get_headers() if key.lower() != "content-type"]
    if as_json:
        code = (error.name or "error").lower().replace(" ", "_")
        return jsonify({"error": {"code": code, "message": message}}), error.code, headers
    return render_template("http_error.html", status=error.code, message=message), error.code, headers


def storage_answer(trouble: tuple[str, str, int], as_json: bool):
    """503 with Retry-After for a storage at fault, (code, msgid, seconds to wait) as the app
    factory tells it (conference/factory.py storage_trouble), as the API's JSON or as a page."""
    code, msgid, retry_after = trouble
    message, headers = gettext(msgid), {"Retry-After": str(retry_after)}
    if as_json:
        return jsonify({"error": {"code": code, "message": message}}), 503, headers
    return render_template("http_error.html", status=503, message=message), 503, headers
