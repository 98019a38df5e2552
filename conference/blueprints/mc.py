"""The MC console page."""
from flask import Blueprint, current_app, render_template

from ..auth import require_page
from ..models import Role

bp = Blueprint("mc", __name__)


@bp.get("/mc")
@require_page(Role.MC, Role.ADMIN)
def index():
    """Step through the program with a clicker or the keyboard."""
    return render_template("mc.html", timezone=current_app.config["BABEL_DEFAULT_TIMEZONE"])
