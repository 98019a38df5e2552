"""Restore and undo from the office (/admin/backups): the backups kept and what each holds, a
restore after a confirmation that backs the present up first and leaves every screen on the
restored state, refused while the show runs unless forced, a foreign file refused changing
nothing, administrators only; and the command line's restore naming the restored accounts."""
from __future__ import annotations

import io
import re
import sqlite3

import sqlalchemy as sa
from click.testing import CliRunner

from conference.accounts.users import create_user
from conference.cli.commands import cli
from conference.core.db import db
from conference.core.extensions import socketio as server_socketio
from conference.core.models import AccountRole, Delegate
from conference.core.state import default_conference_id
from conference.office import backups, lifecycle, restore
from conference.office.details import create_delegate

from tests.conftest import ADMIN_PASSWORD, bearer, sign_in
from tests.office.lifecycle_helpers import signed_in, states


def _delegates(app) -> int:
    with app.app_context():
        count = db.session.scalar(sa.select(sa.func.count()).select_from(Delegate))
        db.session.rollback()
        return count


def _reasons(app) -> list[str]:
    with app.app_context():
        return [path.name.split("-", 3)[3] for path in backups.backups()]


def test_the_backups_are_listed_newest_first_with_what_each_holds(app):
    admin = signed_in(app)
    with app.app_context():
        first = backups.backup_now("auto")
        cid = default_conference_id()
        create_delegate(cid, "Nguyễn Văn Mới")
        second = backups.backup_now("manual")
        described = restore.describe_backup(second)
        assert (described.conferences, described.delegates, described.checkins) == (1, 66, 0)
        assert [(a.login, a.role) for a in described.accounts] == [("admin", AccountRole.ADMINISTRATOR)]
        assert described.reason == "manual" and described.taken_at.year >= 2024
        assert [b.name for b in restore.kept_backups()] == [second.name, first.name]
        assert restore.kept_backups()[1].delegates == 65
    page = admin.get("/admin/backups").get_data(as_text=True)
    assert page.index(second.name) < page.index(first.name)
    assert "66 đại biểu" in page and "65 đại biểu" in page
    assert 'name="csrf_token"' in page and 'enctype="multipart/form-data"' in page
    assert "/admin/backups" in admin.get("/admin/conferences").get_data(as_text=True)  # linked where backups are
    confirm = admin.get(f"/admin/backups/{second.name}/restore").get_data(as_text=True)
    assert "Đại biểu: 66" in confirm and "admin" in confirm and 'name="confirm"' in confirm
    assert admin.get("/admin/backups/../../conference.db/restore").status_code == 404
    assert admin.get("/admin/backups/nothing.db/restore").status_code == 404


def test_a_restore_from_the_page_needs_its_confirmation_and_backs_up_the_present_first(app):
    admin = signed_in(app)
    with app.app_context():
        taken = backups.backup_now("manual").name
        create_delegate(default_conference_id(), "Trần Thị Sau")
    assert _delegates(app) == 66
    unconfirmed = admin.post(f"/admin/backups/{taken}/restore", data={"csrf_token": admin.csrf_token})
    assert unconfirmed.status_code == 400 and _delegates(app) == 66
    assert admin.post(f"/admin/backups/{taken}/restore", data={"confirm": "1"}).status_code == 400  # no CSRF
    answer = admin.post(f"/admin/backups/{taken}/restore", data={"csrf_token": admin.csrf_token, "confirm": "1"})
    assert answer.status_code == 303, answer.get_data(as_text=True)[:500]
    assert _delegates(app) == 65  # the delegate added after the backup is gone
    assert "before-restore.db" in _reasons(app)
    with app.app_context():
        before = next(b for b in restore.kept_backups() if b.reason == "before-restore")
        assert before.delegates == 66  # the present was kept: the restore can be undone


