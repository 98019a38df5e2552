"""The schema comes from Alembic alone: preparing a database twice changes nothing, and the
migrations at head describe exactly the models (autogenerate finds no difference)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from conference.db import Base, db
from conference.models import Conference, Delegate
from conference.setup import MIGRATIONS, alembic_config, prepare_database


@pytest.fixture(params=["sqlite", "postgresql"])
def any_app(request, tmp_path):
    from conference import create_app
    url = (f"sqlite:///{tmp_path / 'm.db'}" if request.param == "sqlite"
           else request.getfixturevalue("postgres_url"))
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def head_revision() -> str:
    with db.engine.connect() as connection:
        return ScriptDirectory.from_config(alembic_config(connection)).get_current_head()


def test_preparing_the_database_twice_changes_nothing(any_app):
    with any_app.app_context():
        counts = [db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Conference, Delegate)]
        db.session.rollback()
        prepare_database(load_demo=True)
        prepare_database(load_demo=True)
        assert [db.session.scalar(sa.select(sa.func.count()).select_from(m))
                for m in (Conference, Delegate)] == counts == [1, 65]
        with db.engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_heads() == (head_revision(),)


def test_the_migrations_at_head_match_the_models(any_app):
    with any_app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_there_is_one_migration_head():
    from alembic.config import Config
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1
