"""A delegate's page is open on one phone. The badge code (/me/<code>) opens it; the phone keeps an
opaque id in its cookie, and only the id's hash is kept here (as for the office's sessions,
accounts/sessions.py). A second phone with the same code is refused until the office or the door
releases the first, which signs that first phone out on its next request."""
from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa

from conference.checkin import badgecodes
from conference.core.db import db, is_id, utcnow, write_transaction
from conference.core.errors import ConferenceError, NotFound
from conference.core.models import Badge, Delegate, DelegatePhone
from conference.core.state import default_conference_id

ID_BYTES = 32
MAX_ID_LENGTH = 128
COOKIE_KEY = "me"  # the phone's id in the (signed) session cookie, beside nothing else of an office sign-in


class PhoneTaken(ConferenceError):
    """The badge's page is open on another phone."""
    status = 409


def _digest(opaque: str) -> str:
    return hashlib.sha256(opaque.encode("utf-8")).hexdigest()


def _unknown_code() -> NotFound:
    # The same words for a code never issued, a revoked one or one of another conference: no hint
    # that a code is close to a real one.
    return NotFound("unknown_badge", "Không có thẻ đại biểu nào với mã này. Hãy xem lại mã in dưới mã QR trên thẻ.")


def open_on_phone(code: object, opaque: object, user_agent: str | None = None) -> tuple[Delegate, str]:
    """The delegate of a badge code of the active conference and the phone's id to keep in its
    cookie: this phone's own id when it already holds the page, a new one when no phone does.
    Refused (PhoneTaken) while another phone holds it; an unknown code is refused with NotFound."""
    normal = badgecodes.normalise(code)
    held = phone(opaque)
    if held is not None and normal is not None and held.delegate.badge_code == normal:
        return held.delegate, str(opaque)  # this phone again: nothing to write
    fresh = secrets.token_urlsafe(ID_BYTES)
    with write_transaction() as session:
        delegate = _delegate_of(session, normal)
        if session.scalar(sa.select(DelegatePhone.id).where(DelegatePhone.delegate_id == delegate.id,
                                                           DelegatePhone.released_at.is_(None))) is not None:
            raise PhoneTaken("phone_taken", "Trang của thẻ này đang mở trên một điện thoại khác. Hãy nhờ bàn "
                                            "đón tiếp hoặc văn phòng giải phóng nó, rồi mở lại.")
        session.add(DelegatePhone(conference_id=delegate.conference_id, delegate_id=delegate.id,
                                  token_hash=_digest(fresh), created_at=utcnow(),
                                  user_agent=(user_agent or "")[:200] or None))
    return delegate, fresh


def _delegate_of(session, normal: str | None) -> Delegate:
    active = default_conference_id()
    if normal is None or active is None:
        raise _unknown_code()
    delegate = session.scalar(sa.select(Delegate).join(Badge, Badge.delegate_id == Delegate.id)
                              .where(Badge.code == normal, Badge.revoked_at.is_(None),
                                     Badge.conference_id == active))
    if delegate is None:
        raise _unknown_code()
    return delegate


def phone(opaque: object) -> DelegatePhone | None:
    """The unreleased phone this cookie id names, with its delegate, or None."""
    if not isinstance(opaque, str) or not opaque or len(opaque) > MAX_ID_LENGTH:
        return None
    return db.session.scalar(sa.select(DelegatePhone).where(DelegatePhone.token_hash == _digest(opaque),
                                                           DelegatePhone.released_at.is_(None)))


def phone_of(delegate_id: int) -> DelegatePhone | None:
    """The phone a delegate's page is open on now, for the office."""
    return db.session.scalar(sa.select(DelegatePhone).where(DelegatePhone.delegate_id == delegate_id,
                                                           DelegatePhone.released_at.is_(None)))


def release_phone(conference_id: int, delegate_id: object, by: str) -> DelegatePhone:
    """The office or the door frees a delegate's page for another phone (a lost or changed phone);
    the phone that held it is signed out. Refused when no phone holds it. Returns the released
    phone (its delegate with it), whose live connection the caller closes."""
    with write_transaction() as session:
        delegate = session.get(Delegate, delegate_id) if is_id(delegate_id) else None
        if delegate is None or delegate.conference_id != conference_id:
            raise NotFound("unknown_delegate", "Không tìm thấy đại biểu.")
        held = session.scalar(sa.select(DelegatePhone).where(DelegatePhone.delegate_id == delegate.id,
                                                            DelegatePhone.released_at.is_(None)))
        if held is None:
            raise NotFound("no_phone", "Trang của đại biểu này chưa mở trên điện thoại nào.")
        held.released_at, held.released_by = utcnow(), by[:200]
    return held


def release_all_phones(session, conference_id: int, by: str) -> int:
    """Inside the caller's transaction (the reset after a rehearsal): every phone of the conference
    lets go of its page. Returns how many did."""
    return session.execute(sa.update(DelegatePhone).where(DelegatePhone.conference_id == conference_id,
                                                          DelegatePhone.released_at.is_(None))
                           .values(released_at=utcnow(), released_by=by)).rowcount
