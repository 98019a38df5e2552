"""The projector page: read-only, needs no sign-in."""
from flask import Blueprint, current_app, render_template

bp = Blueprint("display", __name__)


@bp.get("/display")
def index():
    """What the hall sees."""
    return render_template("display.html", timezone=current_app.config["BABEL_DEFAULT_TIMEZONE"])
