"""The MC's calls for the speakers' queue (docs/API.md §6.5). GET answers the queue; each action
answers the new snapshot, as every call of the show does, so the console shows what the hall shows."""
from flask import Blueprint, jsonify

from conference.accounts.guards import current_principal, require_api
from conference.core.models import Role
from conference.live import realtime
from . import queue

bp = Blueprint("speakers_api", __name__, url_prefix="/api/speakers")
CONTROL = (Role.MC, Role.ADMIN)


def _answer():
    return jsonify(realtime.snapshot_after_change(current_principal().conference_id))


@bp.get("")
@require_api(*CONTROL)
def speakers():
    """{"open", "speaking", "queue"}: who speaks now and who waits, in the order asked."""
    return jsonify(queue.snapshot_json(current_principal().conference_id))


@bp.post("/<int:request_id>/call")
@require_api(*CONTROL)
def call(request_id: int):
    """Give the floor to a waiting request; the turn running ends."""
    queue.call(current_principal().conference_id, request_id)
    return _answer()


@bp.post("/<int:request_id>/end")
@require_api(*CONTROL)
def end(request_id: int):
    """The speaker's turn ends."""
    queue.end_turn(current_principal().conference_id, request_id)
    return _answer()


@bp.post("/<int:request_id>/dismiss")
@require_api(*CONTROL)
def dismiss(request_id: int):
    """Take a waiting request off the queue without calling it."""
    queue.dismiss(current_principal().conference_id, request_id)
    return _answer()
