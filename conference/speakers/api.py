"""The MC's calls for the speakers' queue (docs/API.md §6.5). GET answers the queue; each action
answers the new snapshot, as every call of the show does, so the console shows what the hall shows.
An office caller's ?conference=ID is honoured, as for the votes and the awards (web/api.py
conference_id): a request of another conference than the one named is unknown."""
from flask import Blueprint, jsonify

from conference.accounts.guards import require_api
from conference.core.models import Role
from conference.live import realtime
from conference.web.api import conference_id
from . import queue

bp = Blueprint("speakers_api", __name__, url_prefix="/api/speakers")
CONTROL = (Role.MC, Role.ADMIN)


def _answer():
    return jsonify(realtime.snapshot_after_change(conference_id()))


@bp.get("")
@require_api(*CONTROL)
def speakers():
    """{"open", "speaking", "queue"}: who speaks now and who waits, in the order asked."""
    return jsonify(queue.snapshot_json(conference_id()))


@bp.post("/<int:request_id>/call")
@require_api(*CONTROL)
def call(request_id: int):
    """Give the floor to a waiting request; the turn running ends."""
    queue.call(conference_id(), request_id)
    return _answer()


@bp.post("/<int:request_id>/end")
@require_api(*CONTROL)
def end(request_id: int):
    """The speaker's turn ends."""
    queue.end_turn(conference_id(), request_id)
    return _answer()


@bp.post("/<int:request_id>/dismiss")
@require_api(*CONTROL)
def dismiss(request_id: int):
    """Take a waiting request off the queue without calling it."""
    queue.dismiss(conference_id(), request_id)
    return _answer()
