"""The HTTP JSON API (docs/API.md §6): parse, authorise, call one service, answer."""
from __future__ import annotations

import json

from flask import Blueprint, g, jsonify, request
from flask_babel import gettext

from conference import awards
from conference.accounts import devices, pairing
from conference.accounts.guards import current_principal, require_api
from conference.checkin import checkins, quorum, roster
from conference.core.errors import ConferenceError
from conference.core.models import Role
from conference.core.state import default_conference_id
from conference.live import realtime
from conference.live.snapshot import build_snapshot
from conference.me import phones
from conference.office import lifecycle
from conference.office.details import parse_id
from conference.show import clicker, moves
from conference.show.press import press_addresses

bp = Blueprint("api", __name__, url_prefix="/api")

DOOR = (Role.DOOR, Role.ADMIN)
CONTROL = (Role.MC, Role.ADMIN)
MAX_QUERY = 100


def door_answer(outcome: checkins.Outcome):
    """A check-in's answer. Its refusal is kept in Vietnamese (a repeated nonce gets the first
    answer again, as it was stored) and told in the request's language here."""
    error = outcome.body.get("error")
    if not error:
        return jsonify(outcome.body), outcome.status
    return jsonify({**outcome.body, "error": {**error, "message": gettext(error["message"])}}), outcome.status


def body() -> dict:
    """The JSON object sent, or invalid_json: not JSON, not an object, nested past reason, or
    holding text that is not Unicode (a lone surrogate escape such as "\\ud800")."""
    try:
        data = request.get_json(silent=True)
        if isinstance(data, dict):
            json.dumps(data, ensure_ascii=False).encode("utf-8")
            return data
    except (RecursionError, UnicodeEncodeError):
        pass
    raise ConferenceError("invalid_json", "Nội dung yêu cầu phải là một đối tượng JSON.")


def optional_body() -> dict:
    """body(), or {} when nothing was sent (scripts and button boxes press with no body)."""
    return body() if request.get_data(cache=True) else {}


def press_args() -> dict:
    """What every press of the show or the awards carries: the place it was made on, if sent
    (docs/API.md §6.4), and who made it, for the run-of-show log."""
    return {"from_place": optional_body().get("from"), "by": g.principal.label}


def conference_id() -> int:
    """The active conference, which every device serves; an office caller (Role.ADMIN) may name
    another with ?conference=ID, as its pages do (office/frame.py), to prepare it. Unknown: 404."""
    principal = current_principal()
    asked = request.args.get("conference")
    if principal is not None and principal.role == Role.ADMIN and asked is not None:
        return lifecycle.existing(parse_id(asked))
    if principal is not None:
        return principal.conference_id
    found = default_conference_id()
    if found is None:
        raise ConferenceError("no_conference", "Chưa có hội nghị nào.", 404)
    return found


def changed_state_response():
    """Answer a change with the state it led to."""
    return jsonify(realtime.snapshot_after_change(conference_id()))


@bp.get("/state")
def state():
    """The snapshot of the conference the caller follows."""
    return jsonify(build_snapshot(conference_id()))


def scan_conference(data: dict) -> int:
    """The conference a scan (or a walk-in) was made for: `conference` in the body, which the door
    writes into each scan of its outbox, so a scan kept there across the office's switch to another
    conference is delivered to the one it was made at; without it, the one the door serves now."""
    made_for = data.get("conference")
    if made_for is None or made_for == conference_id():
        return conference_id()
    return lifecycle.existing(made_for)


@bp.post("/checkins")
@require_api(*DOOR)
def create_checkin():
    """Check a delegate in by badge code or id, at the scan's own time if given (scanned_at,
    counted back from now by sent_at - scanned_at when sent_at is given too); a repeated nonce
    returns the first answer."""
    data = body()
    outcome = checkins.check_in(scan_conference(data), code=data.get("code"), delegate_id=data.get("delegate_id"),
                               nonce=data.get("nonce"), device=data.get("device") or g.principal.label,
                               scanned_at=data.get("scanned_at"), sent_at=data.get("sent_at"))
    return door_answer(outcome)


@bp.delete("/checkins/<int:delegate_id>")
@require_api(*DOOR)
def delete_checkin(delegate_id: int):
    """Undo a check-in made by mistake."""
    outcome = checkins.undo_check_in(conference_id(), delegate_id, device=g.principal.label)
    return door_answer(outcome)


@bp.get("/delegates")
@require_api(*DOOR)
def delegates():
    """Delegates whose name, unit or code matches q, diacritics ignored; all when q is empty."""
    query = request.args.get("q", "")
    if len(query) > MAX_QUERY:
        raise ConferenceError("query_too_long", "Từ khóa dài quá %(limit)d ký tự.", limit=MAX_QUERY)
    found = roster.search_delegates(conference_id(), query)
    return jsonify({"delegates": [roster.delegate_json(d) for d in found]})


