"""The MC's calls for the stage (docs/API.md §6.4): the lectern's message, the overlay, the cue.
Each answers the new snapshot, as every call of the show does."""
from flask import Blueprint, jsonify, request

from conference.accounts.guards import current_principal, require_api
from conference.core.errors import ConferenceError
from conference.core.models import Role
from conference.live import realtime
from . import controls, cues, slides

bp = Blueprint("stage_api", __name__, url_prefix="/api/stage")
CONTROL = (Role.MC, Role.ADMIN)


def _body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ConferenceError("invalid_json", "Nội dung yêu cầu phải là một đối tượng JSON.")
    return data


def _answer():
    return jsonify(realtime.snapshot_after_change(current_principal().conference_id))


@bp.post("/lectern")
@require_api(*CONTROL)
def lectern():
    """{"message": str} to the speaker at the lectern, or null to clear it."""
    controls.set_lectern_message(current_principal().conference_id, _body().get("message"))
    return _answer()


@bp.post("/overlay")
@require_api(*CONTROL)
def overlay():
    """{"hidden": true|false}: the stream overlay off, or on again."""
    controls.set_overlay(current_principal().conference_id, _body().get("hidden"))
    return _answer()


@bp.post("/cue/stop")
@require_api(*CONTROL)
def cue_stop():
    """Silence what the sound page plays."""
    cues.stop(current_principal().conference_id)
    return _answer()


@bp.post("/cue/replay")
@require_api(*CONTROL)
def cue_replay():
    """Play the current place's cue again from its start."""
    cues.replay(current_principal().conference_id)
    return _answer()


@bp.post("/slide/next")
@require_api(*CONTROL)
def slide_next():
    """The next page of the current place's slides; {"from": page} as the console saw it."""
    slides.turn_page(current_principal().conference_id, 1, _body().get("from"))
    return _answer()


@bp.post("/slide/previous")
@require_api(*CONTROL)
def slide_previous():
    slides.turn_page(current_principal().conference_id, -1, _body().get("from"))
    return _answer()


@bp.post("/slides")
@require_api(*CONTROL)
def slides_shown():
    """{"shown": bool, "page"?: int}: the projectors show the slides (at PAGE, or the same page), or
    the agenda screen."""
    data = _body()
    slides.show_slides(current_principal().conference_id, data.get("shown"), data.get("page"))
    return _answer()
