"""Wrong passwords at the sign-in (accounts/attempts.py): an address that guesses too much waits,
whatever the account; an address waits sooner on one account; a crowd of addresses past an account's
ceiling gets one guess each, and the owner still signs in from an address that has not failed. Ten
wrong passwords from anywhere used to lock `admin` out for everyone."""
from __future__ import annotations

import secrets

import pytest
import sqlalchemy as sa

from conference.accounts.attempts import ACCOUNT_CEILING, PER_ADDRESS, PER_PAIR, WINDOW
from tests.conftest import ADMIN_LOGIN, ADMIN_PASSWORD, FAST_HASH, page_csrf_token

SHARED_SECRET = secrets.token_hex(32)  # every process of an installation has the same (docs/SCALE.md)
WAIT = "Thử sai quá nhiều lần; hãy chờ 15 phút rồi thử lại."


def attempt(app, login: str, password: str, address: str, path: str = "/login", **headers):
    client = app.test_client()
    token = page_csrf_token(client.get("/login").get_data(as_text=True))
    return client.post(path, data={"login": login, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address}, headers=headers)


def statuses(app, logins, address: str) -> list[int]:
    return [attempt(app, login, "wrong-guess", address).status_code for login in logins]


def failures(app) -> list[tuple]:
    from conference.core.db import db
    from conference.core.models import SignInFailure
    with app.app_context():
        rows = [tuple(row) for row in db.session.execute(sa.select(SignInFailure.address, SignInFailure.login_key))]
        db.session.rollback()
    return rows


def test_an_address_that_guesses_too_much_waits_whatever_the_account(app):
    assert statuses(app, [f"guess-{n}" for n in range(PER_ADDRESS)], "10.0.0.1") == [401] * PER_ADDRESS
    refused = attempt(app, ADMIN_LOGIN, ADMIN_PASSWORD, "10.0.0.1")  # even the right password waits
    assert refused.status_code == 429 and WAIT in refused.get_data(as_text=True)
    assert 0 < int(refused.headers["Retry-After"]) <= WINDOW.total_seconds()
    assert len(failures(app)) == PER_ADDRESS  # a refused attempt checks nothing and is not counted
    assert attempt(app, ADMIN_LOGIN, ADMIN_PASSWORD, "10.0.0.2").status_code == 302  # another address


def test_a_script_is_told_429_in_json_in_its_language(app):
    statuses(app, [f"guess-{n}" for n in range(PER_ADDRESS)], "10.0.0.1")
    answer = attempt(app, ADMIN_LOGIN, ADMIN_PASSWORD, "10.0.0.1", "/login?lang=en", Accept="application/json")
    assert answer.status_code == 429 and answer.headers["Retry-After"]
    assert answer.get_json() == {"error": {"code": "too_many_attempts",
                                           "message": "Too many failed sign-ins; wait 15 min and try again."}}


def test_an_address_waits_sooner_on_one_account_and_only_on_it(app):
    from conference.accounts.users import create_user
    with app.app_context():
        create_user("lan", "staff", password="lan-password-1")
    assert statuses(app, [ADMIN_LOGIN] * PER_PAIR, "10.0.0.1") == [401] * PER_PAIR
    assert attempt(app, ADMIN_LOGIN, ADMIN_PASSWORD, "10.0.0.1").status_code == 429
    assert attempt(app, "lan", "lan-password-1", "10.0.0.1").status_code == 302  # another account from there
    assert attempt(app, ADMIN_LOGIN, ADMIN_PASSWORD, "10.0.0.2").status_code == 302  # the owner, elsewhere


def test_the_owner_signs_in_while_a_crowd_of_addresses_guesses(app):
    crowd = [f"10.1.{n // 200}.{n % 200 + 1}" for n in range(ACCOUNT_CEILING)]
    assert [statuses(app, [ADMIN_LOGIN], address)[0] for address in crowd] == [401] * ACCOUNT_CEILING
    assert attempt(app, ADMIN_LOGIN, "wrong-guess", crowd[0]).status_code == 429  # one guess each now
    assert attempt(app, ADMIN_LOGIN, ADMIN_PASSWORD, crowd[0]).status_code == 429
    assert attempt(app, ADMIN_LOGIN, "wrong-guess", "10.2.0.1").status_code == 401  # a new address: its guess
    assert attempt(app, ADMIN_LOGIN, ADMIN_PASSWORD, "10.2.0.1").status_code == 429  # and no more
    assert attempt(app, ADMIN_LOGIN, ADMIN_PASSWORD, "10.9.9.9").status_code == 302  # the owner's machine


def test_an_unknown_login_is_counted_as_a_known_one_and_not_kept(app):
    assert statuses(app, ["nobody"] * PER_PAIR, "10.0.0.1") == [401] * PER_PAIR
    assert attempt(app, "nobody", "wrong-guess", "10.0.0.1").status_code == 429  # no sign it does not exist
    assert "nobody" not in repr(failures(app)) and "wrong-guess" not in repr(failures(app))


def test_a_right_password_forgets_the_owners_typos_and_the_wait_ends(app):
    from conference.core.db import db, utcnow
    from conference.core.models import SignInFailure
    statuses(app, [ADMIN_LOGIN] * (PER_PAIR - 1), "10.0.0.1")
    assert attempt(app, ADMIN_LOGIN, ADMIN_PASSWORD, "10.0.0.1").status_code == 302
    assert failures(app) == []
    statuses(app, [f"guess-{n}" for n in range(PER_ADDRESS)], "10.0.0.1")
    assert attempt(app, ADMIN_LOGIN, ADMIN_PASSWORD, "10.0.0.1").status_code == 429
    with app.app_context():
        db.session.execute(sa.update(SignInFailure).values(at=utcnow() - WINDOW))  # the window has passed
        db.session.commit()
    assert attempt(app, ADMIN_LOGIN, ADMIN_PASSWORD, "10.0.0.1").status_code == 302


def test_an_ipv6_machine_cannot_pick_a_new_address_for_each_guess(app):
    assert statuses(app, [f"guess-{n}" for n in range(PER_ADDRESS)], "2001:db8::1") == [401] * PER_ADDRESS
    assert attempt(app, ADMIN_LOGIN, ADMIN_PASSWORD, "2001:db8::ffff:2").status_code == 429  # the same /64
    assert attempt(app, ADMIN_LOGIN, ADMIN_PASSWORD, "2001:db8:0:1::1").status_code == 302


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def two_processes(request, tmp_path):
    """Two apps on one database, as two server processes are: nothing shared but the database."""
    from conference import create_app
    from conference.core.db import db
    url = (f"sqlite:///{tmp_path / 'shared.db'}" if request.param == "sqlite"
           else request.getfixturevalue("postgres_url"))
    apps = [create_app({"INSTANCE_PATH": str(tmp_path / f"instance-{n}"), "TESTING": True, "SECRET_KEY": SHARED_SECRET,
                        "SQLALCHEMY_DATABASE_URI": url, "ADMIN_PASSWORD": ADMIN_PASSWORD,
                        "PASSWORD_HASH_METHOD": FAST_HASH}) for n in range(2)]
    yield apps
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_the_guesses_made_on_one_process_hold_on_another(two_processes):
    first, second = two_processes
    assert statuses(first, [ADMIN_LOGIN] * PER_PAIR, "10.0.0.1") == [401] * PER_PAIR
    assert attempt(second, ADMIN_LOGIN, ADMIN_PASSWORD, "10.0.0.1").status_code == 429
    assert attempt(second, ADMIN_LOGIN, ADMIN_PASSWORD, "10.0.0.2").status_code == 302
