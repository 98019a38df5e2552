"""The stage's screens: the lectern timer, the stream overlay and its style sheet, and the cues'
sound files (for signed-in screens and the office only, with their MIME type and nosniff)."""
from flask import Blueprint, current_app, render_template, send_file

from conference.accounts.guards import current_principal
from conference.core.errors import Forbidden, Unauthorized
from conference.core.models import Role
from . import cues, overlay_style, slides

bp = Blueprint("stage", __name__)


def _render(template: str):
    return render_template(template, timezone=current_app.config["BABEL_DEFAULT_TIMEZONE"])


@bp.get("/display/timer")
def timer():
    """For the speaker at the lectern: their time large, and the MC's message to them."""
    return _render("display_timer.html")


@bp.get("/display/overlay")
def overlay():
    """For OBS or vMix's browser source: a lower third on a transparent background."""
    return _render("display_overlay.html")


@bp.get("/display/overlay.css")
def overlay_css():
    """The overlay's look: the office's style sheet if it put one in place, else the product's."""
    custom = overlay_style.custom_style()
    if custom is None:
        return current_app.send_static_file("css/overlay.css")
    response = send_file(custom, mimetype="text/css", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/display/cues/<int:cue_id>")
def cue_file(cue_id: int):
    """A cue's sound, for a paired projector or the office (the sound check), never anyone else."""
    principal = _screen(Role.DISPLAY, Role.ADMIN)
    path, mimetype = cues.cue_file(principal.conference_id, cue_id)
    return _inline(send_file(path, mimetype=mimetype, conditional=True, max_age=0))


@bp.get("/display/decks/<int:deck_id>")
def deck_file(deck_id: int):
    """A deck's PDF, for a paired projector, the MC (the presenter view) and the office."""
    principal = _screen(Role.DISPLAY, Role.MC, Role.ADMIN)
    response = _inline(send_file(slides.deck_file(principal.conference_id, deck_id), mimetype="application/pdf",
                                 conditional=True, max_age=3600))
    response.headers["Cache-Control"] = "private, max-age=3600"  # a deck is replaced under a new id
    # Opened on its own (not drawn by slides.js), the browser's PDF reader runs no script of ours or
    # its, as for the delegates' documents (me/pages.py).
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def _screen(*roles: Role):
    """The signed-in screen or office asking for an uploaded file; anyone else is refused."""
    principal = current_principal()
    if principal is None:
        raise Unauthorized("unauthorized", "Cần đăng nhập hoặc mã thiết bị hợp lệ.")
    if principal.role not in roles:
        raise Forbidden("forbidden", "Vai trò này không được làm việc này.")
    return principal


def _inline(response):
    """An uploaded file shown in the page, never sniffed as anything but its type."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    return response