def test_the_reset_backup_is_offered_as_its_undo(app):
    admin = signed_in(app)
    code = _first_code(app)
    with app.app_context():
        door = _door(app)
    assert app.test_client().post("/api/checkins", json={"code": code}, headers=bearer(door)).status_code in (200, 201)
    with app.app_context():
        cid = default_conference_id()
    assert admin.post("/admin/reset-day", data={"csrf_token": admin.csrf_token, "confirm": "1",
                                                "conference_id": cid}).status_code == 303
    page = admin.get("/admin/backups").get_data(as_text=True)
    assert "Hoàn tác đặt lại" in page
    undo = re.search(r'href="(/admin/backups/[^"]+-before-reset\.db/restore)"', page).group(1)
    assert "Lượt điểm danh: 1" in admin.get(undo).get_data(as_text=True)
    assert admin.post(undo, data={"csrf_token": admin.csrf_token, "confirm": "1"}).status_code == 303
    with app.app_context():
        assert lifecycle.conferences()[0].present == 1  # the rehearsal's check-in is back


def _first_code(app) -> str:
    with app.app_context():
        code = db.session.scalar(sa.select(Delegate.badge_code).order_by(Delegate.id).limit(1))
        db.session.rollback()
        return code


def _door(app) -> str:
    from conference.accounts.devices import create_device
    from conference.core.models import Role
    return create_device(default_conference_id(), Role.DOOR)[1]


def test_a_restore_is_refused_while_the_show_runs_unless_forced(app):
    admin = signed_in(app)
    with app.app_context():
        taken = backups.backup_now("manual")
        from conference.accounts.devices import create_device
        from conference.core.models import Role
        mc = create_device(default_conference_id(), Role.MC)[1]
        create_delegate(default_conference_id(), "Lê Văn Chạy")
    assert app.test_client().post("/api/show/next", headers=bearer(mc)).status_code == 200
    refused = admin.post(f"/admin/backups/{taken.name}/restore", data={"csrf_token": admin.csrf_token, "confirm": "1"})
    assert refused.status_code == 409 and "đang chạy" in refused.get_data(as_text=True)
    assert _delegates(app) == 66 and "before-restore.db" not in _reasons(app)
    with app.app_context():
        try:
            restore.restore(taken)
            raise AssertionError("restored while the show runs")
        except lifecycle.Conflict as conflict:
            assert conflict.code == "show_running"
    forced = admin.post(f"/admin/backups/{taken.name}/restore",
                        data={"csrf_token": admin.csrf_token, "confirm": "1", "force": "1"})
    assert forced.status_code == 303 and _delegates(app) == 65