@bp.post("/delegates")
@require_api(*DOOR)
def create_delegate():
    """Add a walk-in (name, unit, group; position and seat optional), checked in if asked, in one
    transaction; with a nonce, a repeat returns the first answer and adds nobody."""
    data = body()
    outcome = checkins.admit_walk_in(scan_conference(data), data.get("full_name"), data.get("position"),
                                    data.get("unit"), data.get("group"), data.get("seat"),
                                    walk_in=g.principal.role == Role.DOOR or bool(data.get("walk_in")),
                                    check_in=bool(data.get("check_in")), nonce=data.get("nonce"),
                                    device=g.principal.label, scanned_at=data.get("scanned_at"),
                                    sent_at=data.get("sent_at"))
    return door_answer(outcome)


@bp.post("/delegates/<int:delegate_id>/reissue")
@require_api(Role.ADMIN)
def reissue(delegate_id: int):
    """Give a delegate a new badge code; the old one is refused from now on."""
    delegate = roster.reissue_badge(conference_id(), delegate_id)
    return jsonify({"delegate": roster.delegate_json(delegate)})


@bp.put("/delegates/<int:delegate_id>/absence")
@require_api(*DOOR)
def set_absence(delegate_id: int):
    """Why a delegate is absent: {"reason": "excused" | "unexcused" | null, "note": text or null}."""
    data = body()
    delegate = quorum.set_absence(conference_id(), delegate_id, data.get("reason"), data.get("note"))
    return jsonify({"delegate": roster.delegate_json(delegate)})


@bp.post("/delegates/<int:delegate_id>/phone/release")
@require_api(*DOOR)
def release_phone(delegate_id: int):
    """The door (or the office) frees a delegate's page for another phone (conference/me/phones.py)."""
    released = phones.release_phone(conference_id(), delegate_id, g.principal.label)
    realtime.disconnect_phone(released.id)
    delegate = released.delegate
    return jsonify({"result": "released", "delegate": {"id": delegate.id, "full_name": delegate.full_name}})


@bp.post("/show/next")
@require_api(*CONTROL)
def show_next():
    """Advance to the next sub-step or item; the slides shown turn their page first (show/clicker.py)."""
    clicker.next_press(conference_id(), **press_args())
    return changed_state_response()


@bp.post("/show/previous")
@require_api(*CONTROL)
def show_previous():
    """Go back one sub-step or item; the slides shown turn their page back first."""
    clicker.previous_press(conference_id(), **press_args())
    return changed_state_response()


@bp.post("/show/goto")
@require_api(*CONTROL)
def show_goto():
    """Jump to {"position": int, "step": int|null}."""
    data = body()
    moves.goto_item(conference_id(), data.get("position"), data.get("step"), **press_args())
    return changed_state_response()


@bp.post("/show/message")
@require_api(*CONTROL)
def show_message():
    """Show {"message": str} to the hall, or clear it with null."""
    moves.set_message(conference_id(), body().get("message"))
    return changed_state_response()


@bp.post("/show/screen")
@require_api(*CONTROL)
def show_screen():
    """Switch the projector: {"screen": "live" | "standby" | "blackout"}."""
    moves.set_screen(conference_id(), body().get("screen"))
    return changed_state_response()


@bp.get("/awards")
@require_api(*CONTROL)
def awards_list():
    """The announcements in calling order."""
    order = awards.calling_order(conference_id())
    return jsonify({"announcements": [awards.announcement_json(a, len(order)) for a in order]})


@bp.post("/awards/next")
@require_api(*CONTROL)
def awards_next():
    """Decision, then names, then the next announcement."""
    awards.next_announcement(conference_id(), **press_args())
    return changed_state_response()


@bp.post("/awards/previous")
@require_api(*CONTROL)
def awards_previous():
    """One step back in the awards."""
    awards.previous_announcement(conference_id(), **press_args())
    return changed_state_response()


@bp.get("/devices")
@require_api(Role.ADMIN)
def devices_list():
    """The paired devices, revoked ones included."""
    return jsonify({"devices": [devices.device_json(d) for d in devices.list_devices(conference_id())]})


@bp.post("/devices")
@require_api(Role.ADMIN)
def devices_create():
    """Make a device: {"role", "label"} -> its token for programs and its single-use pairing
    address for a browser, each shown once; for a button box, which pairs no page, its press
    addresses instead of a pairing address."""
    data = body()
    made = devices.create_device(conference_id(), devices.parse_role(data.get("role")),
                                 devices.parse_label(data.get("label")))
    answer = {"device": devices.device_json(made.device), "token": made.token}
    if made.device.role == Role.BUTTON:
        answer["press_urls"] = press_addresses(request.host_url.rstrip("/"), made.token)
    else:
        answer["pair_url"] = f"{request.host_url}pair/{made.pairing}"
    return jsonify(answer), 201


@bp.post("/devices/<int:device_id>/pairing")
@require_api(Role.ADMIN)
def devices_new_pairing(device_id: int):
    """A new pairing address for a device, shown once; its old one stops working."""
    device, code = pairing.new_pairing(conference_id(), device_id)
    return jsonify({"device": devices.device_json(device), "pair_url": f"{request.host_url}pair/{code}"}), 201


@bp.delete("/devices/<int:device_id>")
@require_api(Role.ADMIN)
def devices_revoke(device_id: int):
    """Revoke a device: its token stops working at once, its open sockets are closed."""
    device = devices.revoke_device(conference_id(), device_id)
    realtime.disconnect_device(device.id)
    return jsonify({"device": devices.device_json(device)})
