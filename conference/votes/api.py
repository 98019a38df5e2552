"""The votes' API (docs/API.md, docs/VOTES.md): the MC or the office opens a vote, enters a show
of hands, watches and closes it. Parse, authorise, call one domain function, answer the vote."""
from __future__ import annotations

from flask import Blueprint, jsonify

from conference.accounts.guards import require_api
from conference.core.models import Role
from conference.web.api import body, conference_id
from . import record
from .results import vote_json

bp = Blueprint("api_votes", __name__, url_prefix="/api/votes")
CONTROL = (Role.MC, Role.ADMIN)


def _answer(vote, status: int = 200):
    return jsonify(vote_json(vote, entered=True)), status


@bp.post("")
@require_api(*CONTROL)
def open_vote():
    """{"question", "item"?, "choices"?, "method": "phones"|"hands", "secret"?, "candidates"?,
    "max_choices"?}: open at once; 201 with the vote."""
    return _answer(record.open_vote(conference_id(), body()), 201)


@bp.get("/<int:vote_id>")
@require_api(*CONTROL)
def show_vote(vote_id: int):
    """State, present, cast; the counts and the outcome once closed."""
    return _answer(record.get_vote(conference_id(), vote_id))


@bp.post("/<int:vote_id>/hands")
@require_api(*CONTROL)
def enter_hands(vote_id: int):
    """{"counts": {choice: n}}: a show of hands, out of those present now."""
    return _answer(record.enter_hands(conference_id(), vote_id, body().get("counts")))


@bp.post("/<int:vote_id>/paper")
@require_api(*CONTROL)
def enter_paper(vote_id: int):
    """{"counts": {choice: n}, "entry": 1|2}: the paper ballots' counts, entered twice."""
    data = body()
    return _answer(record.enter_paper(conference_id(), vote_id, data.get("counts"), data.get("entry")))


@bp.post("/<int:vote_id>/close")
@require_api(*CONTROL)
def close_vote(vote_id: int):
    return _answer(record.close_vote(conference_id(), vote_id))