def test_an_uploaded_foreign_or_broken_file_is_refused_and_nothing_changes(app, tmp_path):
    admin = signed_in(app)
    with app.app_context():
        good = backups.backup_to(tmp_path / "good.db").read_bytes()
        create_delegate(default_conference_id(), "Phạm Thị Còn")
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as other:
        other.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    for content, words in ((foreign.read_bytes(), "không phải là bản sao lưu của Conference day"),
                           (good[: len(good) // 3], "hỏng"),
                           (b"PK\x03\x04" + b"\x00" * 2000, "không phải là bản sao lưu SQLite")):
        answer = admin.post("/admin/backups/upload", content_type="multipart/form-data",
                            data={"csrf_token": admin.csrf_token, "file": (io.BytesIO(content), "x.db")})
        assert answer.status_code == 400 and words in answer.get_data(as_text=True), words
    assert _delegates(app) == 66 and _reasons(app) == []  # nothing restored, nothing kept
    too_big = admin.post("/admin/backups/upload", content_type="multipart/form-data",
                         data={"csrf_token": admin.csrf_token,
                               "file": (io.BytesIO(b"\x00" * (app.config["MAX_CONTENT_LENGTH"] + 1)), "big.db")})
    assert too_big.status_code == 413 and _reasons(app) == []
    uploaded = admin.post("/admin/backups/upload", content_type="multipart/form-data",
                          data={"csrf_token": admin.csrf_token, "file": (io.BytesIO(good), "good.db")})
    assert uploaded.status_code == 303 and _reasons(app) == ["uploaded.db"] and _delegates(app) == 66
    confirm = admin.get(uploaded.headers["Location"])
    assert "Đại biểu: 65" in confirm.get_data(as_text=True)


def test_only_administrators_reach_the_backups(app):
    with app.app_context():
        taken = backups.backup_now("manual").name
        for login, role in (("thu", "secretary"), ("lan", "staff")):
            create_user(login, role, None, "mat-khau-rat-dai-" + login)
    for login in ("thu", "lan"):
        client = sign_in(app.test_client(), login, "mat-khau-rat-dai-" + login)
        for method, path in (("get", "/admin/backups"), ("get", f"/admin/backups/{taken}/restore"),
                             ("post", f"/admin/backups/{taken}/restore"), ("post", "/admin/backups/upload")):
            data = {"csrf_token": client.csrf_token, "confirm": "1", "force": "1"} if method == "post" else None
            assert getattr(client, method)(path, data=data).status_code == 403, (login, path)
        assert "href=\"/admin/backups\"" not in client.get("/admin/conferences").get_data(as_text=True)
    assert _delegates(app) == 65 and "before-restore.db" not in _reasons(app)


def test_every_connected_screen_gets_the_restored_state_at_once(app, tokens):
    admin = signed_in(app)
    with app.app_context():
        taken = backups.backup_now("manual").name
    screens = [server_socketio.test_client(app, auth=a) for a in ({"token": tokens["display"]}, None)]
    for number in range(3):  # the database's version moves past the backup's
        with app.app_context():
            create_delegate(default_conference_id(), f"Khách {number}")
    seen = [states(screen)[-1] for screen in screens]
    assert all(state["attendance"]["expected"] == 68 for state in seen)
    answer = admin.post(f"/admin/backups/{taken}/restore", data={"csrf_token": admin.csrf_token, "confirm": "1"})
    assert answer.status_code == 303
    for screen, before in zip(screens, seen):
        received = states(screen)
        assert received and received[-1]["attendance"]["expected"] == 65
        assert received[-1]["version"] > before["version"]  # a screen takes it: never an older version


def test_the_command_line_restore_names_the_restored_accounts_never_a_password(tmp_path):
    first = {"CONFERENCE_INSTANCE": str(tmp_path / "one"), "CONFERENCE_LANG": "vi",
             "CONFERENCE_ADMIN_PASSWORD": ADMIN_PASSWORD}
    run = CliRunner()
    assert run.invoke(cli, ["users", "add", "thu", "--role", "secretary"], env=first,
                      catch_exceptions=False).exit_code == 0
    assert run.invoke(cli, ["backup", str(tmp_path / "b.db")], env=first).exit_code == 0
    fresh = {"CONFERENCE_INSTANCE": str(tmp_path / "two"), "CONFERENCE_LANG": "vi"}  # a generated admin password
    answer = run.invoke(cli, ["restore", str(tmp_path / "b.db")], env=fresh, catch_exceptions=False)
    assert answer.exit_code == 0, answer.output
    assert "\tadmin\tadministrator" in answer.output and "\tthu\tsecretary" in answer.output
    assert "mật khẩu lúc sao lưu" in answer.output
    assert "chỉ hiện một lần" not in answer.output  # the fresh instance's admin password would not work
    refused = run.invoke(cli, ["restore", str(tmp_path / "nothing.db")],
                         env={**fresh, "CONFERENCE_INSTANCE": str(tmp_path / "three")})
    assert refused.exit_code == 1 and "chỉ hiện một lần" in refused.output  # nothing replaced: it works


def test_a_restore_of_a_backup_without_the_restorers_session_signs_them_out_cleanly(app, tmp_path):
    with app.app_context():
        taken = backups.backup_now("manual").name  # before anyone signed in
    admin = signed_in(app)
    answer = admin.post(f"/admin/backups/{taken}/restore", data={"csrf_token": admin.csrf_token, "confirm": "1"})
    assert answer.status_code == 303
    assert "/login" in admin.get("/admin/backups").headers.get("Location", "")  # the backup's sessions only
    again = sign_in(app.test_client())  # an account of the backup, with its password
    assert again.get("/admin/backups").status_code == 200


def test_the_automatic_backups_roll_on_without_taking_the_resets_backup_with_them(app):
    app.config["BACKUP_KEEP"] = 2
    with app.app_context():
        reset = backups.backup_now("before-reset")
        for _ in range(4):
            backups.backup_now("auto")
        kept = [path.name for path in backups.backups()]
        assert reset.name in kept and len(kept) == 3  # the newest two automatic ones, and the reset's
        assert restore.latest_before_reset().name == reset.name
