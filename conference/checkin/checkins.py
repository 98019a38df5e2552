"""Door check-in, after pretix: one transaction, ordered guards, stable codes, every scan logged.

The unique key on checkin.delegate_id makes concurrent doors count a delegate once, and the
unique key on (conference, nonce) makes a retried or replayed scan return its first answer, unless
that answer said the delegate was in and the check-in has been undone since (_as_it_stands).
A scan made offline carries the time it was made (scanned_at): the check-in keeps that time,
and the scan log's own time (Scan.at) is when it reached the server. With it comes the time it was
sent (sent_at), read off the same tablet clock: only their difference is used, so a tablet whose
clock is wrong (no time sync at the venue) still records when the delegate was at the door.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from conference.core.db import is_id, utcnow, write_transaction
from conference.core.errors import ConferenceError
from conference.core.fields import Codes, bounded_text
from conference.core.state import bump_version
from conference.core.textnorm import clean
from . import badgecodes, lookups
from .roster import (MAX_FIELD, delegate_json, delegate_row_json, find_group, get_delegate, new_delegate,
                     validate_fields)

MAX_NONCE = 64
MAX_DEVICE = 80
# A door program writes these two; docs/API.md §6.2 names one code for any fault in each.
NONCE_CODES, DEVICE_CODES = Codes.one("invalid_nonce"), Codes.one("invalid_device")
ATTEMPTS = 3  # a unique-key race is retried; the retry sees the winner's row
# Date and time with an offset, never without one (a naive time could be any zone's):
# 2024-06-01T01:15:30.123Z, 2024-06-01T08:15+07:00.
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})", re.ASCII)
CLOCK_SKEW = timedelta(minutes=2)  # a tablet clock this far ahead is taken as now
MAX_SCAN_AGE = timedelta(hours=24)  # older than a conference day: a wrong clock, not a late delivery


@dataclass(frozen=True)
class Outcome:
    """What the door is told, and whether the scan changed anything (a repeat or a refusal does not;
    the screens hear of a change through the version it bumped, not through this)."""
    status: int
    body: dict
    changed: bool = False


def _refusal(code: str, message: str, status: int, **extra) -> Outcome:
    return Outcome(status, {"error": {"code": code, "message": message, **extra}})


def _bad_time() -> ConferenceError:
    hours = MAX_SCAN_AGE // timedelta(hours=1)
    return ConferenceError("invalid_scanned_at", "Thời điểm quét “scanned_at” không hợp lệ (cần dạng ISO 8601 "
                           "có múi giờ, không ở tương lai, không quá %(hours)d giờ trước).", hours=hours)


def _bad_sent_time() -> ConferenceError:
    return ConferenceError("invalid_sent_at", "Thời điểm gửi “sent_at” không hợp lệ (cần dạng ISO 8601 "
                           "có múi giờ).")


def _door_time(value: object, bad) -> datetime | None:
    """A time the door read off its clock, as toISOString() writes it (or with an offset)."""
    if value is None:
        return None
    # The shape first: fromisoformat alone takes more than ISO 8601 (a NUL inside, week dates).
    if not isinstance(value, str) or not ISO_TIME.fullmatch(value):
        raise bad()
    try:
        return datetime.fromisoformat(value)
    except ValueError:  # the right shape, but no such day or hour (2024-02-30, 25:00)
        raise bad() from None


def _checked_in_at(scanned: datetime | None, sent: datetime | None) -> datetime:
    """When the delegate was at the door: now less the wait the tablet measured (sent - scanned),
    else the scan's own time if it is plausible, else (no scanned_at) now.

    Checked only once the nonce is known to be new, so a scan resent long after its first
    answer still gets that answer."""
    now = utcnow()
    if scanned is None:
        return now  # sent_at alone says nothing about the scan
    if sent is not None:
        # Both read off the tablet's clock: how long the scan waited is right even when that
        # clock is not, so it is counted back from the server's clock, never compared with it.
        waited = sent - scanned
        if waited < timedelta(0) or waited > MAX_SCAN_AGE:  # sent before it was made; or a day late
            raise _bad_time()
        return now - waited
    if scanned > now + CLOCK_SKEW or scanned < now - MAX_SCAN_AGE:
        raise _bad_time()
    return min(scanned, now).astimezone(timezone.utc)  # a clock slightly ahead: not in the future


def check_in(conference_id: int, *, code: object = None, delegate_id: object = None,
             nonce: object = None, device: object = None, scanned_at: object = None,
             sent_at: object = None) -> Outcome:
    """Check a delegate in by badge code or id. Bad input raises; refusals are logged outcomes."""
    nonce = bounded_text(nonce, MAX_NONCE, "nonce", NONCE_CODES)
    device = bounded_text(device, MAX_DEVICE, "device", DEVICE_CODES)
    scanned, sent = _door_time(scanned_at, _bad_time), _door_time(sent_at, _bad_sent_time)
    if (code is None) == (delegate_id is None):
        raise ConferenceError("missing_code", "Cần gửi đúng một trong hai: “code” hoặc “delegate_id”.")
    if delegate_id is not None and (not isinstance(delegate_id, int) or isinstance(delegate_id, bool)):
        raise ConferenceError("invalid_delegate_id", "“delegate_id” phải là số nguyên.")
    if code is not None and not isinstance(code, str):
        raise ConferenceError("invalid_code", "Mã thẻ phải là chuỗi ký tự.")
    return _retrying_races(lambda: _check_in_once(conference_id, code, delegate_id, nonce, device, scanned, sent))


def _retrying_races(action) -> Outcome:
    """Run a write; a unique-key race (the same delegate or nonce from two doors at once) is
    retried, and the retry sees the winner's row."""
    for attempt in range(ATTEMPTS):
        try:
            return action()
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _check_in_once(conference_id, code, delegate_id, nonce, device, scanned, sent) -> Outcome:
    with write_transaction() as session:
        if nonce:
            earlier = _earlier_answer(session, conference_id, nonce)
            if earlier is not None:
                return earlier
        at = _checked_in_at(scanned, sent)
        outcome, delegate = _resolve(conference_id, code, delegate_id)
        if outcome is None:
            outcome = _admit(conference_id, delegate, device, at)
        # Written at once (a Core statement): the unique key on (conference, nonce) decides a race here.
        _log(conference_id, outcome, _outcome_name(outcome), device=device, nonce=nonce,
             code=clean(code[:256])[:64] if isinstance(code, str) else None,
             delegate_id=delegate.id if delegate else None)
    return outcome


