"""Live sync: the one place that emits. Every client gets the snapshot on connect and after each change.

With REDIS_URL set, Flask-SocketIO routes emits through Redis so every server process
delivers them to its own clients; each process also watches its own sockets (start_watch).
Which MC consoles are connected (the "drivers" event) is kept by consoles.py.
"""
from __future__ import annotations

import threading
import time

import sqlalchemy as sa
from flask import current_app, g, request, session
from flask_socketio import join_room

from conference.accounts.devices import active_devices, authenticate, mark_seen
from conference.accounts.guards import SESSION_KEY, principal_from_session
from conference.core.db import db
from conference.core.extensions import socketio
from conference.core.models import Role, ShowState
from conference.core.state import default_conference_id
from conference.me import phones
from conference.me.programme import documents_view, programme_view
from conference.speakers import queue as speakers
from conference.show.stage.cues import sound_device_id
from . import consoles
from .snapshot import build_snapshot

DEVICE_KEY = "socket_device_id"  # kept in this socket's own session (Flask-SocketIO manages it)


def room(conference_id: int) -> str:
    return f"conference-{conference_id}"


def device_room(device_id: int) -> str:
    return f"device-{device_id}"


def delegates_room(conference_id: int) -> str:
    """The delegates' phones (/me): they get the "programme" event, never the screens' snapshot."""
    return f"delegates-{conference_id}"


def phone_room(phone_id: int) -> str:
    return f"phone-{phone_id}"


def disconnect_phone(phone_id: int) -> None:
    """Close the live connection a just-released phone has open on this process (elsewhere: its
    next sync or reconnect is refused)."""
    for sid, _ in list(socketio.server.manager.get_participants("/", phone_room(phone_id))):
        socketio.server.disconnect(sid, namespace="/")


def programme(conference_id: int, snapshot: dict) -> dict:
    """The phones' view of this snapshot: one query (their documents), then plain data."""
    try:
        # the queue as ids only: a phone finds its own place by its own request's id
        return {**programme_view(snapshot, documents_view(conference_id)),
                "speakers": speakers.programme_json(snapshot.get("speakers"))}
    finally:
        db.session.rollback()


def publish(conference_id: int) -> None:
    """Send the new snapshot of one conference to every screen that follows it.

    Called after each commit (core/db.py write_transaction; create_app installs it). When no other publish
    of this conference is under way in this process, the snapshot is built and sent right here,
    in the caller's thread, as before. When one is (twenty doors scanning at once), this change is
    folded into one more snapshot that a background task sends as soon as that one is out, at
    most every BURST_INTERVAL: screens still end on the newest state, but a burst of N check-ins
    costs a few snapshots instead of N (bench/checkin_load.py measures the difference).
    """
    published = g.setdefault(_PUBLISHED, {})
    published.pop(conference_id, None)  # a snapshot published earlier in this request is no longer current
    with _publishing.lock:
        if conference_id in _publishing.busy:
            _publishing.again.add(conference_id)
            return
        _publishing.busy.add(conference_id)
    # Served on gevent, nothing else runs while this snapshot is built (its queries do not yield),
    # so no other change could fold into it: every check-in built a snapshot of its own. One yield
    # first lets the doors whose answers are ready commit and fold theirs (a thread is preempted).
    socketio.sleep(0)
    try:
        published[conference_id] = _send(conference_id)
    finally:
        _hand_over(current_app._get_current_object(), conference_id)


def snapshot_after_change(conference_id: int) -> dict:
    """The snapshot to answer a change with: the one this request has just sent to the screens, if
    it sent one (the MC sees what the hall sees), else the current one.

    After the emit, three hundred sending threads compete for the interpreter, so the query this
    saves is time the MC does not wait (bench/fanout.py).
    """
    published = g.get(_PUBLISHED, {}).get(conference_id)
    return {**published} if published is not None else build_snapshot(conference_id)


