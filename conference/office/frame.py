"""The office's frame (/admin): its blueprint, the sign-in every /admin page needs, and what the
pages share. The pages are admin.py (the live dashboard) and admin_*.py, each registering its
routes on this bp; web/blueprints.py imports them all before registering it.

Every /admin page needs an office sign-in (checked once, for the whole blueprint, by auth.office_allows:
the accounts and the audit trail for administrators, a secretary only reads), and every form
carries a CSRF token (CSRFProtect is global). A refused action re-renders its page with the reason
and a 4xx status; nothing is changed.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from conference.accounts.guards import current_principal, office_allows
from conference.core.models import Role

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def require_admin():
    """Only the office: anyone else is sent to the sign-in page and brought back afterwards."""
    principal = current_principal()
    if office_allows(principal, request.endpoint, request.method):
        return None
    if principal is not None and principal.role == Role.ADMIN:  # signed in, but not for this
        return message_page(_("Tài khoản của bạn không được làm việc này."), 403)
    target = request.full_path.rstrip("?") if request.method == "GET" else request.path
    return redirect(url_for("auth.login", next=target))


def conference_id() -> int:
    return current_principal().conference_id


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
