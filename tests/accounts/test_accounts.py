"""Named office accounts: the first administrator, the users command, the /admin/users page, what
each account role may do, and what a bad sign-in is told."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from werkzeug.security import check_password_hash

from tests.conftest import ADMIN_LOGIN, ADMIN_PASSWORD, FAST_HASH, page_csrf_token, sign_in
from tests.web.test_access_matrix import fingerprint

SHOWN = re.compile(r'<code id="shown-password">([^<]+)</code>')


def users_in(app) -> dict[str, str]:
    """login -> role, as stored."""
    from conference.core.db import db
    from conference.core.models import User
    with app.app_context():
        found = {user.login: user.role.value for user in db.session.scalars(sa.select(User))}
        db.session.rollback()
    return found


def can_sign_in(app, login: str, password: str) -> bool:
    client = app.test_client()
    token = page_csrf_token(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"login": login, "password": password, "csrf_token": token}).status_code == 302


# --- the first administrator -------------------------------------------------------------------

def test_the_first_start_makes_the_administrator_admin_with_a_password_given_once(tmp_path):
    from conference import create_app
    from conference.core.db import db
    from conference.core.models import AccountRole, User
    settings = {"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'first.db'}"}
    app = create_app(settings)
    password = app.extensions["first_admin_password"]
    assert len(password) >= 16
    with app.app_context():
        [user] = db.session.scalars(sa.select(User)).all()
        assert (user.login, user.role) == (ADMIN_LOGIN, AccountRole.ADMINISTRATOR)
        assert user.password_hash.startswith("scrypt:") and password not in user.password_hash
        assert check_password_hash(user.password_hash, password)
        db.session.remove()
    assert not (tmp_path / "instance" / "admin_password").exists()
    assert password.encode() not in (tmp_path / "first.db").read_bytes()
    again = create_app(settings)  # a later start: nothing generated, nothing to print
    assert "first_admin_password" not in again.extensions
    assert users_in(again) == {ADMIN_LOGIN: "administrator"}
    with again.app_context():
        db.engine.dispose()


def env_settings(tmp_path, **config) -> dict:
    return {"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True, "PASSWORD_HASH_METHOD": FAST_HASH,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'env.db'}", "ADMIN_PASSWORD": "first-password", **config}


def changed_in_the_office(app, login: str, password: str) -> None:
    from conference.accounts.users import find_user, set_password
    with app.app_context():
        set_password(find_user(login).id, password)


def test_the_environment_password_makes_admin_and_a_restart_never_resets_it(tmp_path):
    """admin used to be reset to CONFERENCE_ADMIN_PASSWORD at every start, undoing a change made since."""
    from conference import create_app
    app = create_app(env_settings(tmp_path))
    assert "first_admin_password" not in app.extensions and can_sign_in(app, ADMIN_LOGIN, "first-password")
    changed_in_the_office(app, ADMIN_LOGIN, "changed-in-the-office")
    signed_in = sign_in(app.test_client(), ADMIN_LOGIN, "changed-in-the-office")
    later = create_app(env_settings(tmp_path))  # the same environment, a restart
    assert can_sign_in(later, ADMIN_LOGIN, "changed-in-the-office")
    assert not can_sign_in(later, ADMIN_LOGIN, "first-password")
    assert signed_in.get("/admin").status_code == 200


def test_a_reset_asked_for_gives_admin_the_environment_password_and_ends_its_sessions(tmp_path):
    from conference import create_app
    app = create_app(env_settings(tmp_path))
    signed_in = sign_in(app.test_client(), ADMIN_LOGIN, "first-password")
    later = create_app(env_settings(tmp_path, ADMIN_PASSWORD="second-password", ADMIN_PASSWORD_RESET=True))
    assert can_sign_in(later, ADMIN_LOGIN, "second-password")
    assert not can_sign_in(later, ADMIN_LOGIN, "first-password")
    assert signed_in.get("/admin").status_code == 302  # the reset ended the old sign-in


def test_a_removed_admin_comes_back_only_when_asked(tmp_path):
    from conference import create_app
    from conference.accounts.users import create_user, find_user, remove_user
    app = create_app(env_settings(tmp_path))
    with app.app_context():
        create_user("lan", "administrator", password="lan-password-1")
        remove_user(find_user(ADMIN_LOGIN).id)
    assert ADMIN_LOGIN not in users_in(create_app(env_settings(tmp_path)))
    again = create_app(env_settings(tmp_path, ADMIN_PASSWORD_RESET=True))
    assert users_in(again)[ADMIN_LOGIN] == "administrator" and can_sign_in(again, ADMIN_LOGIN, "first-password")


@pytest.mark.parametrize("value, asked", [("1", True), ("0", False), ("", False)])
def test_the_reset_is_asked_for_in_the_environment(tmp_path, monkeypatch, value, asked):
    from conference.core.config import load_settings
    monkeypatch.setenv("CONFERENCE_ADMIN_PASSWORD", "first-password")
    monkeypatch.setenv("CONFERENCE_ADMIN_PASSWORD_RESET", value)
    assert load_settings(tmp_path / "instance")["ADMIN_PASSWORD_RESET"] is asked


def test_a_reset_without_a_password_stops_the_start(tmp_path, monkeypatch):
    from conference.core.config import load_settings
    monkeypatch.delenv("CONFERENCE_ADMIN_PASSWORD", raising=False)
    monkeypatch.setenv("CONFERENCE_ADMIN_PASSWORD_RESET", "1")
    with pytest.raises(SystemExit, match="CONFERENCE_ADMIN_PASSWORD_RESET .* CONFERENCE_ADMIN_PASSWORD, which is not set"):
        load_settings(tmp_path / "instance")


def test_an_old_shared_password_file_is_ignored(tmp_path):
    from conference import create_app
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "admin_password").write_text("old-shared-password\n")
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True, "PASSWORD_HASH_METHOD": FAST_HASH,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    assert not can_sign_in(app, ADMIN_LOGIN, "old-shared-password")
    assert can_sign_in(app, ADMIN_LOGIN, app.extensions["first_admin_password"])
    assert (tmp_path / "instance" / "admin_password").read_text() == "old-shared-password\n"  # left alone


# --- the users command -------------------------------------------------------------------------

@pytest.fixture
def cli(tmp_path, monkeypatch):
    """Run `python3 -m conference users ...` in this process, on an instance of its own."""
    from conference.cli.commands import cli as command
    monkeypatch.setenv("CONFERENCE_INSTANCE", str(tmp_path / "cli-instance"))
    monkeypatch.setenv("CONFERENCE_ADMIN_PASSWORD", ADMIN_PASSWORD)
    runner = CliRunner()
    return lambda *args, input=None: runner.invoke(command, ["users", *args], input=input)


def listed(cli) -> list[str]:
    result = cli("list")
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def printed(result) -> str:
    return re.search(r"\(chỉ hiện một lần\): (\S+)", result.output).group(1)


def cli_app(tmp_path):
    from conference import create_app
    return create_app({"INSTANCE_PATH": str(tmp_path / "cli-instance")})


def test_users_add_list_passwd_remove(cli, tmp_path):
    added = cli("add", "Lan.NT", "--role", "staff", "--name", "Nguyễn Thị Lan")
    assert added.exit_code == 0, added.output
    first = printed(added)
    assert listed(cli) == ["admin\tadministrator\tQuản trị", "lan.nt\tstaff\tNguyễn Thị Lan"]
    app = cli_app(tmp_path)
    assert can_sign_in(app, "lan.nt", first)

    reset = cli("passwd", "lan.nt")
    assert reset.exit_code == 0, reset.output
    second = printed(reset)
    assert second != first and can_sign_in(app, "lan.nt", second) and not can_sign_in(app, "lan.nt", first)

    typed = cli("add", "thu", "--role", "secretary", "--password", input="mật-khẩu-thư-ký\nmật-khẩu-thư-ký\n")
    assert typed.exit_code == 0 and "chỉ hiện một lần" not in typed.output
    assert can_sign_in(app, "thu", "mật-khẩu-thư-ký")

    removed = cli("remove", "lan.nt")
    assert removed.exit_code == 0 and not can_sign_in(app, "lan.nt", second)
    assert listed(cli) == ["admin\tadministrator\tQuản trị", "thu\tsecretary\tthu"]


@pytest.mark.parametrize("args, message", [
    (("add", "admin", "--role", "staff"), "Đã có tài khoản"),
    (("add", "carol", "--role", "boss"), "Vai trò phải là"),
    (("add", "Ca rol!", "--role", "staff"), "Tên đăng nhập gồm"),
    (("add", "carol", "--role", "staff", "--name", "x" * 121), "Họ tên tối đa"),
    (("passwd", "nobody"), "Không có tài khoản"),
    (("remove", "nobody"), "Không có tài khoản"),
    (("remove", "admin"), "ít nhất một quản trị viên"),
])
def test_users_commands_refuse_bad_input_and_change_nothing(cli, tmp_path, args, message):
    before = listed(cli)
    result = cli(*args)
    assert result.exit_code != 0 and message in result.output, result.output
    assert listed(cli) == before
    assert can_sign_in(cli_app(tmp_path), ADMIN_LOGIN, ADMIN_PASSWORD)


def test_a_typed_password_too_short_is_refused(cli):
    result = cli("add", "carol", "--role", "staff", "--password", input="short\nshort\n")
    assert result.exit_code != 0 and "Mật khẩu dài" in result.output
    assert [line.split("\t")[0] for line in listed(cli)] == ["admin"]


# --- the /admin/users page ---------------------------------------------------------------------

def post(client, url: str, **data):
    return client.post(url, data={"csrf_token": client.csrf_token, **data})


def user_id(app, login: str) -> int:
    from conference.accounts.users import find_user
    with app.app_context():
        return find_user(login).id


def test_an_administrator_adds_an_account_and_sees_its_password_once(app, admin_client):
    answer = post(admin_client, "/admin/users", login="lan", name="<b>Lan</b>", role="staff")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    [password] = SHOWN.findall(html)
    assert "&lt;b&gt;Lan&lt;/b&gt;" in html and "<b>Lan</b>" not in html
    assert password not in admin_client.get("/admin/users").get_data(as_text=True)
    assert can_sign_in(app, "lan", password)
    assert users_in(app)["lan"] == "staff"


def test_an_administrator_resets_changes_and_removes_an_account(app, admin_client):
    post(admin_client, "/admin/users", login="lan", role="staff", password="lan-password-1")
    lan = user_id(app, "lan")
    reset = post(admin_client, f"/admin/users/{lan}/password")
    [password] = SHOWN.findall(reset.get_data(as_text=True))
    assert can_sign_in(app, "lan", password) and not can_sign_in(app, "lan", "lan-password-1")
    assert post(admin_client, f"/admin/users/{lan}/role", role="secretary").status_code == 303
    assert users_in(app)["lan"] == "secretary"
    assert post(admin_client, f"/admin/users/{lan}/delete").status_code == 303
    assert "lan" not in users_in(app) and not can_sign_in(app, "lan", password)


@pytest.mark.parametrize("url, data, status", [
    ("/admin/users", {"login": "admin", "role": "staff"}, 409),
    ("/admin/users", {"login": "lan", "role": "boss"}, 400),
    ("/admin/users", {"login": "", "role": "staff"}, 400),
    ("/admin/users", {"login": "lan", "role": "staff", "password": "short"}, 400),
    ("/admin/users/987654/password", {}, 404),
    ("/admin/users/987654/role", {"role": "staff"}, 404),
    ("/admin/users/{admin}/role", {"role": "boss"}, 400),
    ("/admin/users/{admin}/role", {"role": "staff"}, 409),  # the last administrator
    ("/admin/users/{admin}/delete", {}, 409),
    ("/admin/users/987654/delete", {}, 404),
    ("/admin/users/sessions/987654/end", {}, 404),
])
def test_the_accounts_page_refuses_bad_input_and_changes_nothing(app, admin_client, url, data, status):
    before = fingerprint(app)
    answer = post(admin_client, url.format(admin=user_id(app, ADMIN_LOGIN)), **data)
    assert answer.status_code == status
    assert 'id="form-error"' in answer.get_data(as_text=True)
    assert fingerprint(app) == before and can_sign_in(app, ADMIN_LOGIN, ADMIN_PASSWORD)


# --- what each account role may do -------------------------------------------------------------

def account(app, login: str, role: str):
    from conference.accounts.users import create_user
    with app.app_context():
        create_user(login, role, password=f"{login}-password")
    return sign_in(app.test_client(), login, f"{login}-password")


def test_office_staff_sets_up_but_never_sees_the_accounts(app):
    staff = account(app, "lan", "staff")
    for page in ("/admin", "/admin/delegates", "/admin/agenda", "/admin/papers", "/admin/devices", "/mc"):
        assert staff.get(page).status_code == 200, page
    assert post(staff, "/admin/groups", name="Khách mời", color="#123456").status_code == 303
    before = fingerprint(app)
    assert staff.get("/admin/users").status_code == 403
    assert post(staff, "/admin/users", login="mallory", role="administrator").status_code == 403
    assert post(staff, f"/admin/users/{user_id(app, ADMIN_LOGIN)}/password").status_code == 403
    assert fingerprint(app) == before and "mallory" not in users_in(app)
    assert 'href="/admin/users"' not in staff.get("/admin").get_data(as_text=True)


def test_a_secretary_reads_the_office_pages_and_changes_nothing(app):
    secretary = account(app, "thu", "secretary")
    for page in ("/admin", "/admin/attendance.json", "/admin/papers", "/admin/delegates"):
        assert secretary.get(page).status_code == 200, page
    before = fingerprint(app)
    assert post(secretary, "/admin/groups", name="Khách mời", color="#123456").status_code == 403
    assert secretary.get("/admin/users").status_code == 403
    for page in ("/mc", "/door", "/admin/awards"):  # the consoles and the awards set-up drive the API
        assert secretary.get(page).status_code == 302, page
    message = secretary.post("/api/show/message", json={"message": "x"}, headers={"X-CSRFToken": secretary.csrf_token})
    assert message.status_code == 403
    assert fingerprint(app) == before


def test_only_an_administrator_account_sees_the_accounts_link(app, admin_client, pairings):
    assert 'href="/admin/users"' in admin_client.get("/admin").get_data(as_text=True)
    device = app.test_client()  # a tablet paired as the office is not a person: no accounts page
    device.get(f"/pair/{pairings['admin']}")
    assert device.get("/admin").status_code == 200 and device.get("/admin/users").status_code == 403


# --- the sign-in (its limits: test_signin_limits.py) --------------------------------------------

@pytest.mark.parametrize("login, password", [("", ADMIN_PASSWORD), ("a" * 41, ADMIN_PASSWORD), (ADMIN_LOGIN, ""),
                                             (ADMIN_LOGIN, "x" * 201), ("nobody", ADMIN_PASSWORD)])
def test_a_bad_sign_in_says_so_without_telling_which_part(app, login, password):
    client = app.test_client()
    token = page_csrf_token(client.get("/login").get_data(as_text=True))
    answer = client.post("/login", data={"login": login, "password": password, "csrf_token": token})
    assert answer.status_code == 401 and "Tên đăng nhập hoặc mật khẩu không đúng." in answer.get_data(as_text=True)
    assert client.get("/admin").status_code == 302


def test_a_command_run_before_the_first_start_prints_the_new_administrators_password(tmp_path, monkeypatch):
    from conference.cli.commands import cli as command
    monkeypatch.setenv("CONFERENCE_INSTANCE", str(tmp_path / "fresh"))
    monkeypatch.delenv("CONFERENCE_ADMIN_PASSWORD", raising=False)
    first = CliRunner().invoke(command, ["users", "list"])
    assert first.exit_code == 0 and first.stdout.splitlines() == ["admin\tadministrator\tQuản trị"]
    password = first.stderr.split("(chỉ hiện một lần): ")[1].split()[0]
    from conference import create_app
    assert can_sign_in(create_app({"INSTANCE_PATH": str(tmp_path / "fresh")}), ADMIN_LOGIN, password)
    again = CliRunner().invoke(command, ["users", "list"])
    assert again.exit_code == 0 and "chỉ hiện một lần" not in again.output  # printed once


@pytest.mark.parametrize("value", ["abc", "0", "-3", "100000"])
def test_a_bad_idle_time_stops_the_start_with_a_clear_message(tmp_path, monkeypatch, value):
    from conference.core.config import load_settings
    monkeypatch.setenv("CONFERENCE_SESSION_IDLE_HOURS", value)
    with pytest.raises(SystemExit, match="CONFERENCE_SESSION_IDLE_HOURS must be a number of hours"):
        load_settings(tmp_path / "instance")