class _Publishing:
    """Which conferences have a publish under way here, and which changed again meanwhile."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.busy: set[int] = set()
        self.again: set[int] = set()


_publishing = _Publishing()
_PUBLISHED = "conference_published_snapshots"  # in flask.g: conference id -> snapshot sent by this request
BURST_INTERVAL = 0.1  # seconds between snapshots while changes keep coming


def _send(conference_id: int) -> dict:
    """Build and emit the snapshot; returns it."""
    snapshot = build_snapshot(conference_id)
    db.session.rollback()  # end the read transaction; the snapshot is plain data now
    _emit_to_screens(conference_id, snapshot)
    return snapshot


# --- Each process watches its own sockets, every WATCH_INTERVAL, in one background task that
# runs while it has any (a process with no screens queries nothing):
# 1. Screens end on the newest state. A snapshot sent through Redis can be lost (Redis
#    restarting, this process's subscription reconnecting, the process that made the change
#    dying between its commit and its publish), and a change made outside the server (the CLI's
#    import-delegates) is published by nobody. So the version in the database is compared with
#    the newest this process has sent, and a version the database already had one round ago and
#    that is still not sent goes to this process's screens only (ignore_queue). One round of
#    grace because a publish under way here (building a snapshot, sending it to 300 screens)
#    must not be doubled. A change made by another process is therefore sent twice to the
#    screens here (once through Redis, once by this check), which screens take as a repeat;
#    nothing is sent while nothing changes. A lost change arrives within two rounds.
# 2. A revoked device loses its sockets everywhere. The process that revokes closes its own at
#    once (disconnect_device); the others, or every process when the CLI revoked, within one interval.
# 3. The office sees when each device was last connected: Device.last_seen_at, written for the
#    devices connected here at most once every SEEN_INTERVAL each (one UPDATE for all of them).
# 4. The MC consoles hear who is driving on every process: consoles.watch keeps this process's
#    entry in Redis alive and repairs its consoles' list.
WATCH_INTERVAL = 2.0
SEEN_INTERVAL = 60.0
_sent: dict[tuple[str, int], int] = {}  # (database, conference id) -> newest version sent here
_in_database: dict[tuple[str, int], int] = {}  # the same key -> its version at the last round
_marked_seen: dict[tuple[str, int], float] = {}  # (database, device id) -> last written (monotonic)
_watching = threading.Lock()


def _sent_key(conference_id: int) -> tuple[str, int]:
    return (str(db.engine.url), conference_id)


def _remember_sent(conference_id: int, version: int) -> None:
    key = _sent_key(conference_id)
    _sent[key] = max(_sent.get(key, 0), version)


def _emit_to_screens(conference_id: int, snapshot: dict, **options) -> None:
    """Emit a snapshot to the conference's room, noting its version first: sending to 300
    screens takes a while, and the watch must not send the same version again meanwhile.
    If the emit fails (Redis away), the note is taken back so that the watch sends it."""
    key = _sent_key(conference_id)
    before = _sent.get(key, 0)
    _remember_sent(conference_id, snapshot["version"])
    try:
        socketio.emit("state", snapshot, to=room(conference_id), **options)
        socketio.emit("programme", programme(conference_id, snapshot), to=delegates_room(conference_id), **options)
    except Exception:
        if _sent.get(key) == snapshot["version"] > before:
            _sent[key] = before
        raise


def _local_rooms(prefix: str) -> list[int]:
    """The ids of this process's rooms named prefix-<id> that have someone in them."""
    rooms = socketio.server.manager.rooms.get("/", {})
    return [int(name.split("-", 1)[1]) for name, members in list(rooms.items())
            if isinstance(name, str) and name.startswith(prefix) and members]


def start_watch(app) -> None:
    """Start this process's watch unless it runs already (called by every socket that connects)."""
    with _watching:
        if app.extensions.get("conference_watch"):
            return
        app.extensions["conference_watch"] = True
    socketio.start_background_task(_watch_loop, app, socketio.server)


