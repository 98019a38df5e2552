"""Bring the database to the current schema, then load the demo conference into an empty one."""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from .db import db

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


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


def prepare_database(load_demo: bool = True) -> None:
    upgrade_schema()
    if load_demo:
        from .services.demo import load_demo_if_empty
        load_demo_if_empty()
