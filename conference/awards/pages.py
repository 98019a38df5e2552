"""The office's awards page: forms, decisions, honourees, the calling order and the import."""
from flask import Blueprint, render_template
from flask_babel import gettext as _

from conference.accounts.guards import require_page
from conference.core.dates import local_zone
from conference.core.models import Role
from conference.office.frame import named_conference_exists, not_found_page

bp = Blueprint("admin_awards", __name__)


@bp.get("/admin/awards")
@require_page(Role.ADMIN)
def index():
    """Edit the award decisions and who is honoured; the page works through /api (fetch + CSRF header),
    on the conference its address names (?conference=ID, as every office page)."""
    if not named_conference_exists():
        return not_found_page(_("Không tìm thấy hội nghị này."))
    return render_template("admin_awards.html", timezone=local_zone().key)  # the log's times are the venue's
