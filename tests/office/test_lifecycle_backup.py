"""Backups: online and consistent while doors scan, automatic and pruned, downloadable, and a
restore that refuses anything but a whole backup of this application, changing nothing."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from conference.core.db import db
from conference.core.errors import ConferenceError
from conference.core.models import CheckIn, Conference, Delegate
from conference.office import backups, lifecycle

from tests.conftest import ROOT, LiveServer, bearer
from tests.office.lifecycle_helpers import any_app, signed_in  # noqa: F401 - any_app is a fixture


def _conferences() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Conference))


def test_a_backup_restores_the_state_it_was_taken_at(app, tmp_path):
    with app.app_context():
        copy = backups.backup_to(tmp_path / "a.db")
        backups.check_backup(copy)
        lifecycle.create_conference("Thêm sau khi sao lưu")
        assert _conferences() == 2
        backups.restore_from(copy)
        assert _conferences() == 1


def _refused(app, path: Path, words: str) -> None:
    with app.app_context():
        before = _conferences()
        with pytest.raises(ConferenceError) as refused:
            backups.restore_from(path)
        assert refused.value.code == "not_a_backup" and words in refused.value.message
        db.session.remove()
        assert _conferences() == before
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Delegate)) == 65


def test_a_corrupt_truncated_or_foreign_file_is_refused_and_nothing_changes(app, tmp_path):
    with app.app_context():
        good = backups.backup_to(tmp_path / "good.db").read_bytes()
    (tmp_path / "text.db").write_text("không phải cơ sở dữ liệu")
    _refused(app, tmp_path / "text.db", "không phải là bản sao lưu SQLite")
    (tmp_path / "short.db").write_bytes(good[: len(good) // 3])
    _refused(app, tmp_path / "short.db", "hỏng")
    damaged = bytearray(good)
    for offset in range(4096 * 3, len(damaged) - 4096, 4096):  # every page past the first two
        damaged[offset + 10: offset + 60] = b"\xff" * 50
    (tmp_path / "damaged.db").write_bytes(bytes(damaged))
    _refused(app, tmp_path / "damaged.db", "hỏng")
    with sqlite3.connect(tmp_path / "foreign.db") as foreign:
        foreign.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    _refused(app, tmp_path / "foreign.db", "không phải là bản sao lưu của Conference day")
    (tmp_path / "old.db").write_bytes(good)
    with sqlite3.connect(tmp_path / "old.db") as old:
        old.execute("UPDATE alembic_version SET version_num = '0001'")
    _refused(app, tmp_path / "old.db", "phiên bản khác")
    _refused(app, tmp_path / "missing.db", "Không đọc được")


def test_automatic_backups_are_taken_and_only_the_newest_are_kept(tmp_path):
    from conference import create_app
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True, "BACKUP_INTERVAL": 0.2,
                      "BACKUP_KEEP": 3, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'auto.db'}"})
    assert backups.start_auto_backups(app) is not None
    deadline = time.monotonic() + 15
    with app.app_context():
        while len(backups.backups()) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1)
        kept = backups.backups()
        assert len(kept) == 3 and all("auto" in path.name for path in kept)
        checked = 0
        for path in kept:  # the rounds go on meanwhile: a copy, as the oldest may be pruned under us
            try:
                copy = Path(shutil.copy(path, tmp_path / path.name))
            except FileNotFoundError:
                continue
            backups.check_backup(copy)
            checked += 1
        assert checked >= 2


@pytest.mark.slow
def test_serve_takes_automatic_backups_into_the_instance_folder(tmp_path):
    server = LiveServer(tmp_path / "served", env={"CONFERENCE_BACKUP_INTERVAL": "0.5", "CONFERENCE_BACKUP_KEEP": "2"})
    server.start()
    try:
        folder = server.instance / "backups"
        deadline = time.monotonic() + 20
        while len(list(folder.glob("*-auto.db"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.5)  # a few more rounds: still the newest two only
    finally:
        server.stop()
    kept = sorted(folder.glob("*.db"))
    assert len(kept) == 2
    with sqlite3.connect(f"file:{kept[-1]}?mode=ro", uri=True) as copy:
        assert copy.execute("SELECT count(*) FROM delegate").fetchone()[0] == 65


def test_the_office_downloads_the_latest_backup(app):
    admin = signed_in(app)
    assert admin.get("/admin/backups/latest.db").status_code == 404
    assert admin.post("/admin/backups", data={"csrf_token": admin.csrf_token}).status_code == 303
    answer = admin.get("/admin/backups/latest.db")
    assert answer.status_code == 200 and answer.data.startswith(backups.HEADER)
    assert "latest.db" in admin.get("/admin/conferences").get_data(as_text=True)
    assert app.test_client().get("/admin/backups/latest.db").status_code == 302  # not without the sign-in


def test_the_office_is_warned_when_the_disk_is_nearly_full(app, monkeypatch):
    admin = signed_in(app)
    assert 'id="disk-low"' not in admin.get("/admin/conferences").get_data(as_text=True)
    monkeypatch.setattr(backups, "LOW_DISK_BYTES", 10**18)  # more than any disk has free
    assert 'id="disk-low"' in admin.get("/admin/conferences").get_data(as_text=True)


def test_on_postgresql_backup_and_restore_point_to_pg_dump(postgres_url, tmp_path):
    from conference import create_app
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": postgres_url})
    with app.app_context():
        for action in (lambda: backups.backup_to(tmp_path / "x.db"), lambda: backups.restore_from(tmp_path / "x.db")):
            with pytest.raises(ConferenceError) as refused:
                action()
            assert refused.value.code == "use_pg_dump" and "pg_dump" in refused.value.message
        assert backups.start_auto_backups(app) is None
        db.session.remove()
        db.engine.dispose()


def _cli(instance: Path, *args: str) -> subprocess.CompletedProcess:
    import os
    env = {**os.environ, "CONFERENCE_INSTANCE": str(instance)}
    return subprocess.run([sys.executable, "-m", "conference", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_a_backup_taken_during_a_burst_of_checkins_restores_every_acknowledged_one_once(tmp_path):
    """Four doors scan every badge, then admit walk-ins, until the CLI's backup (another process)
    is done: every check-in acknowledged before the backup began is in it, once; none that
    was never acknowledged."""
    server = LiveServer(tmp_path / "first").start()
    try:
        door = server.token("door")
        codes = [row["badge_code"] for row in requests.get(server.url + "/api/delegates", headers=bearer(door),
                                                           timeout=10).json()["delegates"]]
        acknowledged: dict[int, float] = {}  # delegate id -> when its 201 came back
        stop = threading.Event()

        def scan(number: int) -> None:
            with requests.Session() as http:
                def send(path: str, body: dict) -> None:
                    answer = http.post(server.url + path, json=body, headers=bearer(door), timeout=30)
                    if answer.status_code == 201:
                        acknowledged[answer.json()["delegate"]["id"]] = time.monotonic()
                for code in codes[number::4]:
                    send("/api/checkins", {"code": code})
                count = 0
                while not stop.is_set():
                    count += 1
                    send("/api/delegates", {"full_name": f"Khách {number}-{count}", "check_in": True})

        doors = [threading.Thread(target=scan, args=(number,)) for number in range(4)]
        for thread in doors:
            thread.start()
        time.sleep(0.3)  # the burst is under way
        started = time.monotonic()
        made = _cli(server.instance, "backup", str(tmp_path / "burst.db"))
        finished = time.monotonic()
        time.sleep(0.3)
        stop.set()
        for thread in doors:
            thread.join()
        assert made.returncode == 0, made.stderr
    finally:
        server.stop()
    before = {key for key, at in acknowledged.items() if at < started}
    assert before and any(at > finished for at in acknowledged.values()), "the backup was not taken mid-burst"

    fresh = tmp_path / "second"
    restored = _cli(fresh, "restore", str(tmp_path / "burst.db"))
    assert restored.returncode == 0, restored.stderr
    with sqlite3.connect(fresh / "conference.db") as copy:
        present = [delegate for (delegate,) in copy.execute("SELECT delegate_id FROM checkin")]
    assert len(present) == len(set(present))  # once each
    assert before <= set(present) <= set(acknowledged)
    second = LiveServer(fresh).start()
    try:
        state = requests.get(second.url + "/api/state", timeout=10).json()
        assert state["attendance"]["present"] == len(present)
    finally:
        second.stop()