def admit_walk_in(conference_id: int, full_name: object, position: object = None, unit: object = None,
                  group: object = None, seat: object = None, *, walk_in: bool = False, check_in: bool = False,
                  nonce: object = None, device: object = None, scanned_at: object = None,
                  sent_at: object = None) -> Outcome:
    """Add a person at the door, checked in at once if asked, in one transaction.

    A door that lost the answer (or kept the walk-in offline) sends it again with the same
    nonce: the repeat gets the first answer and adds nobody. The nonce shares the scans' key,
    so a nonce a badge scan already used answers what that scan was answered."""
    fields = validate_fields(full_name, position, unit, seat)
    group = bounded_text(group, MAX_FIELD, "Thành phần")
    nonce = bounded_text(nonce, MAX_NONCE, "nonce", NONCE_CODES)
    device = bounded_text(device, MAX_DEVICE, "device", DEVICE_CODES)
    scanned, sent = _door_time(scanned_at, _bad_time), _door_time(sent_at, _bad_sent_time)
    return _retrying_races(lambda: _admit_walk_in_once(conference_id, fields, group, walk_in, check_in, nonce,
                                                       device, scanned, sent))


def _admit_walk_in_once(conference_id, fields, group, walk_in, check_in, nonce, device, scanned, sent) -> Outcome:
    with write_transaction() as session:
        if nonce:
            earlier = _earlier_answer(session, conference_id, nonce)
            if earlier is not None:
                return earlier
        at = _checked_in_at(scanned, sent) if check_in else None  # a bad time: refused, nobody added
        delegate = new_delegate(session, conference_id, fields, find_group(conference_id, group), walk_in)
        if check_in:
            outcome = _admit(conference_id, lookups.delegate_by_id(delegate.id), device, at)
        else:
            bump_version(conference_id)
            outcome = Outcome(201, {"result": "added", "delegate": delegate_json(delegate)}, changed=True)
        if check_in or nonce:  # the check-in is logged like a scan; a nonce needs its answer kept
            _log(conference_id, outcome, "walk_in" if check_in else "added", device=device, nonce=nonce,
                 delegate_id=delegate.id)
        session.flush()  # the unique key on (conference, nonce) decides a race here
    return outcome


def _log(conference_id: int, outcome: Outcome, name: str, **columns) -> None:
    """Log a scan (or walk-in, or undo) with the answer it got, which a repeat of its nonce gets."""
    lookups.insert_scan(conference_id=conference_id, outcome=name, status=outcome.status,
                        response=json.dumps(outcome.body, ensure_ascii=False), **columns)


