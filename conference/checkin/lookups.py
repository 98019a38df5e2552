"""The door's statements, built once, of the tables' plain columns.

A check-in runs each of them while it holds the write lock, and twenty doors queue behind it. As
Core statements they skip the ORM's execution path, the unit of work and the identity map, which
cost a check-in several times what its queries do (bench/checkin_profile.py); a built statement
also keeps its cache key. They still run through the session, in its transaction, so the audit
trail notes what they write (accounts/audit.py) and a unique key's refusal rolls it all back.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from conference.core.db import db
from conference.core.models import Badge, CheckIn, Delegate, DelegateGroup, Scan

_DELEGATES, _BADGES, _CHECKINS = Delegate.__table__, Badge.__table__, CheckIn.__table__
_GROUPS, _SCANS = DelegateGroup.__table__, Scan.__table__

# What delegate_row_json (roster.py) shows: the delegate, its group and its check-in, if any.
_DELEGATE_COLUMNS = (
    _DELEGATES.c.id, _DELEGATES.c.conference_id, _DELEGATES.c.full_name, _DELEGATES.c.position,
    _DELEGATES.c.unit, _DELEGATES.c.seat, _DELEGATES.c.badge_code, _DELEGATES.c.walk_in,
    _DELEGATES.c.absence_reason, _DELEGATES.c.absence_note,
    _GROUPS.c.name.label("group_name"), _GROUPS.c.color.label("group_color"),
    _CHECKINS.c.checked_in_at, _CHECKINS.c.device.label("checked_in_device"))


def _with_group_and_checkin(start):
    return (start.outerjoin(_GROUPS, _GROUPS.c.id == _DELEGATES.c.group_id)
            .outerjoin(_CHECKINS, _CHECKINS.c.delegate_id == _DELEGATES.c.id))


_BY_ID = (sa.select(*_DELEGATE_COLUMNS).select_from(_with_group_and_checkin(_DELEGATES))
          .where(_DELEGATES.c.id == sa.bindparam("delegate_id")))
# The badge, its delegate, the group and the check-in in one query: one round trip under the lock.
_BY_CODE = (sa.select(_BADGES.c.conference_id.label("badge_conference_id"), _BADGES.c.revoked_at,
                      *_DELEGATE_COLUMNS)
            .select_from(_with_group_and_checkin(_BADGES.join(_DELEGATES, _DELEGATES.c.id == _BADGES.c.delegate_id)))
            .where(_BADGES.c.code == sa.bindparam("code")))
_EARLIER_SCAN = (sa.select(_SCANS.c.status, _SCANS.c.response, _SCANS.c.delegate_id)
                 .where(_SCANS.c.conference_id == sa.bindparam("conference_id"),
                        _SCANS.c.nonce == sa.bindparam("nonce")))
# Present / expected only (the per-group figures are in the snapshot): two counts over covering
# indexes in one statement, no join.
_COUNTS = sa.select(
    sa.select(sa.func.count()).select_from(_DELEGATES)
    .where(_DELEGATES.c.conference_id == sa.bindparam("conference_id")).scalar_subquery(),
    sa.select(sa.func.count()).select_from(_CHECKINS)
    .where(_CHECKINS.c.conference_id == sa.bindparam("conference_id")).scalar_subquery())
_INSERT_CHECKIN = sa.insert(_CHECKINS)
_INSERT_SCAN = sa.insert(_SCANS)


def delegate_by_id(delegate_id: int) -> sa.Row | None:
    return db.session.execute(_BY_ID, {"delegate_id": delegate_id}).first()


def delegate_by_code(code: str) -> sa.Row | None:
    """The delegate of a badge code (normalised), with the badge's conference_id and revoked_at."""
    return db.session.execute(_BY_CODE, {"code": code}).first()


def earlier_scan(conference_id: int, nonce: str) -> sa.Row | None:
    """(status, response, delegate_id) of the scan that used this nonce first, if one did."""
    return db.session.execute(_EARLIER_SCAN, {"conference_id": conference_id, "nonce": nonce}).first()


def counts(conference_id: int) -> dict:
    expected, present = db.session.execute(_COUNTS, {"conference_id": conference_id}).one()
    return {"present": present, "expected": expected}


def insert_checkin(conference_id: int, delegate_id: int, device: str | None, at: datetime) -> None:
    """The check-in row; the unique key on delegate_id refuses a second one (IntegrityError)."""
    db.session.execute(_INSERT_CHECKIN, {"conference_id": conference_id, "delegate_id": delegate_id,
                                         "device": device, "checked_in_at": at})


def insert_scan(**columns) -> None:
    """A row of the scan log; the unique key on (conference, nonce) refuses a nonce used before."""
    db.session.execute(_INSERT_SCAN, columns)
