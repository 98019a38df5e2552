"""Press addresses for button boxes (docs/SHOW.md §6): a Stream Deck's "Website" action, or
Companion, opens /press/<token>/next and the show moves (or the slides shown turn a page), as the
MC console's Tiếp would.

The token in the address is a button box's own (Role.BUTTON), and no other token works here
(accounts/devices.authenticate_button): a press address that leaks can press the show's buttons,
never read the roster, check anyone in or open a page, and revoking that one device ends it. It
goes no further than it must: the answer is a few fields of JSON, never cached and never sent on
as a Referer; no log writes the token (log_redaction.py); a browser's prefetch or preview of the
address is refused before anything is pressed.
"""
from __future__ import annotations

from flask import Blueprint, g, jsonify, request
from werkzeug.exceptions import MethodNotAllowed

from conference import awards
from conference.accounts.devices import authenticate_button
from conference.core.errors import ConferenceError, Unauthorized
from conference.live import realtime
from . import clicker, moves

bp = Blueprint("press", __name__, url_prefix="/press/<token>")

PREFIX = "/press/"
# GET for a Stream Deck's "Website" action (it can send nothing else), POST for Companion's HTTP module.
PRESS_METHODS = ["GET", "POST"]
# Headers by which a browser marks a load nobody asked for: Chrome's prefetch and prerender
# (Sec-Purpose, formerly Purpose), Firefox's link prefetch (X-Moz), Safari's previews (X-Purpose).
SPECULATIVE = ("Sec-Purpose", "Purpose", "X-Moz", "X-Purpose")
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
# The addresses the office's Thiết bị page and the token command hand out (goto/1: item 1).
READY = ("next", "previous", "awards/next", "awards/previous",
         "screen/blackout", "screen/standby", "screen/live", "goto/1")


def press_addresses(base: str, token: str) -> list[str]:
    """The ready press addresses of a button box, on a server reached at base (scheme://host:port)."""
    return [f"{base}{PREFIX}{token}/{action}" for action in READY]


@bp.url_value_preprocessor
def take_token(_endpoint, values: dict) -> None:
    g.press_token = values.pop("token", None)


@bp.before_request
def admit_only_a_button_press():
    """Before any press: a prefetch or a HEAD presses nothing (whatever the token, so the answer
    tells nothing about it), then the token must be a button box's, active."""
    if request.method == "HEAD":  # Flask adds HEAD to every GET route; a link checker's HEAD is no press
        raise MethodNotAllowed(valid_methods=PRESS_METHODS)
    if any(request.headers.get(name) for name in SPECULATIVE):
        raise ConferenceError("prefetch_refused", "Trình duyệt chỉ tải trước địa chỉ này: không bấm.")
    principal = authenticate_button(g.pop("press_token", None))
    if principal is None:  # unknown, revoked, or another role's: one answer for all
        raise Unauthorized("unauthorized", "Địa chỉ bấm nút không đúng hoặc thiết bị đã bị thu hồi.")
    g.principal, g.by_cookie = principal, False  # who pressed: the run-of-show log, the audit trail


@bp.after_app_request
def keep_press_answers_private(response):
    """Every answer under /press/, refusals and unknown actions too: never kept by a browser or a
    proxy, and never named in a Referer (the app's own Referrer-Policy is only set if none is)."""
    if request.path.startswith(PREFIX):
        response.headers.update(PRIVATE)
    return response


def pressed():
    """What a button box may want to show on its key: where the show is now. Nothing else of the
    snapshot (it is public at /api/state anyway) and no link."""
    snapshot = realtime.snapshot_after_change(g.principal.conference_id)
    award = snapshot.get("award")
    return jsonify({"ok": True, "version": snapshot["version"], "current": snapshot["current"],
                    "current_step": snapshot["current_step"], "finished": snapshot["finished"],
                    "screen": snapshot["screen"],
                    "award": {key: award[key] for key in ("index", "reveal", "finished")} if award else None})


# A button box sends no place ("from"): each of its presses applies (show/moves.refuse_if_moved).
# Its Tiếp and Lùi are the clicker's keys: the slides shown turn their pages first (clicker.py).

@bp.route("/next", methods=PRESS_METHODS)
def show_next():
    clicker.next_press(g.principal.conference_id, by=g.principal.label)
    return pressed()


@bp.route("/previous", methods=PRESS_METHODS)
def show_previous():
    clicker.previous_press(g.principal.conference_id, by=g.principal.label)
    return pressed()


@bp.route("/goto/<int:position>", methods=PRESS_METHODS)
@bp.route("/goto/<int:position>/<int:step>", methods=PRESS_METHODS)
def show_goto(position: int, step: int | None = None):
    moves.goto_item(g.principal.conference_id, position, step, by=g.principal.label)
    return pressed()


@bp.route("/awards/next", methods=PRESS_METHODS)
def awards_next():
    awards.next_announcement(g.principal.conference_id, by=g.principal.label)
    return pressed()


@bp.route("/awards/previous", methods=PRESS_METHODS)
def awards_previous():
    awards.previous_announcement(g.principal.conference_id, by=g.principal.label)
    return pressed()


@bp.route("/screen/<any(blackout, standby, live):mode>", methods=PRESS_METHODS)
def show_screen(mode: str):
    moves.set_screen(g.principal.conference_id, mode)
    return pressed()