def _earlier_answer(session, conference_id: int, nonce: str) -> Outcome | None:
    earlier = lookups.earlier_scan(conference_id, nonce)
    if earlier is None:
        return None
    return _as_it_stands(conference_id, Outcome(earlier.status, json.loads(earlier.response or "{}")),
                         earlier.delegate_id)


def _as_it_stands(conference_id: int, first: Outcome, delegate_id: int | None) -> Outcome:
    """The first answer to a nonce, unless it said the delegate was in and that check-in is gone:
    a door resending an old scan after an undo must not be told the delegate is here. It is then told
    what stands now: "undone" (not checked in), or "already_checked_in" with a later check-in. A repeat
    never checks anyone in; every answer here is final for the door's outbox."""
    if first.body.get("result") not in ("checked_in", "already_checked_in"):
        return first
    delegate = lookups.delegate_by_id(delegate_id) if delegate_id else None
    if delegate is None:  # removed by the office since
        return _refusal("unknown_delegate", "Không tìm thấy đại biểu.", 404)
    if delegate.checked_in_at is not None and delegate.checked_in_at == _answered_at(first.body):
        return first
    if delegate.checked_in_at is not None:
        return _already_in(conference_id, delegate)
    return Outcome(200, {"result": "undone", "delegate": delegate_row_json(delegate),
                         "attendance": lookups.counts(conference_id)})


def _answered_at(body: dict) -> datetime | None:
    """When the check-in a first answer spoke of was made."""
    stamp = body.get("checked_in_at") or (body.get("delegate") or {}).get("checked_in_at")
    return datetime.fromisoformat(stamp) if isinstance(stamp, str) else None


def _outcome_name(outcome: Outcome) -> str:
    return outcome.body.get("result") or outcome.body["error"]["code"]


def _resolve(conference_id, code, delegate_id) -> tuple[Outcome | None, sa.Row | None]:
    """The delegate to admit (a row of checkin/lookups.py), or a refusal (guards in the order a
    person would check them)."""
    if delegate_id is not None:
        delegate = lookups.delegate_by_id(delegate_id) if is_id(delegate_id) else None
        if delegate is None or delegate.conference_id != conference_id:
            return _refusal("unknown_delegate", "Không tìm thấy đại biểu.", 404), None
        return None, delegate
    normal = badgecodes.normalise(code)
    if normal is None:
        return _refusal("invalid_code", "Mã không đọc được hoặc không phải thẻ đại biểu.", 400), None
    found = lookups.delegate_by_code(normal)
    if found is None:
        return _refusal("unknown_code", "Thẻ không có trong danh sách đại biểu.", 404), None
    if found.badge_conference_id != conference_id:
        return _refusal("other_conference", "Thẻ của một hội nghị khác.", 404), None
    if found.revoked_at is not None:
        return _refusal("revoked_code", "Thẻ này đã bị thay bằng thẻ mới.", 410,
                        delegate=delegate_row_json(found)), found
    return None, found


def _admit(conference_id: int, delegate: sa.Row, device: str | None, at: datetime) -> Outcome:
    if delegate.checked_in_at is not None:
        return _already_in(conference_id, delegate)
    lookups.insert_checkin(conference_id, delegate.id, device, at)  # a race is decided here
    bump_version(conference_id)
    shown = {**delegate_row_json(delegate), "checked_in_at": at.isoformat(), "checked_in_device": device}
    return Outcome(201, {"result": "checked_in", "delegate": shown, "attendance": lookups.counts(conference_id)},
                   changed=True)


def _already_in(conference_id: int, delegate: sa.Row) -> Outcome:
    return Outcome(200, {"result": "already_checked_in", "checked_in_at": delegate.checked_in_at.isoformat(),
                         "device": delegate.checked_in_device, "delegate": delegate_row_json(delegate),
                         "attendance": lookups.counts(conference_id)})


def undo_check_in(conference_id: int, delegate_id: int, device: object = None) -> Outcome:
    """Take back a check-in made by mistake; the undo is logged like a scan."""
    device = bounded_text(device, MAX_DEVICE, "device", DEVICE_CODES)
    with write_transaction() as session:
        delegate = get_delegate(conference_id, delegate_id)
        if delegate.checkin is None:
            raise ConferenceError("not_checked_in", "Đại biểu này chưa điểm danh.", 409)
        session.delete(delegate.checkin)
        session.flush()
        session.refresh(delegate)
        bump_version(conference_id)
        outcome = Outcome(200, {"result": "undone", "delegate": delegate_json(delegate),
                                "attendance": lookups.counts(conference_id)}, changed=True)
        _log(conference_id, outcome, "undone", device=device, delegate_id=delegate.id)
    return outcome
