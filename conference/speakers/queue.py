"""The queue of delegates asking to speak, and their turns.

One request a delegate may wait at a time; one turn a conference runs at a time: calling a request
ends the turn before it. Each action locks the show-state row (as the show's moves do), so two MC
consoles, or a phone and a console, are judged one after the other, and bumps the version: the
screens and the phones see the queue from the snapshot (snapshot_json, programme_json).
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from conference.checkin.roster import with_honorific
from conference.core.dates import to_local
from conference.core.db import db, is_id, utcnow, write_transaction
from conference.core.errors import N_, Conflict, ConferenceError, Forbidden, NotFound
from conference.core.fields import bounded_text
from conference.core.models import (AgendaItem, CheckIn, DelegatePhone, SpeakerSettings, SpeakingRequest,
                                    SpeakingState)
from conference.core.state import bump_version, locked_show_state

MAX_SUBJECT = 200
WAITING, SPEAKING, DONE = SpeakingState.WAITING, SpeakingState.SPEAKING, SpeakingState.DONE


# --- the office's switch ----------------------------------------------------------------------

def requests_open(conference_id: int) -> bool:
    row = db.session.get(SpeakerSettings, conference_id)
    return row is None or row.requests_open


def set_requests_open(conference_id: int, value: object) -> bool:
    """Let the delegates ask to speak (True) or not (False). Requests already waiting stay: the
    MC still calls or dismisses them."""
    if not isinstance(value, bool):
        raise ConferenceError("invalid_switch", "Hãy chọn bật hoặc tắt.")
    with write_transaction() as session:
        row = session.get(SpeakerSettings, conference_id)
        if row is None:
            session.add(SpeakerSettings(conference_id=conference_id, requests_open=value))
        else:
            row.requests_open = value
        bump_version(conference_id)
    return value


# --- the delegate, from their phone --------------------------------------------------------------

def ask(phone: DelegatePhone, subject: object) -> SpeakingRequest:
    """The delegate of PHONE asks to speak, about SUBJECT (optional). Refused while requests are
    off, before they are checked in, and while they already wait."""
    text = bounded_text(subject, MAX_SUBJECT, N_("Nội dung phát biểu"), "subject")
    conference_id, delegate_id = phone.conference_id, phone.delegate_id
    with write_transaction() as session:
        locked_show_state(conference_id)
        if not requests_open(conference_id):
            raise Forbidden("requests_closed", "Hiện chưa nhận đăng ký phát biểu.")
        if session.scalar(sa.select(CheckIn.id).where(CheckIn.delegate_id == delegate_id)) is None:
            raise Forbidden("not_checked_in", "Đồng chí cần điểm danh ở cửa hội trường trước khi đăng ký phát biểu.")
        if _waiting_of(session, delegate_id) is not None:
            raise Conflict("already_waiting", "Đồng chí đã đăng ký phát biểu và đang chờ đến lượt.")
        request = SpeakingRequest(conference_id=conference_id, delegate_id=delegate_id, subject=text,
                                  state=WAITING, asked_at=utcnow())
        session.add(request)
        bump_version(conference_id)
    return request


def withdraw(phone: DelegatePhone) -> None:
    """The delegate takes back their waiting request. Refused when none waits (already called)."""
    with write_transaction() as session:
        locked_show_state(phone.conference_id)
        request = _waiting_of(session, phone.delegate_id)
        if request is None:
            raise Conflict("not_waiting", "Đồng chí không có đăng ký phát biểu nào đang chờ.")
        request.state = SpeakingState.WITHDRAWN
        request.ended_at = utcnow()
        bump_version(phone.conference_id)


def _waiting_of(session, delegate_id: int) -> SpeakingRequest | None:
    return session.scalar(sa.select(SpeakingRequest).where(SpeakingRequest.delegate_id == delegate_id,
                                                          SpeakingRequest.state == WAITING))


def my_request(delegate_id: int) -> dict | None:
    """The delegate's request that waits or speaks now, for their page: its id, state and place."""
    request = db.session.scalar(sa.select(SpeakingRequest).where(
        SpeakingRequest.delegate_id == delegate_id, SpeakingRequest.state.in_((WAITING, SPEAKING))))
    if request is None:
        return None
    place = None
    if request.state == WAITING:
        place = 1 + db.session.scalar(sa.select(sa.func.count()).select_from(SpeakingRequest).where(
            SpeakingRequest.conference_id == request.conference_id, SpeakingRequest.state == WAITING,
            sa.tuple_(SpeakingRequest.asked_at, SpeakingRequest.id) < sa.tuple_(request.asked_at, request.id)))
    return {"id": request.id, "state": request.state.value, "place": place, "subject": request.subject}


# --- the MC ------------------------------------------------------------------------------------

