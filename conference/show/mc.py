"""The MC console page."""
from flask import Blueprint, current_app, render_template

from conference.accounts.guards import current_principal, require_page
from conference.core.models import Role
from conference.core.state import conference_title, default_conference_id
from . import moves

bp = Blueprint("mc", __name__)


@bp.get("/mc")
@require_page(Role.MC, Role.ADMIN)
def index():
    """Step through the program with a clicker or the keyboard."""
    conference_id = current_principal().conference_id
    return render_template("mc.html", timezone=current_app.config["BABEL_DEFAULT_TIMEZONE"],
                           conference_id=conference_id, conference_title=conference_title(conference_id))


@bp.app_context_processor
def day_notice():
    """other_day(): for the MC's and the office's notice when today is not the conference's date."""
    def other_day():
        principal = current_principal()
        conference_id = principal.conference_id if principal else default_conference_id()
        return moves.other_day(conference_id) if conference_id is not None else None
    return {"other_day": other_day}
