"""The show-state row: found or created, and its version bumped inside the caller's transaction."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm.util import identity_key

from .db import db, utcnow
from .errors import NotFound
from .models import Conference, ShowState


def get_conference(conference_id: int) -> Conference:
    conference = db.session.get(Conference, conference_id)
    if conference is None:
        raise NotFound("unknown_conference", "Không tìm thấy hội nghị.")
    return conference


def conference_title(conference_id: int) -> str:
    """The title a device's page shows in its header, so the person knows which conference it serves."""
    return get_conference(conference_id).title


# The active conference, which every screen and device serves (office/lifecycle.py); the first
# one created while none is marked (a database from before there was a choice). Built once: a
# statement is immutable, and this one is read on every request of a device (accounts/devices.py).
# Of the table's plain columns, not the mapped class's: a Core statement skips the ORM's execution
# path, which costs a device's request more than the query does (bench/checkin_profile.py).
_CONFERENCE = Conference.__table__
ACTIVE_CONFERENCE_ID = (sa.select(_CONFERENCE.c.id).order_by(_CONFERENCE.c.active.desc(), _CONFERENCE.c.id)
                        .limit(1))


def default_conference_id() -> int | None:
    """The id of the active conference (ACTIVE_CONFERENCE_ID), None while there is none."""
    return db.session.scalar(ACTIVE_CONFERENCE_ID)


def show_state(conference_id: int) -> ShowState:
    state = db.session.get(ShowState, conference_id)
    if state is None:
        state = ShowState(conference_id=conference_id, version=1)
        db.session.add(state)
        db.session.flush()
    return state


def locked_show_state(conference_id: int) -> ShowState:
    """The show-state row, locked until the transaction ends (PostgreSQL: FOR UPDATE; SQLite's
    writer already holds the database), so moves of the cursor are judged one after another."""
    show_state(conference_id)
    return db.session.scalars(sa.select(ShowState).where(ShowState.conference_id == conference_id)
                              .with_for_update().execution_options(populate_existing=True)).one()


_SHOW_STATE = ShowState.__table__
# One UPDATE on the usual path (it runs on every check-in): a Core statement, built once.
_BUMP = (sa.update(_SHOW_STATE).where(_SHOW_STATE.c.conference_id == sa.bindparam("conference"))
         .values(version=_SHOW_STATE.c.version + 1, updated_at=sa.bindparam("now")))


def bump_version(conference_id: int) -> None:
    """Every committed change calls this in its own transaction, so versions never go back."""
    session = db.session
    session.info.setdefault("changed", set()).add(conference_id)  # published after the commit
    if session.execute(_BUMP, {"conference": conference_id, "now": utcnow()}).rowcount == 0:
        show_state(conference_id).version += 1  # the row is made only the first time
        return
    # A Core statement leaves a row this session has loaded as it was: read it again when next used.
    loaded = session.identity_map.get(identity_key(ShowState, conference_id))
    if loaded is not None:
        session.expire(loaded, ["version", "updated_at"])
