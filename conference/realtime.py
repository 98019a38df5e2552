"""Live sync: the one place that emits. Every client gets the snapshot on connect and after each change.

With REDIS_URL set, Flask-SocketIO routes emits through Redis so every server process
delivers them to its own clients; the code here is the same either way.
"""
from __future__ import annotations

from flask import current_app, request, session
from flask_socketio import join_room

from .auth import principal_from_session
from .db import db
from .extensions import socketio
from .services.devices import authenticate
from .services.state import default_conference_id
from .snapshot import build_snapshot


def room(conference_id: int) -> str:
    return f"conference-{conference_id}"


def publish(conference_id: int) -> None:
    """Send the new snapshot of one conference to every screen that follows it."""
    snapshot = build_snapshot(conference_id)
    db.session.rollback()  # end the read transaction; the snapshot is plain data now
    socketio.emit("state", snapshot, to=room(conference_id))


@socketio.on("connect")
def on_connect(auth=None):
    """Check the token (auth dict or the paired cookie); anonymous clients may only watch."""
    token = auth.get("token") if isinstance(auth, dict) else None
    if token is not None:
        principal = authenticate(token)
        if principal is None:
            db.session.rollback()
            raise ConnectionRefusedError("invalid_token")
        conference_id = principal.conference_id
    else:
        principal = principal_from_session(session)
        conference_id = principal.conference_id if principal else default_conference_id()
    if conference_id is None:
        raise ConnectionRefusedError("no_conference")
    join_room(room(conference_id))
    socketio.emit("state", build_snapshot(conference_id), to=request.sid)
    db.session.rollback()
    current_app.logger.debug("socket %s joined conference %s", request.sid, conference_id)


@socketio.on("sync")
def on_sync(_data=None):
    """A client that doubts it is current asks again; the answer is the snapshot."""
    for name in socketio.server.rooms(request.sid):
        if name.startswith("conference-"):
            snapshot = build_snapshot(int(name.split("-", 1)[1]))
            db.session.rollback()
            return snapshot
    return None
