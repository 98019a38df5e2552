"""The door tablet page."""
from flask import Blueprint, render_template

from ..auth import current_principal, require_page
from ..models import Role

bp = Blueprint("door", __name__)


@bp.get("/door")
@require_page(Role.DOOR, Role.ADMIN)
def index():
    """Scan badges, search by name, add walk-ins."""
    return render_template("door.html", device=current_principal().label)