def _watch_loop(app, server) -> None:
    while True:
        socketio.sleep(WATCH_INTERVAL)
        with _watching:  # a socket joins its room before it calls start_watch: none is missed
            # A server process has one app. Where one process makes several (the tests), each
            # new app takes over the Socket.IO server, and the watch of the one before ends.
            if socketio.server is not server or not (_local_rooms("conference-") or _local_rooms("delegates-")):
                app.extensions["conference_watch"] = False
                return
        try:
            with app.app_context():
                consoles.watch()  # first: it needs Redis only, and a database hiccup must not stop it
                follow_active_conference()
                resync_local_screens()
                close_revoked_sockets()
                mark_connected_devices_seen()
        except Exception:  # noqa: BLE001 - a database hiccup must not end the watch
            app.logger.exception("watching this process's sockets failed")


def resync_local_screens() -> list[int]:
    """Send the snapshot to this process's screens of every conference whose version moved on
    without them. Returns the conferences sent."""
    # The delegates' phones (delegates-<id>) are caught up by the same emit as the screens.
    followed = sorted(set(_local_rooms("conference-")) | set(_local_rooms("delegates-")))
    if not followed:
        return []
    versions = db.session.execute(sa.select(ShowState.conference_id, ShowState.version)
                                  .where(ShowState.conference_id.in_(followed))).all()
    db.session.rollback()
    sent = []
    for conference_id, version in versions:
        key = _sent_key(conference_id)
        overdue = _in_database.get(key, 0) > _sent.get(key, 0)
        _in_database[key] = version
        if overdue:
            snapshot = build_snapshot(conference_id)
            db.session.rollback()
            _emit_to_screens(conference_id, snapshot, ignore_queue=True)
            sent.append(conference_id)
    return sent


def follow_active_conference() -> list[str]:
    """Move this process's screens that follow another conference to the active one and send
    them its snapshot: activating switches every screen live, no reload, no re-pairing (the
    activating process at once, the others and the CLI's activate within one watch round)."""
    active = default_conference_id()
    db.session.rollback()
    moved = []
    for conference_id in _local_rooms("conference-"):
        if active is None or conference_id == active:
            continue
        for sid, _ in list(socketio.server.manager.get_participants("/", room(conference_id))):
            socketio.server.leave_room(sid, room(conference_id), namespace="/")
            socketio.server.enter_room(sid, room(active), namespace="/")
            moved.append(sid)
    if moved:
        consoles.follow(moved, active)
        snapshot = build_snapshot(active)
        db.session.rollback()
        for sid in moved:
            socketio.emit("state", snapshot, to=sid)
    return moved


def close_revoked_sockets() -> list[int]:
    """Close this process's sockets of devices revoked (or deleted) elsewhere. Returns their ids."""
    connected = _local_rooms("device-")
    gone = sorted(set(connected) - active_devices(connected)) if connected else []
    for device_id in gone:
        disconnect_device(device_id)
    return gone


def mark_connected_devices_seen() -> list[int]:
    """Write last_seen_at for the devices connected here that were not marked lately."""
    now, database = time.monotonic(), str(db.engine.url)
    due = [device_id for device_id in _local_rooms("device-")
           if now - _marked_seen.get((database, device_id), -SEEN_INTERVAL) >= SEEN_INTERVAL]
    if due:
        mark_seen(due)
        _marked_seen.update(((database, device_id), now) for device_id in due)
    return due


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
    """Close the sockets a just-revoked device has open on this process (the others: the watch)."""
    for sid, _ in list(socketio.server.manager.get_participants("/", device_room(device_id))):
        socketio.server.disconnect(sid, namespace="/")


def _principal(auth):
    """(principal or None, refused reason or None) for a connecting socket."""
    token = auth.get("token") if isinstance(auth, dict) else None
    if token is not None:
        principal = authenticate(token)
        return principal, None if principal else "invalid_token"
    if session.get(SESSION_KEY):
        principal = principal_from_session(session)  # a paired page's cookie, checked again
        return principal, None if principal else "invalid_token"
    return None, None


