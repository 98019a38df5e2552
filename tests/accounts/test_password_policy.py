"""A new password may not be one anybody tries first: one character or a short group repeated, a run
such as 12345678 or abcdefgh, or one of the commonest passwords (conference/accounts/passwords.py),
wherever it is set: the accounts page, the `users` command, CONFERENCE_ADMIN_PASSWORD at start.
12345678 and aaaaaaaa used to be accepted."""
from __future__ import annotations

import tomllib

import pytest
from click.testing import CliRunner

from tests.accounts.test_accounts import can_sign_in, cli, listed, post, user_id, users_in  # noqa: F401 (cli: a fixture)
from tests.conftest import ADMIN_LOGIN, ADMIN_PASSWORD, FAST_HASH, ROOT
from tests.web.test_access_matrix import fingerprint

REPEATED = "Mật khẩu không được chỉ là một ký tự hay một nhóm ký tự ngắn lặp lại."
RUN = "Mật khẩu không được là một dãy liên tiếp như 12345678 hay abcdefgh."
COMMON = "Mật khẩu này nằm trong danh sách mật khẩu phổ biến nhất; hãy chọn mật khẩu khác."
WEAK = [("12345678", RUN), ("aaaaaaaa", REPEATED), ("abcdefgh", RUN), ("87654321", RUN), ("78901234", RUN),
        ("12121212", REPEATED), ("abcdabcd", REPEATED), ("PASSWORD", COMMON), ("123456789", RUN),
        ("admin123", COMMON), ("MatKhau123", COMMON), ("mậtkhẩu123", COMMON), ("Admin@123", COMMON),
        ("anhyeuem", COMMON), ("qwertyuiop", COMMON), ("hoinghi2025", COMMON)]
STRONG = ["mật-khẩu-thư-ký", "lan-password-1", "Giấy khen 2025", "hoinghi-antan-x7", "abcdefgz", "1234567a"]


@pytest.mark.parametrize("password, message", WEAK)
def test_the_accounts_page_refuses_an_easy_password_and_says_why(app, admin_client, password, message):
    before = fingerprint(app)
    added = post(admin_client, "/admin/users", login="lan", role="staff", password=password)
    assert added.status_code == 400 and message in added.get_data(as_text=True)
    reset = post(admin_client, f"/admin/users/{user_id(app, ADMIN_LOGIN)}/password", password=password)
    assert reset.status_code == 400 and message in reset.get_data(as_text=True)
    assert fingerprint(app) == before and can_sign_in(app, ADMIN_LOGIN, ADMIN_PASSWORD)


@pytest.mark.parametrize("password", STRONG)
def test_a_password_nobody_tries_first_is_taken(app, admin_client, password):
    assert post(admin_client, "/admin/users", login="lan", role="staff", password=password).status_code == 200
    assert can_sign_in(app, "lan", password)


def test_the_users_command_refuses_an_easy_password(cli):
    added = cli("add", "carol", "--role", "staff", "--password", input="12345678\n12345678\n")
    assert added.exit_code == 1 and RUN in added.output
    reset = cli("passwd", "admin", "--password", input="aaaaaaaa\naaaaaaaa\n")
    assert reset.exit_code == 1 and REPEATED in reset.output
    assert [line.split("\t")[0] for line in listed(cli)] == ["admin"]


def test_an_english_command_line_says_it_in_english(cli, monkeypatch):
    monkeypatch.setenv("CONFERENCE_LANG", "en")
    added = cli("add", "carol", "--role", "staff", "--password", input="password\npassword\n")
    assert added.exit_code == 1 and "one of the most common passwords" in added.output


@pytest.mark.parametrize("password, message", [("admin123", COMMON), ("aaaaaaaa", REPEATED), ("short", "Mật khẩu dài")])
def test_a_start_with_an_easy_admin_password_stops_and_names_the_variable(tmp_path, password, message):
    from conference import create_app
    with pytest.raises(SystemExit, match=f"CONFERENCE_ADMIN_PASSWORD: {message}"):
        create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True, "ADMIN_PASSWORD": password,
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'weak.db'}", "PASSWORD_HASH_METHOD": FAST_HASH})
    assert not (tmp_path / "weak.db").exists()  # stopped before anything was made


def test_a_command_started_with_an_easy_admin_password_exits_non_zero(tmp_path, monkeypatch):
    from conference.cli.commands import cli as command
    monkeypatch.setenv("CONFERENCE_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("CONFERENCE_ADMIN_PASSWORD", "12345678")
    result = CliRunner().invoke(command, ["users", "list"])
    assert result.exit_code == 1 and f"CONFERENCE_ADMIN_PASSWORD: {RUN}" in result.output


def test_the_list_is_a_few_hundred_of_the_commonest_and_ships_in_the_package():
    from conference.accounts.passwords import COMMON as LIST, common_passwords
    assert 300 <= len(common_passwords()) <= 1000
    assert {"matkhau", "123456789", "admin123", "password", "anhyeuem", "iloveyou"} <= common_passwords()
    shipped = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    assert LIST.name in shipped["conference.accounts"] and LIST.parent == ROOT / "conference" / "accounts"
