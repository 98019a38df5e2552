"""Restore and undo from the office: what a backup holds, read without trusting it, and a restore
that backs the present state up first and leaves every screen on the restored state at once.

A restore replaces the whole database, the versions of the show state included, and a screen
takes no snapshot older than the newest it has seen (static/js/live.js). So after the restore
each conference's version is set past both its restored one and the one the database had before
(the highest any screen of any process can have seen: versions never went back in it), and bumped
in one write transaction, which publishes every conference whose version moved."""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from conference.core.db import db, write_transaction, writers_held
from conference.core.errors import ConferenceError, Conflict, NotFound
from conference.core.models import AccountRole, CheckIn, Conference, Delegate, ShowState, User
from conference.core.state import bump_version, default_conference_id
from . import backups
from .lifecycle import show_running

_NAMED = re.compile(r"^(\d{8}-\d{6})-\d+-(?P<reason>[a-z-]+)\.db$")
UPLOADED = "uploaded"


@dataclass(frozen=True)
class Account:
    login: str
    role: AccountRole


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds: its file, when it was taken and why, its counts and its accounts."""
    name: str
    taken_at: datetime
    reason: str
    size: int
    conferences: int
    delegates: int
    checkins: int
    accounts: tuple[Account, ...]


def describe_backup(path: Path, check: bool = True) -> BackupSummary:
    """What the backup PATH holds, read-only (its schema trusted with nothing). Refused, like a
    restore, when CHECK and the file is not a whole backup of this product at this schema."""
    path = Path(path)
    if check:
        backups.check_backup(path)
    connection = backups.open_read_only(path)
    try:
        def count(table: str) -> int:
            return connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608 - our names
        accounts = tuple(Account(login, AccountRole(role)) for login, role in connection.execute(
            f'SELECT login, role FROM "{User.__tablename__}" ORDER BY login'))  # noqa: S608
        counts = [count(model.__tablename__) for model in (Conference, Delegate, CheckIn)]
    except (sqlite3.DatabaseError, ValueError) as error:
        raise ConferenceError("not_a_backup", "Tệp sao lưu bị hỏng hoặc không đủ: %(reason)s",
                              reason=str(error)) from None
    finally:
        connection.close()
    named = _NAMED.match(path.name)
    taken = (datetime.strptime(named.group(1), "%Y%m%d-%H%M%S") if named
             else datetime.fromtimestamp(path.stat().st_mtime))
    return BackupSummary(path.name, taken, named.group("reason") if named else "", path.stat().st_size,
                         *counts, accounts)


def accounts() -> list[Account]:
    """The accounts of the database as it is now: logins and roles, never a hash."""
    rows = db.session.execute(sa.select(User.login, User.role).order_by(User.login)).all()
    db.session.rollback()
    return [Account(login, role) for login, role in rows]


def kept_backups() -> list[BackupSummary]:
    """The backups in instance/backups/, newest first, each with what it holds (our own files:
    read without the full check, which the confirmation of a restore makes)."""
    found = []
    for path in backups.backups():
        try:
            found.append(describe_backup(path, check=False))
        except (ConferenceError, OSError):
            continue  # a file removed meanwhile, or not ours: never offered
    return found


def kept_backup(name: object) -> Path:
    """The kept backup called NAME, only one of those listed (never a path of the caller's)."""
    for path in backups.backups():
        if path.name == name:
            return path
    raise NotFound("unknown_backup", "Không tìm thấy bản sao lưu này.")


def latest_before_reset() -> BackupSummary | None:
    """The backup the last reset of the day took, offered as its undo."""
    return next((found for found in kept_backups() if found.reason == "before-reset"), None)


def keep_upload(save) -> Path:
    """An uploaded backup kept beside the others once it is checked; SAVE(path) writes it there.
    A file refused by the check is removed: nothing changes."""
    folder = backups.backup_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=backups.PRIVATE_FOLDER)
    target = folder / f"{datetime.now():%Y%m%d-%H%M%S-%f}-{UPLOADED}.db"
    partial = target.with_name(target.name + ".partial")
    try:
        save(partial)
        partial.chmod(0o600)
        backups.check_backup(partial)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def restore(path: Path, force: bool = False) -> Path | None:
    """Replace the database by the backup PATH. Refused while the active conference's show is
    running, unless forced, and for a file that is not a whole backup (nothing changes). The
    present state is backed up first ("before-restore"; returned). Afterwards every screen gets
    the restored state: each conference's version goes past any a screen may have seen."""
    path = Path(path)
    backups.require_sqlite()
    backups.check_backup(path)  # before the backup of the present: a refused file changes nothing
    with writers_held():  # no change of this process falls between the backup and the restore
        active = default_conference_id()
        running = active is not None and show_running(active)
        seen = dict(db.session.execute(sa.select(ShowState.conference_id, ShowState.version)).all())
        db.session.rollback()
        if running and not force:
            raise Conflict("show_running", "Chương trình của hội nghị đang hoạt động đang chạy; "
                                             "dùng “buộc” (--force) nếu thật sự muốn khôi phục.")
        before = backups.backup_now("before-restore")
        backups.restore_from(path)
        _past_every_version_seen(max(seen.values(), default=0))
    return before


def _past_every_version_seen(highest: int) -> None:
    """Every conference of the restored database gets a version above HIGHEST, published."""
    with write_transaction() as session:
        conferences = list(session.scalars(sa.select(Conference.id)))
        session.execute(sa.update(ShowState).where(ShowState.version <= highest).values(version=highest))
        for conference_id in conferences:
            bump_version(conference_id)
