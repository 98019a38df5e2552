"""The delegate asks to speak, or withdraws, from their page (/me): two plain forms on /me's own
blueprint, with the phone's cookie and the page's CSRF token, as the code form. A refusal (requests
off, not checked in, already waiting, a subject too long) is a page that says so; nothing changes."""
from __future__ import annotations

from flask import redirect, render_template, request, session, url_for

from conference.core.errors import ConferenceError
from conference.me import phones
from conference.me.pages import bp, per_address
from . import queue


def _refused(error: ConferenceError):
    return render_template("me_message.html", message=error.localized()), error.status


@bp.post("/me/speak")
@per_address
def speak():
    """{"subject"?}: this phone's delegate asks to speak."""
    held = phones.phone(session.get(phones.COOKIE_KEY))
    if held is None:
        return redirect(url_for("me.page"), 303)  # released, or never opened: the code form
    try:
        queue.ask(held, request.form.get("subject"))
    except ConferenceError as error:
        return _refused(error)
    return redirect(url_for("me.page", _anchor="speak"), 303)


@bp.post("/me/speak/withdraw")
@per_address
def withdraw():
    """This phone's delegate takes back their waiting request."""
    held = phones.phone(session.get(phones.COOKIE_KEY))
    if held is None:
        return redirect(url_for("me.page"), 303)
    try:
        queue.withdraw(held)
    except ConferenceError as error:
        return _refused(error)
    return redirect(url_for("me.page", _anchor="speak"), 303)
