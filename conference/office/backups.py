"""Backups of a SQLite database: taken online (sqlite3's backup API, consistent while doors
scan), kept automatically in instance/backups/, checked before a restore. PostgreSQL has its own
tools (pg_dump / pg_restore, docs/OFFICE.md): the commands here say so."""
from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Iterator

from flask import current_app

from conference.core.db import PRIVATE, Base, db, narrow
from conference.core.errors import ConferenceError
from .backup_schema import reference_schema, schema_of, schema_refusal

HEADER = b"SQLite format 3\x00"
PRIVATE_FOLDER = 0o700  # a backup holds the accounts' password hashes, as the database does
LOW_DISK_BYTES = 200 * 1024 * 1024  # below this, the automatic backup warns the office
log = logging.getLogger(__name__)


def require_sqlite() -> None:
    if db.engine.dialect.name != "sqlite":
        raise ConferenceError("use_pg_dump", "Cơ sở dữ liệu là PostgreSQL: sao lưu bằng pg_dump, "
                                               "khôi phục bằng pg_restore (xem docs/OFFICE.md).")


def backup_dir() -> Path:
    return Path(current_app.config["INSTANCE_PATH"]) / "backups"


def backup_to(target: Path) -> Path:
    """A consistent copy of the live database in TARGET, written beside it then renamed, so a
    backup file is always whole. Writers go on meanwhile (WAL: the copy reads one snapshot)."""
    require_sqlite()
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    partial = target.with_name(target.name + ".partial")
    raw = db.engine.raw_connection()
    try:
        _create_private(partial)  # SQLite writes into it, its -journal too, with the file's mode
        copy = sqlite3.connect(partial)
        try:
            raw.driver_connection.backup(copy)  # all pages in one step: one read transaction
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        finally:
            copy.close()
        os.replace(partial, target)
    finally:
        raw.close()
        partial.unlink(missing_ok=True)
    return target


def _create_private(path: Path) -> None:
    """PATH made anew, empty, mode 0600 (an empty file is an empty SQLite database)."""
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE))


def backup_now(reason: str = "manual") -> Path:
    """A backup into instance/backups/, named by the time and why it was taken. The folder is the
    product's own: one an older version made open to all is narrowed to its owner."""
    backup_dir().mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    narrow(backup_dir(), PRIVATE_FOLDER)
    path = backup_to(backup_dir() / f"{datetime.now():%Y%m%d-%H%M%S-%f}-{reason}.db")
    prune(current_app.config.get("BACKUP_KEEP", 12))
    return path


def backups() -> list[Path]:
    """The backups kept, newest first."""
    folder = backup_dir()
    return sorted(folder.glob("*.db"), reverse=True) if folder.is_dir() else []


def latest_backup() -> Path | None:
    found = backups()
    return found[0] if found else None


def prune(keep: int) -> None:
    """The newest KEEP of each kind (automatic, manual, before a reset, before a restore, uploaded):
    the automatic backups of the day roll on without taking the reset's backup, its undo, with them."""
    kinds: dict[str, int] = {}
    for path in backups():
        kind = path.name.split("-", 3)[-1]
        kinds[kind] = kinds.get(kind, 0) + 1
        if kinds[kind] > keep:
            path.unlink(missing_ok=True)


def _refuse(msgid: str, **values):
    raise ConferenceError("not_a_backup", msgid, **values)


def check_backup(path: Path) -> None:
    """Refuse anything but a whole backup of this application at this schema: the SQLite header,
    PRAGMA integrity_check, every table, the same Alembic revision, then exactly the schema the
    migrations build at it (backup_schema.py: no trigger, view, table, index or column of its
    own) and no row pointing at a row that is not there."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(HEADER))
    except OSError as error:
        _refuse("Không đọc được tệp: %(reason)s", reason=error.strerror or str(error))
    if header != HEADER:
        _refuse("Tệp này không phải là bản sao lưu SQLite.")
    try:
        connection = open_read_only(path)
        try:
            _check_contents(connection)
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        _refuse("Tệp sao lưu bị hỏng hoặc không đủ: %(reason)s", reason=str(error))


def open_read_only(path: Path) -> sqlite3.Connection:
    """The file, read-only, its schema not trusted to run any function but SQLite's harmless ones.
    A file: URI built by pathlib, so a "?" or "#" in the file's name stays part of the name."""
    connection = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    connection.execute("PRAGMA trusted_schema = OFF")
    return connection


