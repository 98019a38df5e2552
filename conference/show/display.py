"""The projector pages: read-only, need no sign-in."""
from flask import Blueprint, current_app, render_template

from conference.me.pages import page_address_here

bp = Blueprint("display", __name__)


def _render(view: str):
    return render_template("display.html", view=view, timezone=current_app.config["BABEL_DEFAULT_TIMEZONE"],
                           # What a delegate types: the address without its scheme (the QR holds it whole).
                           me_address=page_address_here().split("://", 1)[-1])


@bp.get("/display")
def index():
    """What the hall sees."""
    return _render("stage")


@bp.get("/display/agenda")
def agenda():
    """The whole program with the current item, for a screen in the foyer or a second screen."""
    return _render("agenda")
