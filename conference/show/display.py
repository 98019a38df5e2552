"""The projector pages: read-only, need no sign-in. A paired projector is told its own device id,
so that the one the office chose (show/stage/cues.py) plays the sound cues."""
from flask import Blueprint, current_app, render_template

from conference.accounts.guards import current_principal
from conference.core.models import Role
from conference.me.pages import page_address_here

bp = Blueprint("display", __name__)


def _render(view: str):
    principal = current_principal()
    device_id = principal.device_id if principal and principal.role == Role.DISPLAY else None
    return render_template("display.html", view=view, timezone=current_app.config["BABEL_DEFAULT_TIMEZONE"],
                           device_id=device_id,
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
