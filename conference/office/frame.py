"""The office's frame (/admin): its blueprint, the sign-in every /admin page needs, and what the
pages share. The pages are admin.py (the live dashboard) and admin_*.py, each registering its
routes on this bp; web/blueprints.py imports them all before registering it.

Every office page works on one conference, the one its address names (`?conference=ID`), or the
active one when it names none; so two tabs can hold two conferences, and a conference can be
prepared while the screens serve the active one (docs/OFFICE.md "A conference's year"). A link,
form or redirect made with url_for while working on a named conference keeps naming it
(keep_the_conference), so pages added to this blueprint follow without doing anything; a page's
script that calls /api or /admin through static/js/live.js (api, officePath) names it too, from the
<meta name="office-conference"> of admin_base.html. An address naming a conference that does not
exist answers 404.

Every /admin page needs an office sign-in (checked once, for the whole blueprint, by auth.office_allows:
the accounts and the audit trail for administrators, a secretary only reads), and every form
carries a CSRF token (CSRFProtect is global). A refused action re-renders its page with the reason
and a 4xx status; nothing is changed.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from conference.accounts.guards import current_principal, office_allows
from conference.core.errors import ConferenceError
from conference.core.models import Role
from . import lifecycle
from .details import parse_id

bp = Blueprint("admin", __name__, url_prefix="/admin")

CONFERENCE_ARG = "conference"  # ?conference=ID: the conference an office page works on
# The blueprints of the office's pages: /admin (this one) and the awards page (awards/pages.py).
OFFICE_ENDPOINTS = ("admin.", "admin_awards.")


@bp.before_request
def require_admin():
    """Only the office: anyone else is sent to the sign-in page and brought back afterwards."""
    principal = current_principal()
    if office_allows(principal, request.endpoint, request.method):
        return None if named_conference_exists() else not_found_page(_("Không tìm thấy hội nghị này."))
    if principal is not None and principal.role == Role.ADMIN:  # signed in, but not for this
        return message_page(_("Tài khoản của bạn không được làm việc này."), 403)
    target = request.full_path.rstrip("?") if request.method == "GET" else request.path
    return redirect(url_for("auth.login", next=target))


def conference_id() -> int:
    """The conference this page works on: the one its address names, else the active one."""
    if "office_conference" not in g:
        asked = request.args.get(CONFERENCE_ARG)
        found = current_principal().conference_id if asked is None else lifecycle.existing(parse_id(asked))
        g.office_conference, g.office_conference_named = found, asked is not None
    return g.office_conference


def active_conference_id() -> int:
    """The active conference, for the pages that are about the install, not one conference."""
    return current_principal().conference_id


def named_conference_exists() -> bool:
    """False when the address names a conference that is not one of this install's (or no id)."""
    try:
        conference_id()
    except ConferenceError:
        return False
    return True


@bp.app_url_defaults
def keep_the_conference(endpoint: str, values: dict) -> None:
    """A link, form or redirect to an office page, made while working on a conference the address
    named, names it too: the tab stays on its conference whatever another tab activates."""
    if (endpoint.startswith(OFFICE_ENDPOINTS) and CONFERENCE_ARG not in values
            and g.get("office_conference_named")):
        values[CONFERENCE_ARG] = g.office_conference


@dataclass(frozen=True)
class WorkingOn:
    """What the frame of every office page shows: the conference worked on, and the others."""
    id: int
    title: str
    active: bool
    choices: list


@bp.app_context_processor
def working_on():
    """office_conference() in a template: the conference worked on, read only if the page asks."""
    def office_conference() -> WorkingOn | None:
        if "office_working_on" not in g:
            g.office_working_on = _working_on()
        return g.office_working_on
    return {"office_conference": office_conference, "conference_arg": CONFERENCE_ARG}


def done(message: str, endpoint: str, **values):
    """After a change: say what happened, then show the page again (post/redirect/get)."""
    flash(message, "ok")
    return redirect(url_for(endpoint, **values), 303)


def direction() -> int:
    """The "move" buttons send up or down."""
    return -1 if request.form.get("direction") == "up" else 1


def message_page(message: str, status: int = 404):
    """A page that only says why something could not be done (unknown id, nothing to print...)."""
    return render_template("admin_message.html", message=message), status


def not_found_page(message: str | None = None):
    return message_page(message or _("Không tìm thấy."), 404)


def _working_on() -> WorkingOn | None:
    if current_principal() is None or not named_conference_exists():
        return None  # the sign-in, or the 404 of an address naming no conference of this install
    choices = lifecycle.choices()
    current = conference_id()
    title, active = next(((c.title, c.active) for c in choices if c.id == current), ("", False))
    return WorkingOn(current, title, active, choices)
