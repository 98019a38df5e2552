"""Bring the database to the current schema, then load the demo conference into an empty one."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from conference.core.db import db

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade_schema() -> None:
    """Apply every migration not yet applied (an existing database is upgraded in place)."""
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several server processes may start at once; one migrates, the others wait.
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(4242001)"))
        command.upgrade(alembic_config(connection), "head")


def prepare_database(load_demo: bool = True, admin_password: str | None = None,
                     reset_admin: bool = False) -> str | None:
    """Returns the first administrator's password when it was generated now (to print once).
    reset_admin: give `admin` admin_password even if it exists (accounts.users.ensure_first_admin)."""
    with _one_process_at_a_time():
        upgrade_schema()
        if load_demo:
            from .demo import load_demo_if_empty
            load_demo_if_empty()
        from conference.accounts.users import ensure_first_admin
        return ensure_first_admin(admin_password, reset_admin)


@contextmanager
def _one_process_at_a_time() -> Iterator[None]:
    """On PostgreSQL, processes started together prepare the database one after the other, so
    the demo is loaded once (tests/scale/test_scale_processes.py). SQLite is the one-process
    embedded default: nothing to wait for."""
    if db.engine.dialect.name != "postgresql":
        yield
        return
    with db.engine.connect() as holder:  # a session-level lock on a connection of its own
        holder.execute(sa.text("SELECT pg_advisory_lock(4242002)"))
        holder.commit()
        try:
            yield
        finally:
            holder.execute(sa.text("SELECT pg_advisory_unlock(4242002)"))
            holder.commit()
