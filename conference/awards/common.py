"""What the files of the awards share: the input checks, the honouree lookup, the log entries
of honourees, and the retry of a write that lost a race. Nothing here imports its siblings."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from conference.core.db import db
from conference.core.errors import ConferenceError, NotFound
from conference.core.fields import json_id, json_int
from conference.core.models import AwardPresentation, Honouree, HonoureeKind
from conference.core.textnorm import fold

LIMITS = {"name": 200, "unit": 200, "citation": 4000, "proxy_name": 120, "received_by": 120,
          "number": 60, "issuer": 200, "reason": 4000, "form_name": 200}


# --- input checks ------------------------------------------------------------------------------

def as_int(value: object, name: str) -> int:
    """A whole number that fits its integer column, or invalid_<name>."""
    return json_int(value, name)


def get_row(model, row_id: object, name: str):
    """The row of MODEL with that id, or None; invalid_<name> for an id that is not a whole number.
    An id no row can have (past the id column) is not looked up: the database could not bind it."""
    number = json_id(row_id, name)
    return None if number is None else db.session.get(model, number)


def plain(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def as_date(value: object) -> date | None:
    """ISO (2020-02-25), Vietnamese (25/02/2020) or a spreadsheet date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
    raise ConferenceError("invalid_signed_on", "Ngày ký phải có dạng 25/02/2020 hoặc 2020-02-25.")


def parse_kind(value: object) -> HonoureeKind:
    folded = fold(value) if isinstance(value, str) else ""
    if folded in ("tap the", "collective", "tt"):
        return HonoureeKind.COLLECTIVE
    if folded in ("ca nhan", "individual", "cn"):
        return HonoureeKind.INDIVIDUAL
    raise ConferenceError("invalid_kind", "Loại phải là “tập thể” hoặc “cá nhân”.")


# --- shared lookups and writes ----------------------------------------------------------------

def get_honouree(conference_id: int, honouree_id: object) -> Honouree:
    honouree = get_row(Honouree, honouree_id, "honouree_id")
    if honouree is None or honouree.decision.conference_id != conference_id:
        raise NotFound("unknown_honouree", "Không tìm thấy người/tập thể được khen thưởng.")
    return honouree


def presentations_of(honouree_ids: list[int]) -> dict[int, AwardPresentation]:
    if not honouree_ids:
        return {}
    found = db.session.scalars(sa.select(AwardPresentation).where(AwardPresentation.honouree_id.in_(honouree_ids)))
    return {p.honouree_id: p for p in found}


def once_more_on_race(action):
    """Two writers may both log the first call of an honouree (unique key): the retry sees the winner."""
    try:
        return action()
    except IntegrityError:
        return action()