def _check_contents(connection: sqlite3.Connection) -> None:
    if connection.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        _refuse("Tệp sao lưu bị hỏng (integrity_check).")
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not set(Base.metadata.tables) | {"alembic_version"} <= tables:
        _refuse("Tệp này không phải là bản sao lưu của Conference day.")
    revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    if revision is None or revision[0] != _head_revision():
        _refuse("Bản sao lưu thuộc một phiên bản khác của Conference day (%(found)s, cần %(expected)s).",
                found=revision[0] if revision else "?", expected=_head_revision())
    refusal = schema_refusal(schema_of(connection), reference_schema(revision[0]))
    if refusal is not None:
        raise refusal
    if connection.execute("PRAGMA foreign_key_check").fetchone() is not None:
        _refuse("Tệp sao lưu có dòng trỏ tới một dòng không tồn tại; tệp không được khôi phục.")


def _head_revision() -> str:
    from alembic.script import ScriptDirectory

    from .first_start import alembic_config
    return ScriptDirectory.from_config(alembic_config(None)).get_current_head()


def restore_from(path: Path) -> None:
    """Replace the live database by a checked backup (page by page, by the same backup API).
    Nothing is changed when the check refuses the file. What is checked is what is restored: a
    private copy of the file, alone, so neither a change to the file after the check nor a -wal
    or -journal file left beside it can bring in anything the check did not see."""
    require_sqlite()
    with _private_copy(Path(path)) as copy:
        check_backup(copy)
        db.session.remove()
        db.engine.dispose()
        source = open_read_only(copy)
        target = sqlite3.connect(db.engine.url.database, timeout=30)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
    db.engine.dispose()


@contextmanager
def _private_copy(path: Path) -> Iterator[Path]:
    """A copy of PATH readable by this user only, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="conference-restore-") as folder:  # mode 0700
        copy = Path(folder) / "backup.db"
        try:
            shutil.copyfile(path, copy)
        except OSError as error:
            _refuse("Không đọc được tệp: %(reason)s", reason=error.strerror or str(error))
        yield copy


# --- automatic backups while serving --------------------------------------------------------

def start_auto_backups(app) -> threading.Thread | None:
    """A backup every BACKUP_INTERVAL seconds (default 300) while serving, the newest BACKUP_KEEP
    kept; a warning in the log when the disk is nearly full. Nothing on PostgreSQL."""
    interval = float(app.config.get("BACKUP_INTERVAL") or os.environ.get("CONFERENCE_BACKUP_INTERVAL") or 300)
    with app.app_context():
        if db.engine.dialect.name != "sqlite" or interval <= 0:
            return None
    thread = threading.Thread(target=_auto_loop, args=(app, interval), name="auto-backup", daemon=True)
    thread.start()
    return thread


def _auto_loop(app, interval: float) -> None:
    while True:
        time.sleep(interval)
        try:
            with app.app_context():
                path = backup_now("auto")
                prune(int(app.config.get("BACKUP_KEEP") or os.environ.get("CONFERENCE_BACKUP_KEEP") or 12))
                if disk_low():
                    app.logger.warning("disk nearly full: %s bytes left", shutil.disk_usage(path.parent).free)
                db.session.remove()
        except Exception:  # noqa: BLE001 - a failed backup must not stop the next one
            app.logger.exception("automatic backup failed")


def disk_low() -> bool:
    """Less than LOW_DISK_BYTES free where the instance (database and backups) lives."""
    return shutil.disk_usage(current_app.config["INSTANCE_PATH"]).free < LOW_DISK_BYTES


def db_is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"
