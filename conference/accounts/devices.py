"""Devices and their tokens: making them, authenticating every request and socket, revoking.
A browser is paired by a pairing address of its own, not by the token: pairing.py."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa

from conference.core.db import db, is_id, utcnow, write_transaction
from conference.core.errors import ConferenceError, NotFound
from conference.core.fields import Codes, bounded_text
from conference.core.models import Device, Role
from conference.core.state import ACTIVE_CONFERENCE_ID, bump_version
from conference.core.textnorm import clean
from .pairing import give_pairing
from .principal import Principal
from .sessions import end_sessions_of

TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 128
MAX_LABEL = 80


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def parse_role(value: object) -> Role:
    try:
        return Role(value) if isinstance(value, str) else Role(None)
    except ValueError:
        raise ConferenceError("invalid_role", "Vai trò phải là admin, mc, door, display hoặc button.") from None


def parse_label(value: object) -> str | None:
    """A device's name as sent, or None for a default one; docs/API.md §6.6 names one code, invalid_label."""
    return bounded_text(value, MAX_LABEL, "Tên thiết bị", Codes.one("invalid_label"))


def device_json(device: Device) -> dict:
    """A device for the API: never a token nor a pairing code, only when its address was used or expires."""
    return {"id": device.id, "role": device.role.value, "label": device.label,
            "created_at": device.created_at.isoformat(), "revoked_at": _iso(device.revoked_at),
            "last_seen_at": _iso(device.last_seen_at),
            "paired_at": _iso(device.paired_at), "pairing_expires_at": _iso(device.pairing_expires_at)}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


class NewDevice(NamedTuple):
    """A device just made, with its secrets in clear, this once: token for programs (Bearer, or a
    button box's press addresses), pairing for a browser's /pair/<pairing> (None: none was made)."""
    device: Device
    token: str
    pairing: str | None


def create_device(conference_id: int, role: Role, label: str | None = None, *,
                  pairing: bool = True) -> NewDevice:
    """Make a device, its token and, unless it is a button box or pairing is False (a program's
    device), its pairing code (accounts/pairing.py). Only their hashes are kept."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with write_transaction() as session:
        count = session.scalar(sa.select(sa.func.count()).select_from(Device)  # of the install: see list_devices
                               .where(Device.role == role))
        now = utcnow()
        device = Device(conference_id=conference_id, role=role, token_hash=_digest(token), created_at=now,
                        label=clean(label)[:MAX_LABEL] or _default_label(role, count + 1))
        code = give_pairing(device, now) if pairing and role != Role.BUTTON else None
        session.add(device)
    return NewDevice(device, token, code)


def _default_label(role: Role, number: int) -> str:
    names = {Role.DOOR: "Cửa", Role.MC: "MC", Role.DISPLAY: "Màn hình", Role.ADMIN: "Quản trị",
             Role.BUTTON: "Nút bấm"}
    return f"{names[role]} {number}"


def authenticate(token: str | None) -> Principal | None:
    """The principal for a token, or None if it is unknown, malformed or revoked. A device
    serves the active conference, whichever it was paired in (the door is the door).
    A button box's token is None here too: it presses through its press addresses only
    (authenticate_button), so as a Bearer or on a socket it opens nothing. No token pairs a
    browser: /pair takes a pairing code (pairing.py)."""
    found = _active_device(token)
    if found is None or found.role == Role.BUTTON:
        return None
    return _principal(found)


def authenticate_button(token: str | None) -> Principal | None:
    """The principal of a button box's token, or None for any other: an MC's or the office's
    token in a press address is refused, so that address can only ever press."""
    found = _active_device(token)
    return _principal(found) if found is not None and found.role == Role.BUTTON else None


# Every request of a device (each scan of a door) is authenticated: what the principal needs of the
# device and the id of the active conference it serves come back in one statement, built once, of
# plain columns (no Device object to load and track: a Core statement, bench/checkin_profile.py).
_DEVICES = Device.__table__
_DEVICE_BY_TOKEN = (sa.select(_DEVICES.c.id, _DEVICES.c.role, _DEVICES.c.label, _DEVICES.c.conference_id,
                              ACTIVE_CONFERENCE_ID.scalar_subquery().label("active_conference_id"))
                    .where(_DEVICES.c.token_hash == sa.bindparam("token_hash"), _DEVICES.c.revoked_at.is_(None)))


def _active_device(token: str | None) -> sa.Row | None:
    """The device of a token, unrevoked, with the active conference's id (None while there is none)."""
    if not token or not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        return None
    return db.session.execute(_DEVICE_BY_TOKEN, {"token_hash": _digest(token)}).first()


def _principal(device: sa.Row) -> Principal:
    return Principal(device.role, device.active_conference_id or device.conference_id, device.label, device.id)


def revoke_device(conference_id: int, device_id: int) -> Device:
    with write_transaction() as session:
        device = session.get(Device, device_id) if is_id(device_id) else None
        if device is None:  # devices belong to the install, not to one conference
            raise NotFound("unknown_device", "Không tìm thấy thiết bị.")
        device.revoked_at = device.revoked_at or utcnow()
        end_sessions_of(session, device_id=device.id)  # its paired browsers are signed out too
        if device.role == Role.DISPLAY:  # it may have been the sound page (show/stage): another takes over
            bump_version(device.conference_id)
    return device


def active_devices(device_ids: list[int]) -> set[int]:
    """Those of device_ids still allowed in (not revoked, not deleted)."""
    return set(db.session.scalars(sa.select(Device.id).where(Device.id.in_(device_ids),
                                                            Device.revoked_at.is_(None))))


def mark_seen(device_ids: list[int]) -> None:
    """Note that these devices are connected now (shown to the office; not part of any snapshot)."""
    with write_transaction() as session:
        session.execute(sa.update(Device).where(Device.id.in_(device_ids), Device.revoked_at.is_(None))
                        .values(last_seen_at=utcnow()))


def list_devices(conference_id: int) -> list[Device]:
    """Every device of the install: each one serves whichever conference is active."""
    return list(db.session.scalars(sa.select(Device).order_by(Device.role, Device.id)))
