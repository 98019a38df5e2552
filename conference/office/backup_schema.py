"""A backup's schema must be exactly the one this product's migrations build, or it is not restored.

A SQLite file carries code as well as rows: a trigger runs on the writes of whoever uses the
database next (one planted in a backup added an administrator at the next sign-in, another
deleted check-ins later), a view, a CHECK, a DEFAULT or an index expression runs on reads and
writes. So a restore trusts nothing of the file's schema: every entry of its sqlite_master
(table, index, trigger, view) and each table's columns must be those of a database built afresh,
in memory, by the migrations at the same revision. The SQL is compared as text, but for its
spacing: the same migrations write the same text, whether a database was made at that revision
or upgraded to it.
"""
from __future__ import annotations

import re
import sqlite3
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.pool import StaticPool

from conference.core.errors import N_, ConferenceError, Label

# (type, name) -> (its SQL, its columns): what is compared.
Schema = dict[tuple[str, str], tuple[str, tuple]]
KINDS = {"trigger": Label(N_("trigger")), "view": Label(N_("view")), "table": Label(N_("bảng")),
         "index": Label(N_("chỉ mục"))}
ORDER = tuple(KINDS)  # what is told first: what runs code, then what holds rows


def schema_of(connection: sqlite3.Connection) -> Schema:
    """The schema of an open SQLite database, as compared."""
    rows = connection.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    return {(kind, name): (_spaced(sql), _columns(connection, name) if kind == "table" else ())
            for kind, name, sql in rows}


def _columns(connection: sqlite3.Connection, table: str) -> tuple:
    # The table's name comes from the file: a bound parameter, never pasted into the statement.
    return tuple(connection.execute("SELECT name, type, \"notnull\", dflt_value, pk, hidden "
                                    "FROM pragma_table_xinfo(?)", (table,)).fetchall())


def _spaced(sql: str | None) -> str:
    text = re.sub(r"\s+", " ", sql or "").strip()
    return re.sub(r"\s*([(),])\s*", r"\1", text)


@lru_cache(maxsize=4)
def reference_schema(revision: str) -> Schema:
    """The schema the migrations build at REVISION, on an empty database in memory."""
    from alembic import command

    from .first_start import alembic_config
    engine = sa.create_engine("sqlite://", poolclass=StaticPool)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), revision)
        with engine.connect() as connection:
            return schema_of(connection.connection.driver_connection)
    finally:
        engine.dispose()


def schema_refusal(found: Schema, expected: Schema) -> ConferenceError | None:
    """Why a file of schema FOUND may not replace the database, or None when it is EXPECTED."""
    extra = sorted(found.keys() - expected.keys(), key=_told_first)
    if extra:
        return _refusal(extra[0], "Tệp sao lưu có %(kind)s “%(name)s” mà Conference day không tạo ra; "
                                  "tệp không được khôi phục.")
    missing = sorted(expected.keys() - found.keys(), key=_told_first)
    if missing:
        return _refusal(missing[0], "Tệp sao lưu thiếu %(kind)s “%(name)s” của Conference day; "
                                    "tệp không được khôi phục.")
    changed = sorted((key for key in found if found[key] != expected[key]), key=_told_first)
    if changed:
        return _refusal(changed[0], "Tệp sao lưu có %(kind)s “%(name)s” khác với của Conference day; "
                                    "tệp không được khôi phục.")
    return None


def _told_first(key: tuple[str, str]) -> tuple[int, str]:
    kind, name = key
    return (ORDER.index(kind) if kind in ORDER else 0, name)


def _refusal(entry: tuple[str, str], msgid: str) -> ConferenceError:
    """The refusal of the schema entry (type, name) of the file; msgid's second argument is
    extracted for the catalogue as every _refusal's is (babel.cfg)."""
    kind, name = entry
    return ConferenceError("not_a_backup", msgid, kind=KINDS.get(kind, kind), name=name[:80])
