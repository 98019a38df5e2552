"""Who is driving: every MC console hears the labels of the MC devices connected to its
conference (the "drivers" event), across every server process.

Embedded (no REDIS_URL: one process) the list is this process's MC sockets, in memory.
Scale-out (REDIS_URL) each process keeps its own MC sockets' labels in Redis, one hash per
installation (its Socket.IO channel), database and conference: a field per process holding its
labels and the Redis time until which they hold, and a counter of changes. A process refreshes
its field every watch round; one that dies without a word (kill -9) stops refreshing, and its
labels drop out ENTRY_LIFETIME later. Redis away: each process tells its consoles its own list.

realtime.py calls arrive / leave from its socket handlers and watch from its watch loop.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import uuid

import redis
from flask import current_app
from flask_socketio import join_room

from conference.core.db import db
from conference.core.extensions import socketio

# Three watch rounds (realtime.WATCH_INTERVAL, 2 s): a round that comes late on a busy process
# does not drop its consoles, and a dead process's labels leave within ~8 s.
ENTRY_LIFETIME = 6
CHANGES = "changes"  # the hash's counter field; every other field is a process's entry
_BOOT = uuid.uuid4().hex[:12]  # with the pid: unique even if a pid is reused on another machine

_here: dict[str, tuple[tuple[str, int], str]] = {}  # sid of an MC socket here -> (_key, label)
_told: dict[tuple[str, int], list[str]] = {}  # _key -> the list this process's consoles were last sent
_changes_seen: dict[tuple[str, int], int | None] = {}  # _key -> the counter at the last watch round
_moved: dict[tuple[str, int], bool] = {}  # _key -> whether the counter moved at the last round


def mc_room(conference_id: int) -> str:
    """The MC consoles of a conference: they, and only they, hear who is driving."""
    return f"mc-{conference_id}"


def arrive(sid: str, conference_id: int, label: str) -> None:
    """An MC socket connected here: it joins the MC room, and every MC console hears it."""
    join_room(mc_room(conference_id), sid=sid)
    _here[sid] = (_key(conference_id), label)
    _publish(conference_id)


def leave(sid: str) -> None:
    """A socket closed here: if it was an MC console, the others hear it leave."""
    left = _here.pop(sid, None)
    if left is not None:
        _publish(left[0][1])


def follow(sids: list[str], conference_id: int) -> None:
    """Sockets moved to the conference just made active: its MC consoles hear, and count in, the
    new conference's drivers; the old conference's consoles hear them leave."""
    before = {_here[sid][0][1] for sid in sids if sid in _here}
    for sid in sids:
        if sid in _here:
            socketio.server.leave_room(sid, mc_room(_here[sid][0][1]), namespace="/")
            socketio.server.enter_room(sid, mc_room(conference_id), namespace="/")
            _here[sid] = (_key(conference_id), _here[sid][1])
    for moved_from in sorted(before - {conference_id}):
        _publish(moved_from)
    if before:
        _publish(conference_id)


def watch() -> None:
    """One watch round: keep this process's entries alive, and bring its consoles to the list."""
    if _client() is None:
        return  # one process: every change was told at once, nothing can have been missed
    database = str(db.engine.url)
    for conference_id in sorted({key[1] for key, _ in list(_here.values()) if key[0] == database}):
        _resync(conference_id)


def _publish(conference_id: int) -> None:
    """After a connect or a disconnect here: record it, then tell every process's MC consoles."""
    try:
        _, labels = _write_and_read(conference_id, changed=True)
    except redis.RedisError as error:
        # Only our own consoles: our list sent through the queue would erase the others' consoles.
        current_app.logger.warning("drivers: Redis unavailable (%s); telling this process's list", error)
        _tell_here(conference_id, _local_labels(_key(conference_id)))
        return
    _told[_key(conference_id)] = labels  # the emit below reaches this process's consoles too
    socketio.emit("drivers", {"drivers": labels}, to=mc_room(conference_id))


