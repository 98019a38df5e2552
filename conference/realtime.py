"""Live sync: the one place that emits. Every client gets the snapshot on connect and after each change.

With REDIS_URL set, Flask-SocketIO routes emits through Redis so every server process
delivers them to its own clients; the code here is the same either way.
"""
from __future__ import annotations

import threading

from flask import current_app, request, session
from flask_socketio import join_room

from .auth import principal_from_session
from .db import db
from .extensions import socketio
from .services.devices import authenticate, is_active
from .services.state import default_conference_id
from .snapshot import build_snapshot

DEVICE_KEY = "socket_device_id"  # kept in this socket's own session (Flask-SocketIO manages it)


def room(conference_id: int) -> str:
    return f"conference-{conference_id}"


def device_room(device_id: int) -> str:
    return f"device-{device_id}"


def publish(conference_id: int) -> None:
    """Send the new snapshot of one conference to every screen that follows it.

    Called after each commit. When no other publish of this conference is under way in this
    process, the snapshot is built and sent right here, in the caller's thread, as before.
    When one is (twenty doors scanning at once), this change is folded into one more snapshot
    that a background task sends as soon as that one is out, at most every BURST_INTERVAL:
    screens still end on the newest state, but a burst of N check-ins costs a few snapshots
    instead of N (bench/checkin_load.py measures the difference).
    """
    with _publishing.lock:
        if conference_id in _publishing.busy:
            _publishing.again.add(conference_id)
            return
        _publishing.busy.add(conference_id)
    try:
        _send(conference_id)
    finally:
        _hand_over(current_app._get_current_object(), conference_id)


class _Publishing:
    """Which conferences have a publish under way here, and which changed again meanwhile."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.busy: set[int] = set()
        self.again: set[int] = set()


_publishing = _Publishing()
BURST_INTERVAL = 0.1  # seconds between snapshots while changes keep coming


def _send(conference_id: int) -> None:
    snapshot = build_snapshot(conference_id)
    db.session.rollback()  # end the read transaction; the snapshot is plain data now
    socketio.emit("state", snapshot, to=room(conference_id))


def _hand_over(app, conference_id: int) -> None:
    """Release the conference, or, if it changed meanwhile, let a background task send the rest."""
    with _publishing.lock:
        if conference_id not in _publishing.again:
            _publishing.busy.discard(conference_id)
            return
        _publishing.again.discard(conference_id)
    socketio.start_background_task(_send_trailing, app, conference_id)


def _send_trailing(app, conference_id: int) -> None:
    """Send the latest snapshot until no change is left, pacing a burst (keeps busy meanwhile)."""
    while True:
        socketio.sleep(BURST_INTERVAL)
        try:
            with app.app_context():
                _send(conference_id)
        except Exception:  # noqa: BLE001 - never leave the conference marked busy
            app.logger.exception("publishing conference %s failed", conference_id)
        with _publishing.lock:
            if conference_id not in _publishing.again:
                _publishing.busy.discard(conference_id)
                return
            _publishing.again.discard(conference_id)


def disconnect_device(device_id: int) -> None:
    """Close the sockets a just-revoked device has open on this process.

    Sockets on other processes (REDIS_URL) are refused at their next sync or reconnect.
    """
    for sid, _ in list(socketio.server.manager.get_participants("/", device_room(device_id))):
        socketio.server.disconnect(sid, namespace="/")


def _principal(auth):
    """(principal or None, refused reason or None) for a connecting socket."""
    token = auth.get("token") if isinstance(auth, dict) else None
    if token is not None:
        principal = authenticate(token)
        return principal, None if principal else "invalid_token"
    if session.get("device_token") or session.get("admin"):
        principal = principal_from_session(session)  # a paired page's cookie, checked again
        return principal, None if principal else "invalid_token"
    return None, None


@socketio.on("connect")
def on_connect(auth=None):
    """Check the token (auth dict or the paired cookie); anonymous clients may only watch."""
    try:
        principal, refused = _principal(auth)
        conference_id = principal.conference_id if principal else default_conference_id()
    finally:
        db.session.rollback()
    if refused:
        raise ConnectionRefusedError(refused)
    if conference_id is None:
        raise ConnectionRefusedError("no_conference")
    session[DEVICE_KEY] = principal.device_id if principal else None
    join_room(room(conference_id))
    if principal and principal.device_id is not None:
        join_room(device_room(principal.device_id))
    socketio.emit("state", build_snapshot(conference_id), to=request.sid)
    db.session.rollback()
    current_app.logger.debug("socket %s joined conference %s", request.sid, conference_id)


@socketio.on("sync")
def on_sync(_data=None):
    """A client that doubts it is current asks again; the answer is the snapshot.

    A device revoked since it connected is disconnected instead.
    """
    try:
        device_id = session.get(DEVICE_KEY)
        if device_id is not None and not is_active(device_id):
            socketio.server.disconnect(request.sid, namespace="/")
            return None
        for name in socketio.server.rooms(request.sid):
            if name.startswith("conference-"):
                return build_snapshot(int(name.split("-", 1)[1]))
        return None
    finally:
        db.session.rollback()
