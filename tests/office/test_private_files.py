"""The files that hold the accounts (the database and its -wal and -shm, every backup, the secret
key) are readable by their owner only, and the folders the product makes for them are its owner's."""
from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from conference.core.db import db
from conference.office import backups

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask():
    """The umask most systems give (022): left to it, new files would be readable by everyone."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def new_app(instance: Path, database: Path | None = None):
    from conference import create_app
    from tests.conftest import FAST_HASH
    return create_app({"INSTANCE_PATH": str(instance), "TESTING": True, "PASSWORD_HASH_METHOD": FAST_HASH,
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database or instance / 'conference.db'}"})


def close(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_new_instance_its_database_wal_shm_and_secret_key_are_the_owners_only(tmp_path):
    instance = tmp_path / "new" / "instance"
    app = new_app(instance)
    try:
        with app.app_context():
            db.session.execute(sa.text("UPDATE conference SET title = title"))  # a write: the -wal is in use
            db.session.commit()
            files = [instance / name for name in ("conference.db", "conference.db-wal", "conference.db-shm",
                                                  "secret_key")]
            assert all(path.exists() for path in files)
            assert {path.name: mode(path) for path in files} == {path.name: 0o600 for path in files}
        assert mode(instance) == 0o700
    finally:
        close(app)


def test_every_backup_automatic_manual_or_to_a_file_is_the_owners_only(app, tmp_path):
    with app.app_context():
        made = [backups.backup_now("auto"), backups.backup_now("manual"),
                backups.backup_to(tmp_path / "usb" / "copy.db")]  # the `backup FILE` command's
        assert [mode(path) for path in made] == [0o600] * 3
        assert mode(backups.backup_dir()) == 0o700 and mode(tmp_path / "usb") == 0o700


def test_files_an_older_version_left_open_to_all_are_narrowed(tmp_path):
    instance = tmp_path / "instance"
    database = instance / "conference.db"
    close(new_app(instance))
    os.chmod(database, 0o644)  # as a version before this one made them
    (instance / "backups").mkdir(mode=0o755)
    app = new_app(instance)
    try:
        assert mode(database) == 0o600
        with app.app_context():
            backups.backup_now("manual")
        assert mode(instance / "backups") == 0o700
    finally:
        close(app)
