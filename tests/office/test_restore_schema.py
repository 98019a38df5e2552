"""A restore trusts nothing in the file: a backup whose schema is not exactly the one the migrations
build (a trigger, a view, a table, an index or a column of its own, or one changed) is refused with
a message naming it, and the live database is left as it was."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from conference.core.db import db
from conference.core.errors import ConferenceError
from conference.office import backups

# A sign-in adds a session row: this one also makes an administrator nobody created.
HIDDEN_ADMINISTRATOR = ("CREATE TRIGGER audit_sessions AFTER INSERT ON login_session BEGIN "
                        "INSERT OR IGNORE INTO users (login, name, password_hash, role, created_at) "
                        "VALUES ('ghost', 'Ghost', 'pbkdf2:sha256:1000$x$y', 'administrator', '2026-01-01'); END")
WIPE_CHECKINS = "CREATE TRIGGER tidy AFTER INSERT ON scan BEGIN DELETE FROM checkin; END"
SCHEMA_EDIT = "PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = replace(sql, 'login VARCHAR(40)', " \
              "'login TEXT') WHERE name = 'users'; PRAGMA writable_schema = OFF"


@pytest.fixture
def good_backup(app, tmp_path) -> Path:
    with app.app_context():
        return backups.backup_to(tmp_path / "good.db")


def tampered(good: Path, name: str, script: str) -> Path:
    path = shutil.copy(good, good.with_name(f"{name}.db"))
    with sqlite3.connect(path) as changing:
        changing.executescript(script)
    changing.close()
    return Path(path)


def live_state(app) -> tuple:
    """What a restore would change: the schema and the rows that matter here."""
    with app.app_context():
        schema = db.session.execute(sa.text("SELECT type, name, sql FROM sqlite_master ORDER BY name")).all()
        counts = [db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))
                  for table in ("users", "conference", "delegate", "checkin", "device")]
        db.session.remove()
    return tuple(schema), tuple(counts)


def refused(app, path: Path) -> ConferenceError:
    before = live_state(app)
    with app.app_context():
        with pytest.raises(ConferenceError) as refusal:
            backups.restore_from(path)
    assert refusal.value.code == "not_a_backup"
    assert live_state(app) == before
    return refusal.value


TAMPERED = {  # name: (what is done to a good backup, what the refusal says)
    "hidden-administrator": (HIDDEN_ADMINISTRATOR, "có trigger “audit_sessions” mà Conference day không tạo ra"),
    "wipe-checkins": (WIPE_CHECKINS, "có trigger “tidy”"),
    "view": ("CREATE VIEW people AS SELECT login, password_hash FROM users", "có view “people”"),
    "extra-table": ("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)", "có bảng “notes” mà"),
    "extra-column": ("ALTER TABLE users ADD COLUMN note TEXT", "có bảng “users” khác"),
    "changed-column": (SCHEMA_EDIT, "có bảng “users” khác"),
    "extra-index": ("CREATE INDEX ix_users_name ON users(name)", "có chỉ mục “ix_users_name” mà"),
    "changed-index": ("DROP INDEX ix_audit_entry_at; CREATE INDEX ix_audit_entry_at ON audit_entry(action)",
                      "có chỉ mục “ix_audit_entry_at” khác"),
    "missing-index": ("DROP INDEX ix_audit_entry_at", "thiếu chỉ mục “ix_audit_entry_at”"),
}


@pytest.mark.parametrize("name", TAMPERED)
def test_a_backup_whose_schema_is_not_the_products_is_refused_and_nothing_changes(app, good_backup, name):
    script, words = TAMPERED[name]
    refusal = refused(app, tampered(good_backup, name, script))
    assert words in refusal.message and "không được khôi phục" in refusal.message


def test_the_refusal_is_told_in_english_too(app, good_backup):
    refusal = refused(app, tampered(good_backup, "trigger", WIPE_CHECKINS))
    with app.test_request_context("/?lang=en"):
        assert "trigger “tidy” that Conference day does not make" in refusal.localized()


def test_a_row_pointing_at_nothing_is_refused(app, good_backup):
    dangling = ("PRAGMA foreign_keys = OFF; INSERT INTO login_session (id_hash, user_id, created_at, "
                "last_seen_at, expires_at) VALUES ('x', 987654, '2026-01-01', '2026-01-01', '2099-01-01')")
    assert "không tồn tại" in refused(app, tampered(good_backup, "dangling", dangling)).message


def test_the_products_own_backup_restores_whatever_its_file_is_called(app, good_backup, tmp_path):
    odd = Path(shutil.copy(good_backup, tmp_path / "sao lưu #1?.db"))
    with app.app_context():
        backups.restore_from(odd)
        assert db.session.scalar(sa.text("SELECT count(*) FROM delegate")) == 65
        assert db.session.scalar(sa.text("SELECT count(*) FROM sqlite_master WHERE type IN ('trigger', 'view')")) == 0
