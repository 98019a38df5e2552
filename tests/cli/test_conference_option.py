"""`--conference ID` on every command that reads or writes one conference's data (docs/API.md §2): with
two conferences, the chosen one is worked on and the active one is left as it was; without the option the
active one is used; an ID that is not one of this install's conferences is refused (exit 1) and nothing
changes. Run in-process, on SQLite and on PostgreSQL (DATABASE_URL, as the command line reads it); the
second conference is a copy of the demo (which stays active)."""
from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from click.testing import CliRunner
from docx import Document

from conference.cli.commands import cli
from tests.conftest import ROOT

TITLE = "Hội nghị tháng sau"
ONE_CONFERENCE_COMMANDS = ("import-delegates", "badges", "export-attendance", "export-minutes", "export-script",
                           "credentials-report", "conclusion-notice", "counting-record", "invitations", "reset-day",
                           "add-cue", "add-slides", "assign-seats", "seating-chart", "name-cards", "add-document")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def run(request, tmp_path, monkeypatch):
    env = {"CONFERENCE_INSTANCE": str(tmp_path / "instance"), "CONFERENCE_LANG": "vi",
           "CONFERENCE_ADMIN_PASSWORD": "conference-option-password"}
    if request.param == "postgresql":
        env["DATABASE_URL"] = request.getfixturevalue("postgres_url")

    def invoke(*args: str):
        return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    invoke.env = env
    assert invoke("conferences").exit_code == 0  # the database and its demo conference (1, active)
    with in_app(invoke, monkeypatch):
        from conference.office.lifecycle import create_conference
        assert create_conference(TITLE, copy_from=1) == 2
    return invoke


@contextmanager
def in_app(run, monkeypatch):
    """The app on the command line's database, to set up or read what the commands cannot show."""
    from conference import create_app
    from conference.core.db import db
    for name, value in run.env.items():
        monkeypatch.setenv(name, value)
    with create_app().app_context():
        try:
            yield
        finally:
            db.session.remove()
            db.engine.dispose()


def expected(run) -> dict[str, str]:
    """Each conference's PRESENT/EXPECTED, by id, as `conferences` lists them; the active one is still 1."""
    answer = run("conferences")
    assert answer.exit_code == 0, answer.output
    rows = [line.split("\t") for line in answer.output.splitlines()]
    assert [row[1] for row in rows if row[0] == "*"] == ["1"]
    return {row[1]: row[3] for row in rows}


def refused(answer) -> None:
    assert answer.exit_code == 1, answer.output
    assert answer.output.startswith("Lỗi: ") and "Không tìm thấy hội nghị" in answer.output, answer.output


def sheet(tmp_path, *names: str):
    path = tmp_path / f"{names[0]}.csv"
    path.write_text("Họ và tên,Đơn vị\n" + "".join(f"{name},Tổ dân phố 40\n" for name in names), encoding="utf-8")
    return path


def add_to_second(run, monkeypatch, tmp_path) -> None:
    """Two delegates more in conference 2 (67 against the demo's 65), added without the command line."""
    from conference.checkin.importer import import_delegates
    with in_app(run, monkeypatch):
        import_delegates(2, "them.csv", sheet(tmp_path, "Trịnh Văn Sau", "Lâm Thị Tới").read_bytes())


def docx_text(path) -> str:
    document = Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


def test_import_delegates_adds_to_the_chosen_conference_only(run, tmp_path):
    assert expected(run) == {"1": "0/65", "2": "0/65"}
    done = run("import-delegates", "--conference", "2", str(sheet(tmp_path, "Trịnh Văn Sau", "Lâm Thị Tới")))
    assert done.exit_code == 0 and "Đã nhập 2 đại biểu" in done.output, done.output
    assert expected(run) == {"1": "0/65", "2": "0/67"}
    refused(run("import-delegates", "--conference", "99", str(sheet(tmp_path, "Ông Không Đâu"))))
    assert expected(run) == {"1": "0/65", "2": "0/67"}
    assert run("import-delegates", str(sheet(tmp_path, "Bà Hôm Nay"))).exit_code == 0  # the active one
    assert expected(run) == {"1": "0/66", "2": "0/67"}