def call(conference_id: int, request_id: object) -> SpeakingRequest:
    """The MC gives the floor to a waiting request: the turn running ends now, this one starts."""
    with write_transaction() as session:
        state = locked_show_state(conference_id)
        request = _request(session, conference_id, request_id, WAITING)
        now = utcnow()
        for speaking in session.scalars(sa.select(SpeakingRequest).where(
                SpeakingRequest.conference_id == conference_id, SpeakingRequest.state == SPEAKING)):
            speaking.state, speaking.ended_at = DONE, now
        request.state, request.started_at = SPEAKING, now
        request.item_id = session.scalar(sa.select(AgendaItem.id).where(
            AgendaItem.conference_id == conference_id, AgendaItem.position == state.current_position))
        bump_version(conference_id)
    return request


def end_turn(conference_id: int, request_id: object) -> SpeakingRequest:
    """The speaker's turn ends (they left the lectern)."""
    with write_transaction() as session:
        locked_show_state(conference_id)
        request = _request(session, conference_id, request_id, SPEAKING)
        request.state, request.ended_at = DONE, utcnow()
        bump_version(conference_id)
    return request


def dismiss(conference_id: int, request_id: object) -> SpeakingRequest:
    """The MC takes a waiting request off the queue without calling it (no time left, a repeat)."""
    with write_transaction() as session:
        locked_show_state(conference_id)
        request = _request(session, conference_id, request_id, WAITING)
        request.state, request.ended_at = SpeakingState.DISMISSED, utcnow()
        bump_version(conference_id)
    return request


def _request(session, conference_id: int, request_id: object, expected: SpeakingState) -> SpeakingRequest:
    """The request of this conference in the state the action needs; another conference's is unknown."""
    request = session.get(SpeakingRequest, request_id) if is_id(request_id) else None
    if request is None or request.conference_id != conference_id:
        raise NotFound("unknown_request", "Không tìm thấy đăng ký phát biểu này.")
    if request.state != expected and expected == WAITING:
        raise Conflict("request_moved_on", "Đăng ký này không còn trong hàng chờ.")
    if request.state != expected:
        raise Conflict("request_moved_on", "Người này không đang phát biểu.")
    return request


# --- what the screens, the phones and the minutes read ---------------------------------------------

def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _person(request: SpeakingRequest) -> dict:
    delegate = request.delegate
    return {"id": request.id, "name": delegate.full_name,
            "called": with_honorific(delegate.honorific, delegate.full_name), "unit": delegate.unit,
            "subject": request.subject, "asked_at": _time(request.asked_at), "started_at": _time(request.started_at)}


def snapshot_json(conference_id: int) -> dict:
    """The queue for the snapshot: whether requests are open, who speaks now, who waits in the order
    asked, each with their turns earlier today (started, ended, subject)."""
    rows = list(db.session.scalars(sa.select(SpeakingRequest).where(
        SpeakingRequest.conference_id == conference_id, SpeakingRequest.state.in_((WAITING, SPEAKING)))
        .order_by(SpeakingRequest.asked_at, SpeakingRequest.id)))
    waiting = [r for r in rows if r.state == WAITING]
    speaking = next((r for r in rows if r.state == SPEAKING), None)
    earlier = _turns_today(conference_id, {r.delegate_id for r in waiting})
    return {"open": requests_open(conference_id),
            "speaking": _person(speaking) if speaking else None,
            "queue": [{**_person(r), "earlier": earlier.get(r.delegate_id, [])} for r in waiting]}


def _turns_today(conference_id: int, delegate_ids: set[int]) -> dict[int, list[dict]]:
    if not delegate_ids:
        return {}
    today = to_local(utcnow()).date()
    found: dict[int, list[dict]] = {}
    for turn in db.session.scalars(sa.select(SpeakingRequest).where(
            SpeakingRequest.conference_id == conference_id, SpeakingRequest.delegate_id.in_(delegate_ids),
            SpeakingRequest.started_at.is_not(None)).order_by(SpeakingRequest.started_at)):
        if to_local(turn.started_at).date() == today:
            found.setdefault(turn.delegate_id, []).append(
                {"started_at": _time(turn.started_at), "ended_at": _time(turn.ended_at), "subject": turn.subject})
    return found


def programme_json(speakers: dict | None) -> dict:
    """What every phone is told of the queue (from the snapshot's "speakers"): whether requests are
    open, and request ids only, in order; a phone finds its own place by its own id."""
    speakers = speakers or {}
    speaking = speakers.get("speaking")
    return {"open": bool(speakers.get("open")), "queue": [r["id"] for r in speakers.get("queue", [])],
            "speaking": speaking["id"] if speaking else None}


def turns(conference_id: int) -> list[SpeakingRequest]:
    """Every turn given, in the order they started (the minutes' diễn biến)."""
    return list(db.session.scalars(sa.select(SpeakingRequest).where(
        SpeakingRequest.conference_id == conference_id, SpeakingRequest.started_at.is_not(None))
        .order_by(SpeakingRequest.started_at, SpeakingRequest.id)))


def forget_requests(session, conference_id: int) -> int:
    """Inside the caller's transaction (the reset after a rehearsal): every request and turn of the
    conference goes, so the day starts with an empty queue and the minutes list none. Returns how many."""
    return session.execute(sa.delete(SpeakingRequest).where(SpeakingRequest.conference_id == conference_id)).rowcount
