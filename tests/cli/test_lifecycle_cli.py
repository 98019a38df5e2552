"""The command line's conference life: each command does its one thing, and refuses what it
cannot do with one line and exit 1, changing nothing."""
from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from conference.cli.commands import cli


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def run(request, tmp_path):
    # a given admin password: no first-start password line among the answers read here
    env = {"CONFERENCE_INSTANCE": str(tmp_path / "instance"), "CONFERENCE_LANG": "vi",
           "CONFERENCE_ADMIN_PASSWORD": "lifecycle-cli-password"}
    if request.param == "postgresql":
        env["DATABASE_URL"] = request.getfixturevalue("postgres_url")

    def invoke(*args: str):
        return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    invoke.backend, invoke.env = request.param, env
    return invoke


def listed(run) -> list[list[str]]:
    answer = run("conferences")
    assert answer.exit_code == 0, answer.output
    return [line.split("\t") for line in answer.output.splitlines()]


def refused(answer, words: str) -> None:
    assert answer.exit_code == 1 and answer.output.startswith("Lỗi: ") and words in answer.output, answer.output


def test_list_create_activate(run):
    [demo] = listed(run)
    assert demo[0] == "*" and demo[1] == "1" and demo[3] == "0/65"
    assert run("new-conference", "--title", "Hội nghị tổng kết năm 2026", "--template", "tong-ket-nam").output \
        == "Đã tạo hội nghị số 2.\n"
    assert run("new-conference", "--title", "Lần thứ V", "--copy-from", "1").exit_code == 0
    assert run("activate", "3").exit_code == 0
    rows = {row[1]: row for row in listed(run)}
    assert rows["3"][0] == "*" and rows["1"][0] == " " and rows["3"][3] == "0/65" and rows["2"][4].startswith("Hội nghị")


def test_refusals_change_nothing(run, tmp_path):
    before = listed(run)
    refused(run("activate", "99"), "Không tìm thấy hội nghị")
    refused(run("new-conference", "--title", "X", "--copy-from", "99"), "Không tìm thấy hội nghị")
    refused(run("new-conference", "--title", "X", "--template", "khong-co"), "Không có mẫu")
    refused(run("new-conference", "--title", "   "), "Tên hội nghị")
    refused(run("reset-day"), "--yes")
    refused(run("export-attendance", "--conference", "99", str(tmp_path / "a.csv")), "Không tìm thấy hội nghị")
    refused(run("export-minutes", "--conference", "99", str(tmp_path / "m.docx")), "Không tìm thấy hội nghị")
    assert not (tmp_path / "a.csv").exists()
    assert listed(run) == before


def test_activate_and_reset_while_the_show_runs_need_force(run, monkeypatch):
    run("new-conference", "--title", "Khác")
    assert run("reset-day", "--yes").exit_code == 0  # the show is not running: allowed
    _start_show(run, monkeypatch)
    refused(run("activate", "2"), "đang chạy")
    refused(run("reset-day", "--yes"), "đang chạy")
    assert listed(run)[-1][0] == "*"  # the demo (listed last, the oldest) is still active
    assert run("reset-day", "--yes", "--force").exit_code == 0
    _start_show(run, monkeypatch)
    assert run("activate", "2", "--force").exit_code == 0
    assert listed(run)[0][0] == "*"


def _start_show(run, monkeypatch) -> None:
    """The MC starts the show of the active conference, through the API of the same database."""
    from conference import create_app
    from conference.core.db import db
    from conference.core.models import Role
    from conference.accounts.devices import create_device
    from conference.core.state import default_conference_id
    for name, value in run.env.items():
        monkeypatch.setenv(name, value)
    app = create_app()
    with app.app_context():
        token = create_device(default_conference_id(), Role.MC)[1]
    assert app.test_client().post("/api/show/next", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_backup_and_restore_on_sqlite_refuse_what_is_not_a_backup(run, tmp_path):
    if run.backend == "postgresql":
        refused(run("backup", str(tmp_path / "b.db")), "pg_dump")
        refused(run("restore", str(tmp_path / "b.db")), "pg_dump")
        return
    assert run("backup", str(tmp_path / "b.db")).exit_code == 0
    with sqlite3.connect(tmp_path / "b.db") as copy:
        assert copy.execute("SELECT count(*) FROM delegate").fetchone()[0] == 65
    (tmp_path / "bad.db").write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    refused(run("restore", str(tmp_path / "bad.db")), "hỏng")
    refused(run("restore", str(tmp_path / "nothing.db")), "Không đọc được")
    run("new-conference", "--title", "Sau sao lưu")
    assert len(listed(run)) == 2
    assert run("restore", str(tmp_path / "b.db")).exit_code == 0
    assert len(listed(run)) == 1