def _delegate_connect() -> None:
    """A delegate's page: the phone's cookie is checked (a released phone is refused), and the
    socket joins its conference's delegates' room only, so it never receives the screens' snapshot."""
    try:
        held = phones.phone(session.get(phones.COOKIE_KEY))
        conference_id, phone_id = (held.conference_id, held.id) if held else (None, None)
    finally:
        db.session.rollback()
    if held is None:
        raise ConnectionRefusedError("not_signed_in")
    first_here = not socketio.server.manager.rooms.get("/", {}).get(delegates_room(conference_id))
    join_room(delegates_room(conference_id))
    join_room(phone_room(phone_id))
    snapshot = build_snapshot(conference_id)
    socketio.emit("programme", programme(conference_id, snapshot), to=request.sid)
    if first_here and not socketio.server.manager.rooms.get("/", {}).get(room(conference_id)):
        _remember_sent(conference_id, snapshot["version"])  # nobody here holds an older state
    start_watch(current_app._get_current_object())  # a lost publish reaches the phones too
    db.session.rollback()


@socketio.on("connect")
def on_connect(auth=None):
    """Check the token (auth dict or the paired cookie); anonymous clients may only watch.
    A delegate's page asks for its own view (auth {"delegate": true}): _delegate_connect."""
    if isinstance(auth, dict) and auth.get("delegate") is True:
        return _delegate_connect()
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
    first_here = not socketio.server.manager.rooms.get("/", {}).get(room(conference_id))
    join_room(room(conference_id))
    if principal and principal.device_id is not None:
        join_room(device_room(principal.device_id))
    if principal and principal.role == Role.MC:
        consoles.arrive(request.sid, conference_id, principal.label)
    snapshot = build_snapshot(conference_id)
    socketio.emit("state", snapshot, to=request.sid)
    if first_here:  # no screen here holds an older state: the watch need not send this one again
        _remember_sent(conference_id, snapshot["version"])
    start_watch(current_app._get_current_object())
    db.session.rollback()
    current_app.logger.debug("socket %s joined conference %s", request.sid, conference_id)


@socketio.on("disconnect")
def on_disconnect(*_reason):
    """An MC console gone: the others see it leave the drivers."""
    consoles.leave(request.sid)


def _delegate_sync(conference_id: int) -> dict | None:
    """A phone asking again: its programme view, unless the office released it meanwhile."""
    if phones.phone(session.get(phones.COOKIE_KEY)) is None:
        socketio.server.disconnect(request.sid, namespace="/")
        return None
    return programme(conference_id, build_snapshot(conference_id))


@socketio.on("sync")
def on_sync(_data=None):
    """A client that doubts it is current asks again; the answer is the snapshot.

    A device revoked since it connected is disconnected instead.
    """
    try:
        device_id = session.get(DEVICE_KEY)
        if device_id is not None and device_id not in active_devices([device_id]):
            socketio.server.disconnect(request.sid, namespace="/")
            return None
        for name in socketio.server.rooms(request.sid):
            if name.startswith("conference-"):
                return build_snapshot(int(name.split("-", 1)[1]))
            if name.startswith("delegates-"):
                return _delegate_sync(int(name.split("-", 1)[1]))
        return None
    finally:
        db.session.rollback()


@socketio.on("sound")
def on_sound(status=None):
    """The sound page says whether sound is armed and what it plays; the MC consoles are told
    ("sound", to the MC consoles only; the page repeats it every few seconds, so a console that
    connects later hears it). Only the projector that is the sound page is heard (show/stage/cues.py)."""
    try:
        device_id = session.get(DEVICE_KEY)
        conference_id = next((int(name.split("-", 1)[1]) for name in socketio.server.rooms(request.sid)
                              if name.startswith("conference-")), None)
        if device_id is None or conference_id is None or not isinstance(status, dict) \
                or sound_device_id(conference_id) != device_id:
            return
        playing = status.get("playing")
        socketio.emit("sound", {"armed": status.get("armed") is True,
                                "playing": playing[:200] if isinstance(playing, str) else None},
                      to=consoles.mc_room(conference_id))
    finally:
        db.session.rollback()
