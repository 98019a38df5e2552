"""The office's page."""
from flask import Blueprint, render_template

from ..auth import current_principal, require_page
from ..models import Role
from ..services.devices import list_devices
from ..services.roster import attendance

bp = Blueprint("admin", __name__)


@bp.get("/admin")
@require_page(Role.ADMIN)
def index():
    """Set-up, devices and live attendance."""
    conference_id = current_principal().conference_id
    return render_template("admin.html", devices=list_devices(conference_id),
                           attendance=attendance(conference_id))
