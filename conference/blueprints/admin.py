"""The office (/admin): the live attendance dashboard. The set-up pages live in admin_*.py on the same bp.

Every /admin page needs an office sign-in (checked once, for the whole blueprint, by auth.office_allows:
the accounts and the audit trail for administrators, a secretary only reads), and every form
carries a CSRF token (CSRFProtect is global). A refused action re-renders its page with the reason
and a 4xx status; nothing is changed.
"""
from __future__ import annotations

import time

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth import current_principal, office_allows
from ..models import Role
from ..services import reports
from ..services.roster import attendance
from ..services.setup_data import conference_or_404
from ..services.state import show_state

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


@bp.get("")
def index():
    """The live dashboard: present / expected, by group, arrivals over time, who is still missing."""
    cid = conference_id()
    return render_template("admin.html", conference=conference_or_404(cid), attendance=attendance(cid),
                           missing=reports.missing(cid), timezone=reports.local_zone().key)


@bp.get("/attendance.json")
def attendance_details():
    """What the dashboard fetches when the snapshot's version moves: figures, arrivals, the missing."""
    cid = conference_id()
    version = show_state(cid).version
    return jsonify({
        "version": version,
        "now": time.time(),
        "attendance": attendance(cid),
        "arrivals": reports.arrivals(cid),
        "missing": [{"id": d.id, "full_name": d.full_name, "position": d.position, "unit": d.unit,
                     "group": d.group.name if d.group else None,
                     "group_color": d.group.color if d.group else None} for d in reports.missing(cid)],
    })


def message_page(message: str, status: int = 404):
    """A page that only says why something could not be done (unknown id, nothing to print...)."""
    return render_template("admin_message.html", message=message), status


def not_found_page(message: str | None = None):
    return message_page(message or _("Không tìm thấy."), 404)


from . import admin_agenda, admin_delegates, admin_devices, admin_papers, admin_setup  # noqa: E402,F401
from . import admin_audit, admin_users  # noqa: E402,F401
from . import admin_conferences  # noqa: E402,F401
