"""Server-side sessions: a sign-in or a pairing is a row; the browser's cookie holds only an opaque id.

Every cookie request looks its row up (one indexed select), so ending a session here ends it on
every process at once. last_seen_at is written at most once a minute, moving the idle limit on.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from conference.core.db import db, is_id, utcnow, write_transaction
from conference.core.errors import NotFound
from conference.core.models import LoginSession, Role
from conference.core.state import default_conference_id
from .principal import Principal

ID_BYTES = 32
MAX_ID_LENGTH = 128
TOUCH_EVERY = timedelta(minutes=1)


def _digest(opaque: str) -> str:
    return hashlib.sha256(opaque.encode("utf-8")).hexdigest()


def _idle(device: bool) -> timedelta:
    key = "DEVICE_SESSION_IDLE_HOURS" if device else "ACCOUNT_SESSION_IDLE_HOURS"
    return timedelta(hours=current_app.config[key])


def start_session(*, user_id: int | None = None, device_id: int | None = None,
                  ip: str | None = None, user_agent: str | None = None) -> str:
    """A new session for a user or a device. Returns its opaque id, the only time it exists in clear."""
    with write_transaction() as session:
        return add_session(session, user_id=user_id, device_id=device_id, ip=ip, user_agent=user_agent)


def add_session(session: sa.orm.Session, *, user_id: int | None = None, device_id: int | None = None,
                ip: str | None = None, user_agent: str | None = None) -> str:
    """start_session inside the caller's transaction (a pairing uses up its address in the same one)."""
    opaque = secrets.token_urlsafe(ID_BYTES)
    now = utcnow()
    session.add(LoginSession(id_hash=_digest(opaque), user_id=user_id, device_id=device_id,
                             created_at=now, last_seen_at=now, expires_at=now + _idle(device_id is not None),
                             ip=(ip or "")[:45] or None, user_agent=(user_agent or "")[:200] or None))
    return opaque


def session_principal(opaque: object) -> Principal | None:
    """The principal of a live session, or None if it is unknown, ended, idle too long, or its
    account or device is gone or revoked."""
    if not isinstance(opaque, str) or not opaque or len(opaque) > MAX_ID_LENGTH:
        return None
    row = db.session.scalar(sa.select(LoginSession).where(LoginSession.id_hash == _digest(opaque)))
    now = utcnow()
    if row is None or row.ended_at is not None or row.expires_at <= now:
        return None
    principal = _principal(row)
    if principal is not None and now - row.last_seen_at >= TOUCH_EVERY:
        _touch(row.id, now, now + _idle(row.device_id is not None))
    return principal


def _principal(row: LoginSession) -> Principal | None:
    if row.user is not None:
        conference_id = default_conference_id()
        if conference_id is None:
            return None
        return Principal(Role.ADMIN, conference_id, row.user.name, user_id=row.user.id,
                         account_role=row.user.role, session_id=row.id)
    device = row.device
    if device is None or device.revoked_at is not None:
        return None
    # A device serves the active conference, whichever it was paired under: a browser paired
    # before the office activated another follows it, as a Bearer caller does (devices.authenticate).
    serving = default_conference_id() or device.conference_id
    return Principal(device.role, serving, device.label, device.id, session_id=row.id)


def _touch(session_id: int, now: datetime, expires_at: datetime) -> None:
    with write_transaction() as session:
        session.execute(sa.update(LoginSession).where(LoginSession.id == session_id,
                                                      LoginSession.ended_at.is_(None))
                        .values(last_seen_at=now, expires_at=expires_at))


def end_session(opaque: object) -> None:
    """Sign-out: the session of this cookie ends (nothing happens for an unknown one)."""
    if not isinstance(opaque, str) or not opaque or len(opaque) > MAX_ID_LENGTH:
        return
    with write_transaction() as session:
        session.execute(sa.update(LoginSession).where(LoginSession.id_hash == _digest(opaque),
                                                      LoginSession.ended_at.is_(None))
                        .values(ended_at=utcnow()))


def end_session_by_id(session_id: int) -> LoginSession:
    """An administrator ends someone's session from /admin/users."""
    with write_transaction() as session:
        row = session.get(LoginSession, session_id) if is_id(session_id) else None
        if row is None or row.ended_at is not None or row.expires_at <= utcnow():
            raise NotFound("unknown_session", "Không tìm thấy phiên đăng nhập đang mở.")
        row.ended_at = utcnow()
    return row


def end_sessions_of(session: sa.orm.Session, *, user_id: int | None = None,
                    device_id: int | None = None) -> None:
    """Inside the caller's transaction: every open session of this user or device ends."""
    owner = LoginSession.user_id == user_id if user_id is not None else LoginSession.device_id == device_id
    session.execute(sa.update(LoginSession).where(owner, LoginSession.ended_at.is_(None))
                    .values(ended_at=utcnow()))


def open_sessions() -> list[LoginSession]:
    """Who is signed in now: live sessions, the most recently seen first."""
    return list(db.session.scalars(sa.select(LoginSession)
                                   .where(LoginSession.ended_at.is_(None), LoginSession.expires_at > utcnow())
                                   .order_by(LoginSession.last_seen_at.desc(), LoginSession.id.desc())))