def _resync(conference_id: int) -> None:
    """Send this process's consoles the list if it changed without a word (a dead process's
    labels expired, Redis came back), and once more one round after any change.

    Only to the consoles here (ignore_queue): every process runs this for its own consoles, so
    through the queue each console would hear it once per process, and a process knows only what
    its own consoles were told; with Redis away, the queue is away too. The extra send a round after
    a change is for two changes told at once: the union read before the other's write may reach
    the consoles after the newer one (two publishes race through Redis), and be the last they
    hear; a round later both writes are in Redis, and the consoles hear the union of both.
    """
    key = _key(conference_id)
    try:
        changes, labels = _write_and_read(conference_id, changed=False)
    except redis.RedisError as error:
        current_app.logger.warning("drivers: Redis unavailable (%s); telling this process's list", error)
        changes, labels = None, _local_labels(key)
    moved_before, moved_now = _moved.get(key, False), changes != _changes_seen.get(key)
    _moved[key], _changes_seen[key] = moved_now, changes
    # A change made this round was told through the queue already: it is told again next round.
    if moved_before or (labels != _told.get(key) and not moved_now):
        _tell_here(conference_id, labels)


def _tell_here(conference_id: int, labels: list[str]) -> None:
    _told[_key(conference_id)] = labels
    socketio.emit("drivers", {"drivers": labels}, to=mc_room(conference_id), ignore_queue=True)


def _write_and_read(conference_id: int, changed: bool) -> tuple[int, list[str]]:
    """Without Redis: (0, this process's labels). With it: write this process's entry (remove it
    when no MC console is left here), then read every live entry: (counter, their union)."""
    key = _key(conference_id)
    labels, client = _local_labels(key), _client()
    if client is None:
        return 0, labels
    name, field = _hash_name(conference_id), f"{os.getpid()}-{_BOOT}"
    seconds, micro = client.time()  # Redis's clock: processes on machines whose clocks differ agree
    now = seconds + micro / 1e6
    with client.pipeline() as pipe:  # MULTI/EXEC: the read sees this write and every one before
        if labels:
            pipe.hset(name, field, json.dumps({"labels": labels, "until": now + ENTRY_LIFETIME}))
        else:
            pipe.hdel(name, field)
        if changed:
            pipe.hincrby(name, CHANGES, 1)
        pipe.expire(name, ENTRY_LIFETIME)  # gone once no process refreshes it
        pipe.hgetall(name)
        entries = pipe.execute()[-1]
    return int(entries.pop(CHANGES, 0)), _live_union(client, name, entries, now)


def _live_union(client: redis.Redis, name: str, entries: dict[str, str], now: float) -> list[str]:
    """The labels of the entries still alive; the dead ones are removed on the way."""
    live, dead = set(), []
    for field, value in entries.items():
        entry = json.loads(value)
        if entry["until"] > now:
            live.update(entry["labels"])
        else:
            dead.append(field)
    if dead:
        client.hdel(name, *dead)
    return sorted(live)


def _local_labels(key: tuple[str, int]) -> list[str]:
    return sorted({label for where, label in list(_here.values()) if where == key})


def _key(conference_id: int) -> tuple[str, int]:
    """Which conference of which database: several apps may share a process (the tests)."""
    return (str(db.engine.url), conference_id)


def _hash_name(conference_id: int) -> str:
    """Named by the channel and the database, so that installations sharing a Redis never mix."""
    database = hashlib.sha256(str(db.engine.url).encode()).hexdigest()[:16]
    return f"{current_app.config.get('SOCKETIO_CHANNEL', 'flask-socketio')}:drivers:{database}:{conference_id}"


def _client() -> redis.Redis | None:
    url = current_app.config.get("REDIS_URL")
    return _client_for(url) if url else None


@functools.lru_cache(maxsize=None)
def _client_for(url: str) -> redis.Redis:
    # Short timeouts: a connecting MC console waits at most about a second for a Redis that is away.
    return redis.Redis.from_url(url, decode_responses=True, socket_timeout=1, socket_connect_timeout=1)
