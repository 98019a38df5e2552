"""A delegate's ballot from their phone: POST /me/ballot {"vote": id, "choices": [position, …]}
with the phone's session (the cookie of /me, me/phones.py) and the page's CSRF token in
X-CSRFToken, checked here once the session is known (web/blueprints.py exempts the blueprint from
the check made before every view, as for the API); GET /me/ballot says whether this phone's delegate
has voted in the vote the screens show, so a reloaded page does not offer the ballot again."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request, session

from conference.core.errors import Unauthorized
from conference.core.extensions import csrf, limiter
from conference.me import phones
from . import ballots
from .results import latest_vote

bp = Blueprint("ballot", __name__)
per_address = limiter.shared_limit(lambda: current_app.config["ME_LIMIT_PER_ADDRESS"], scope="me")


def _delegate():
    held = phones.phone(session.get(phones.COOKIE_KEY))
    if held is None:
        raise Unauthorized("no_phone_session", "Trang đại biểu chưa mở trên điện thoại này (hoặc đã được giải phóng). "
                                             "Hãy mở lại bằng mã thẻ.")
    return held


@bp.post("/me/ballot")
@per_address
def cast():
    held = _delegate()
    csrf.protect()  # after the session: a caller without a page is told so (401), a forged post 400
    data = request.get_json(silent=True)
    data = data if isinstance(data, dict) else {}
    ballots.cast_ballot(held.conference_id, held.delegate_id, data.get("vote"), data.get("choices"))
    return jsonify({"recorded": True}), 201


@bp.get("/me/ballot")
@per_address
def mine():
    held = _delegate()
    vote = latest_vote(held.conference_id)
    return jsonify({"vote": vote.id if vote else None,
                    "voted": bool(vote) and ballots.has_voted(vote.id, held.delegate_id)})
