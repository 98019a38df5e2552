"""Database handle, column types and the write transaction every service uses."""
from __future__ import annotations

import logging
import os
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

import sqlalchemy as sa
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)

# SQLite allows one writer at a time. Taking this lock before BEGIN IMMEDIATE queues the
# threads of one process in memory instead of letting them spin in SQLite's busy handler,
# which keeps the tail latency of concurrent door scans low. Other processes, if any, are
# still serialised by SQLite's own lock and the busy timeout.
_sqlite_writer = threading.RLock()


# Ids from a URL or a JSON body are checked against this before they reach the database:
# SQLite cannot bind a larger Python int, and PostgreSQL's integer column holds no more.
# fields.MAX_INT is the same number (each of the two modules stands alone).
MAX_ID = 2**31 - 1


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def is_id(value: object) -> bool:
    """A value that can be a row id: a positive int within the column's range (not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


class UTCDateTime(sa.types.TypeDecorator):
    """Timestamps are stored as naive UTC and always come back timezone-aware."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=timezone.utc)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def empty_write_ahead_log() -> bool:
    """SQLite: copy the write-ahead log into the database and empty its file, so that the order of
    the last changes is no longer on disk (a secret vote's close: votes/record.py). Ends the
    caller's read transaction first (it would hold the log), and waits for other readers at most
    CHECKPOINT_WAIT_MS. True when the file was emptied; other databases: False."""
    if not is_sqlite(db.engine):
        return False
    db.session.rollback()
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(f"PRAGMA busy_timeout={CHECKPOINT_WAIT_MS}")
        busy = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()
    finally:
        raw.close()
    return busy == 0


CHECKPOINT_WAIT_MS = 2000  # a close is not held longer for a reader (the next checkpoint empties the log)
BUSY_TIMEOUT_MS = 10000


PRIVATE = 0o600  # the database holds the accounts' password hashes and the sessions' ids
SIDE_FILES = ("", "-wal", "-shm", "-journal")


def keep_sqlite_file_private(url: str) -> None:
    """The SQLite database of URL readable and writable by its owner only. A new one is created
    empty here, mode 0600, before SQLite opens it: SQLite then gives its -wal, -shm and -journal
    files the database's own mode. One made by an older version (0644 under the usual umask) is
    narrowed, with its side files. Nothing for another database, or an in-memory one."""
    path = sqlite_path(url)
    if path is None:
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE))  # an empty file is an empty database
    except FileExistsError:
        pass
    except FileNotFoundError:  # no such folder: SQLite says so itself when it is opened
        return
    for suffix in SIDE_FILES:
        narrow(path.with_name(path.name + suffix), PRIVATE)


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for another database, an in-memory one or a URI form."""
    parsed = sa.engine.make_url(url)
    name = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or name in ("", ":memory:") or name.startswith("file:"):
        return None
    return Path(name)


def narrow(path: Path, mode: int) -> None:
    """Take from PATH, if it exists, every right MODE does not give (an older file, our own)."""
    try:
        if os.stat(path).st_mode & 0o777 & ~mode:
            os.chmod(path, os.stat(path).st_mode & mode)
    except FileNotFoundError:
        pass
    except OSError as error:  # another user's file: said in the log, not a reason not to start
        logging.getLogger(__name__).warning("could not make %s private: %s", path, error)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """WAL for concurrent readers, FULL sync so an acknowledged check-in survives a crash."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        # Let SQLAlchemy emit BEGIN itself (see _sqlite_begin) instead of pysqlite's lazy BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()


_intent = threading.local()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    if is_sqlite(conn.engine):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if getattr(_intent, "write", False) else "BEGIN")


def in_write_transaction() -> bool:
    """True inside write_transaction() in this thread (its changes are not committed yet)."""
    return getattr(_intent, "write", False)


class TransactionSteps:
    """What every write transaction does besides the caller's change, besides committing it.

    Both are installed once by create_app (install_transaction_steps), so this layer knows
    nothing of accounts or screens, and write_transaction below shows where each one runs.
    """
    record_change: Callable[[sa.orm.Session], None] = staticmethod(lambda session: None)
    publish: Callable[[int], None] = staticmethod(lambda conference_id: None)


_steps = TransactionSteps()


def install_transaction_steps(*, record_change: Callable[[sa.orm.Session], None],
                              publish: Callable[[int], None]) -> None:
    """record_change(session) runs just before each commit, in the same transaction (the audit
    entry: kept or lost with the change); publish(conference_id) runs after the commit, once for
    every conference whose version the transaction moved (the new snapshot to the screens)."""
    _steps.record_change = record_change
    _steps.publish = publish


@contextmanager
def writers_held() -> Iterator[None]:
    """Keep this process's writers waiting meanwhile (SQLite's writer lock, taken as
    write_transaction takes it, and reentrant: a write_transaction inside goes on). For a step
    that replaces the database file, so that no change falls between its backup and its restore."""
    if not is_sqlite(db.engine):
        yield
        return
    with _sqlite_writer:
        yield


@contextmanager
def write_transaction() -> Iterator[sa.orm.Session]:
    """One domain action = one transaction; commits on success, rolls back on any error. Before
    the commit, the change's audit entry is written; after it, the screens get the new snapshot.

    On SQLite the transaction starts with BEGIN IMMEDIATE so the write lock is taken up front
    (no lock upgrade, no "database is locked" half-way through).
    """
    session = db.session
    session.rollback()  # drop any read transaction left open by the request so far
    sqlite = is_sqlite(db.engine)
    if sqlite:
        _sqlite_writer.acquire()
    _intent.write = True
    session.info["changed"] = set()
    try:
        session.connection()  # begins now, as a writer
        yield session
        # The audit entry, in the change's own transaction; session() is the Session behind the
        # scoped proxy, so the entry's few calls on it do not each go through the proxy.
        _steps.record_change(session())
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        _intent.write = False
        if sqlite:
            _sqlite_writer.release()
    _publish(session, sorted(session.info.pop("changed", ())))  # outside the lock: to the screens


def _publish(session: sa.orm.Session, conference_ids: list[int]) -> None:
    """Publish every conference whose version moved. The change is committed whatever happens
    here, so a failed publish is logged, not raised: the caller must still be told it succeeded
    (screens catch up on their next sync/connect)."""
    for conference_id in conference_ids:
        try:
            _steps.publish(conference_id)
        except Exception:  # noqa: BLE001 - e.g. the Redis message queue is down
            logging.getLogger(__name__).exception("publish after a commit of conference %s failed", conference_id)
            session.rollback()
