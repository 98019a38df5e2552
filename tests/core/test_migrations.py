"""The schema comes from Alembic alone: preparing a database twice changes nothing, and the
migrations at head describe exactly the models (autogenerate finds no difference)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from conference.core.db import Base, db
from conference.core.models import Conference, Delegate
from conference.office.first_start import MIGRATIONS, alembic_config, prepare_database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
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


def test_upgrading_turns_the_times_already_recorded_into_one_run_each(tmp_path):
    """A day run before the run-of-show log (revision 0006) reads the same after the upgrade."""
    from alembic import command
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0006")
        connection.execute(sa.text(
            "INSERT INTO conference (id, title, award_batch_size, created_at) VALUES (1, 'H', 6, '2020-03-05')"))
        connection.execute(sa.text(
            "INSERT INTO agenda_item (id, conference_id, position, title, kind, started_at, ended_at, started_by) "
            "VALUES (1, 1, 1, 'Chào cờ', 'flag', '2020-03-05 00:30:00', '2020-03-05 00:35:00', 'MC 1'), "
            "(2, 1, 2, 'Tham luận', 'talks', '2020-03-05 00:35:00', NULL, 'MC 1'), "
            "(3, 1, 3, 'Bế mạc', 'closing', NULL, NULL, NULL)"))
        connection.execute(sa.text(
            "INSERT INTO agenda_step (id, item_id, position, title, started_at, ended_at) "
            "VALUES (1, 2, 1, 'Người 1', '2020-03-05 00:36:00', NULL), (2, 2, 2, 'Người 2', NULL, NULL)"))
        command.upgrade(alembic_config(connection), "head")
        found = connection.execute(sa.text(
            "SELECT item_id, step_id, started_at, ended_at, started_by FROM show_run ORDER BY item_id, step_id"
        )).all()
    engine.dispose()
    assert [tuple(row) for row in found] == [
        (1, None, "2020-03-05 00:30:00", "2020-03-05 00:35:00", "MC 1"),
        (2, None, "2020-03-05 00:35:00", None, "MC 1"),
        (2, 1, "2020-03-05 00:36:00", None, None)]
