"""The office's awards page: forms, decisions, honourees, the calling order and the import."""
from flask import Blueprint, render_template

from conference.accounts.guards import require_page
from conference.core.dates import local_zone
from conference.core.models import Role

bp = Blueprint("admin_awards", __name__)


@bp.get("/admin/awards")
@require_page(Role.ADMIN)
def index():
    """Edit the award decisions and who is honoured; the page works through /api (fetch + CSRF header)."""
    return render_template("admin_awards.html", timezone=local_zone().key)  # the log's times are the venue's