def test_badges_and_invitations_are_for_the_chosen_conferences_delegates(run, tmp_path, monkeypatch):
    add_to_second(run, monkeypatch, tmp_path)
    second = run("badges", "--no-png", "--conference", "2", "--out", str(tmp_path / "sau"))
    assert second.exit_code == 0 and "Đã tạo 67 thẻ" in second.output, second.output
    assert (tmp_path / "sau" / "badges.pdf").stat().st_size > 0
    today = run("badges", "--no-png", "--out", str(tmp_path / "nay"))
    assert today.exit_code == 0 and "Đã tạo 65 thẻ" in today.output, today.output
    refused(run("badges", "--no-png", "--conference", "99", "--out", str(tmp_path / "khong")))
    assert not (tmp_path / "khong").exists()

    second = run("invitations", "--conference", "2", str(tmp_path / "sau.pdf"))
    assert second.exit_code == 0 and "cho 67 đại biểu" in second.output, second.output
    today = run("invitations", str(tmp_path / "nay.pdf"))
    assert today.exit_code == 0 and "cho 65 đại biểu" in today.output, today.output
    refused(run("invitations", "--conference", "99", str(tmp_path / "khong.pdf")))
    assert not (tmp_path / "khong.pdf").exists()


def test_exports_are_of_the_chosen_conference(run, tmp_path, monkeypatch):
    add_to_second(run, monkeypatch, tmp_path)
    assert run("export-attendance", "--conference", "2", str(tmp_path / "sau.csv")).exit_code == 0
    assert "Trịnh Văn Sau" in (tmp_path / "sau.csv").read_text(encoding="utf-8-sig")
    assert run("export-attendance", str(tmp_path / "nay.csv")).exit_code == 0
    assert "Trịnh Văn Sau" not in (tmp_path / "nay.csv").read_text(encoding="utf-8-sig")

    for command in ("export-minutes", "export-script", "credentials-report", "conclusion-notice"):
        assert run(command, "--conference", "2", str(tmp_path / f"{command}-sau.docx")).exit_code == 0
        assert TITLE in docx_text(tmp_path / f"{command}-sau.docx"), command
        assert run(command, str(tmp_path / f"{command}-nay.docx")).exit_code == 0
        assert TITLE not in docx_text(tmp_path / f"{command}-nay.docx"), command
        refused(run(command, "--conference", "99", str(tmp_path / f"{command}-khong.docx")))
        assert not (tmp_path / f"{command}-khong.docx").exists()


def test_reset_day_clears_the_chosen_conference_only(run, tmp_path, monkeypatch):
    import sqlalchemy as sa

    from conference.checkin.checkins import check_in
    from conference.core.db import db
    from conference.core.models import Delegate
    with in_app(run, monkeypatch):
        for conference_id in (1, 2):
            first = db.session.scalar(sa.select(Delegate.id).where(Delegate.conference_id == conference_id)
                                      .order_by(Delegate.id).limit(1))
            check_in(conference_id, delegate_id=first)
    assert expected(run) == {"1": "1/65", "2": "1/65"}
    refused(run("reset-day", "--yes", "--conference", "99"))
    assert expected(run) == {"1": "1/65", "2": "1/65"}
    done = run("reset-day", "--yes", "--conference", "2")
    assert done.exit_code == 0 and "1 lượt điểm danh" in done.output, done.output
    assert expected(run) == {"1": "1/65", "2": "0/65"}
    assert run("reset-day", "--yes").exit_code == 0  # the active one
    assert expected(run) == {"1": "0/65", "2": "0/65"}


@pytest.mark.parametrize("command", ONE_CONFERENCE_COMMANDS)
def test_each_such_command_offers_the_option_in_both_languages(command):
    for language, words in (("vi", "Số của hội nghị (mặc định: hội nghị đang hoạt động)."),
                            ("en", "The conference number (default: the active conference).")):
        shown = CliRunner().invoke(cli, [command, "--help"], env={"CONFERENCE_LANG": language})
        assert shown.exit_code == 0 and "--conference ID" in shown.output, shown.output
        assert words in " ".join(shown.output.split()), shown.output


def test_the_guide_names_exactly_the_commands_that_take_the_option():
    """docs/API.md §2 lists the commands that take `--conference ID`: every one that does, and no other."""
    guide = " ".join((ROOT / "docs" / "API.md").read_text(encoding="utf-8").split())
    listed = re.search(r"The commands that read or write one conference's data \(([^)]*)\) take `--conference ID`",
                       guide)
    assert listed, "the paragraph is gone from docs/API.md"
    taking = {name for name, command in cli.commands.items()
              if any("--conference" in getattr(param, "opts", ()) for param in command.params)}
    assert set(re.findall(r"`([a-z-]+)`", listed.group(1))) == taking == set(ONE_CONFERENCE_COMMANDS)


def test_the_guide_has_a_row_for_every_command():
    """docs/API.md §2's table of commands: a row for each the command line has."""
    guide = (ROOT / "docs" / "API.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `([a-z-]+)", guide, re.MULTILINE))
    assert set(cli.commands) - rows == set()
