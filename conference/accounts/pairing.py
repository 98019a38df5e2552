"""Pairing addresses: /pair/<code> pairs one browser, once, within PAIRING_VALID_FOR of being made.

The code is not the device's token. The hall's Wi-Fi is open and the address travels over it in
clear, and a QR on the office's screen can be photographed: so the address must be worth nothing
once it has done its work. The first browser that opens it is paired, every later one is refused
(410, "already used"), and an address nobody opened stops working after PAIRING_VALID_FOR (410,
"expired"). The token (a program's Bearer, a button box's press addresses) is never in it.

A new address (new_pairing) replaces the old one, which then pairs nothing. The browsers the device
already paired stay paired: the address was the way in, not the session, and the office ends those
by revoking the device (devices.revoke_device).
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa

from conference.core.db import is_id, utcnow, write_transaction
from conference.core.errors import N_, ConferenceError, Conflict, NotFound
from conference.core.models import Device, Role
from conference.core.state import bump_version
from .sessions import add_session

PAIRING_VALID_FOR = timedelta(hours=24)  # an unused address; the office can make a new one any time
CODE_BYTES = 32
MAX_CODE_LENGTH = 128
GONE = 410  # the address existed and will never work again


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def give_pairing(device: Device, now: datetime) -> str:
    """Inside the caller's transaction: a new pairing code for DEVICE, returned once in clear.
    Any earlier code of the device stops working."""
    code = secrets.token_urlsafe(CODE_BYTES)
    device.pairing_hash = _digest(code)
    device.pairing_expires_at = now + PAIRING_VALID_FOR
    device.paired_at = None
    return code


def new_pairing(conference_id: int, device_id: int) -> tuple[Device, str]:
    """A new pairing address for a device (the office's one click); the old one pairs nothing now."""
    with write_transaction() as session:
        device = session.get(Device, device_id) if is_id(device_id) else None
        if device is None:  # devices belong to the install, not to one conference
            raise NotFound("unknown_device", "Không tìm thấy thiết bị.")
        if device.revoked_at is not None:
            raise Conflict("device_revoked", "Thiết bị này đã bị thu hồi: hãy tạo thiết bị mới.")
        if device.role == Role.BUTTON:
            raise Conflict("button_has_no_pairing", "Hộp nút bấm không ghép trang nào: nó dùng các địa chỉ bấm nút.")
        code = give_pairing(device, utcnow())
    return device, code


def pair_browser(code: object, *, ip: str | None, user_agent: str | None) -> tuple[Device, str]:
    """A browser opens a pairing address: the address is used up and the browser's session is
    opened in one transaction, so two browsers opening it at once pair one. Returns the device
    and the session's opaque id; refuses an unknown, used, expired or revoked address."""
    if not isinstance(code, str) or not code or len(code) > MAX_CODE_LENGTH:
        raise _unknown()
    digest, now = _digest(code), utcnow()
    with write_transaction() as session:
        # One conditional UPDATE claims the address: whoever runs it second finds paired_at set.
        claimed = session.execute(
            sa.update(Device).where(Device.pairing_hash == digest, Device.paired_at.is_(None),
                                    Device.pairing_expires_at > now, Device.revoked_at.is_(None),
                                    Device.role != Role.BUTTON)
            .values(paired_at=now)).rowcount
        device = session.scalar(sa.select(Device).where(Device.pairing_hash == digest))
        if not claimed:
            raise _why_refused(device)
        if device.role == Role.DISPLAY:  # the first projector paired plays the sound cues (show/stage)
            bump_version(device.conference_id)
        return device, add_session(session, device_id=device.id, ip=ip, user_agent=user_agent)


def pairing_state(device: Device) -> str | None:
    """What the office's list says of a device's pairing address: "paired" (used), "waiting" (until
    pairing_expires_at), "expired", or None (a button box, a revoked device, no address made)."""
    if device.revoked_at is not None or device.pairing_hash is None:
        return None
    if device.paired_at is not None:
        return "paired"
    return "waiting" if device.pairing_expires_at > utcnow() else "expired"


class PairingUsed(ConferenceError):
    """The address already paired a browser; device_id says whose, so that the very browser it
    paired, opening it again, can be let through rather than told off."""

    def __init__(self, device_id: int):
        super().__init__("pairing_used", N_("Địa chỉ ghép này đã được dùng: mỗi địa chỉ chỉ ghép được một máy. "
                                             "Xin văn phòng tạo địa chỉ ghép mới cho thiết bị này."), status=GONE)
        self.device_id = device_id


def _why_refused(device: Device | None) -> ConferenceError:
    """Why an address that claimed nothing was refused: by then it is unknown, used or expired."""
    if device is None or device.revoked_at is not None or device.role == Role.BUTTON:
        return _unknown()
    if device.paired_at is not None:
        return PairingUsed(device.id)
    return ConferenceError("pairing_expired", "Địa chỉ ghép này đã hết hạn (chỉ dùng được trong %(hours)s giờ "
                           "sau khi tạo). Xin văn phòng tạo địa chỉ ghép mới.", status=GONE,
                           hours=int(PAIRING_VALID_FOR.total_seconds() // 3600))


def _unknown() -> ConferenceError:
    return NotFound("unknown_pairing", "Địa chỉ ghép này không đúng hoặc thiết bị đã bị thu hồi. "
                                       "Xin văn phòng tạo địa chỉ ghép mới.")
