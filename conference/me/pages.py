"""The delegate's own page, on their phone: /me (the code form, or their page once this phone
holds it), /me/<code> (what the phone QR on the badge opens), the documents' viewer and files,
and the QR of /me for the projector's standby screen and the poster.

No office sign-in: the phone's cookie holds the id of its DelegatePhone (phones.py). Every route
is rate-limited per address. The code is never left in the address bar: /me/<code> answers with a
redirect to /me once the phone holds the page, so the page itself never shows a code.
"""
from __future__ import annotations

from flask import Blueprint, Response, current_app, redirect, render_template, request, send_file, session, url_for
from flask_babel import gettext

from conference.core.errors import ConferenceError, NotFound
from conference.core.extensions import limiter
from conference.core.state import default_conference_id
from conference.seating.hall import seat_label, seat_map
from conference.speakers import queue as speakers
from . import documents, phones, venue
from .programme import documents_view, my_awards

bp = Blueprint("me", __name__)
per_address = limiter.shared_limit(lambda: current_app.config["ME_LIMIT_PER_ADDRESS"], scope="me")


def _held():
    return phones.phone(session.get(phones.COOKIE_KEY))


def _code_page(error: str | None = None, status: int = 200):
    return render_template("me_code.html", error=error), status


@bp.get("/me")
@per_address
def page():
    """This phone's delegate page, or the form for the code printed under the badge's QR."""
    held = _held()
    if held is None:
        return _code_page()
    delegate = held.delegate
    return render_template("me.html", delegate=delegate, awards=my_awards(delegate.id),
                           documents=documents_view(held.conference_id),
                           seat=seat_label(delegate.seat, gettext), seat_map=seat_map(held.conference_id, delegate.seat),
                           speak=speakers.my_request(delegate.id), speak_open=speakers.requests_open(held.conference_id))


def _open(code: object):
    try:
        _delegate, opaque = phones.open_on_phone(code, session.get(phones.COOKIE_KEY), request.user_agent.string)
    except phones.PhoneTaken as taken:
        return render_template("me_refused.html", message=taken.localized()), taken.status
    except ConferenceError as error:
        return _code_page(error.localized(), error.status)
    session[phones.COOKIE_KEY] = opaque
    session.permanent = True
    return redirect(url_for("me.page"), 303)


@bp.post("/me")
@per_address
def enter_code():
    """The code typed by hand (the poster's and the standby screen's QR lead here)."""
    return _open(request.form.get("code"))


@bp.get("/me/<code>")
@per_address
def open_page(code: str):
    """The phone QR of a badge or an invitation: this phone becomes that delegate's."""
    return _open(code)


def _document(document_id: int):
    held = _held()
    if held is None:
        return None, redirect(url_for("me.page"))
    try:
        return documents.delegate_document(held.conference_id, document_id), None
    except NotFound as error:
        return None, (render_template("me_message.html", message=error.localized()), 404)


@bp.get("/me/documents/<int:document_id>")
@per_address
def document_view(document_id: int):
    """A document in the page's own viewer (most Android browsers only download a PDF)."""
    found, refused = _document(document_id)
    if refused is not None:
        return refused
    return render_template("me_document.html", document=found)


@bp.get("/me/documents/<int:document_id>.pdf")
@per_address
def document_file(document_id: int):
    found, refused = _document(document_id)
    if refused is not None:
        return refused
    response = send_file(documents.path_of(found), mimetype="application/pdf", conditional=True,
                         download_name=f"tai-lieu-{found.id}.pdf", max_age=0)
    response.headers["Cache-Control"] = "private, no-cache"  # the phone may keep it; it asks again
    # Opened on its own (not in our viewer), the browser's PDF reader runs no script of ours or its.
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@bp.get("/me/qr.svg")
@per_address
def page_qr():
    """A QR of /me at the venue's address (or at the address this was asked on, while none is set)."""
    return Response(venue.qr_svg(page_address_here()), mimetype="image/svg+xml", headers={"Cache-Control": "no-cache"})


def page_address_here() -> str:
    """The /me address a delegate types: at the venue's address, or at the one this was asked on."""
    conference_id = default_conference_id()
    address = (venue.venue_address(conference_id) if conference_id else None) or request.host_url.rstrip("/")
    return venue.page_address(address)

