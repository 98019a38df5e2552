"""Shared fixtures: a fresh app per test, device tokens, a live server process, a real browser,
and the machine's PostgreSQL and Redis. What a machine lacks is skipped with a reason, except
in CI (CI=true), where a missing browser or service is a failure.

The lanes (markers registered in pytest.ini) follow the fixtures. A fixture that starts a server
process, drives Chromium or needs PostgreSQL or Redis is tagged with what it does:

    @pytest.fixture
    @lanes("slow")          # under @pytest.fixture, on the function itself
    def live_server(tmp_path): ...

and pytest_collection_modifyitems below adds those markers to every test that uses the fixture,
directly or through other fixtures (item.fixturenames, the closure pytest computes at collection).
Tagged here: live_server (slow), chromium and page (browser), postgres_url and redis_url (services);
test modules tag their own server fixtures the same way. A fixture fetched with
request.getfixturevalue() is not in that closure: its param carries the marker instead, as in
pytest.param("postgresql", marks=pytest.mark.services). What a test does in its own body (a
LiveServer(...).start(), a CLI subprocess) is declared in its module: pytestmark or a decorator.
tests/core/test_markers.py reads every test module and fails when a test lacks a lane it needs."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def lanes(*markers: str):
    """Tag a fixture with the markers of every test that uses it (see the module docstring)."""
    def tag(function):
        function.lanes = tuple(markers)
        return function
    return tag


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(config, items):
    """Give each test the lanes of the tagged fixtures it uses, directly or through other fixtures."""
    for item in items:
        info = getattr(item, "_fixtureinfo", None)  # not public API, stable since pytest 3 (read on 9.0)
        if info is None:
            continue
        wanted = set()
        for name in item.fixturenames:
            for definition in info.name2fixturedefs.get(name, ())[-1:]:  # the one that applies here
                wanted.update(getattr(definition.func, "lanes", ()))
        present = {mark.name for mark in item.iter_markers()}
        for marker in sorted(wanted - present):
            item.add_marker(marker)


def unavailable(reason: str):
    """Skip on a developer machine; fail in CI, where everything must be present."""
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


# The office account every test app starts with (CONFERENCE_ADMIN_PASSWORD's path), and a quick
# hash for it: the production default (scrypt, a quarter of a second) is checked in test_accounts.py.
ADMIN_LOGIN, ADMIN_PASSWORD = "admin", "test-admin-password"
FAST_HASH = "pbkdf2:sha256:1000"


def _test_app(folder: Path):
    from conference import create_app
    return create_app({"INSTANCE_PATH": str(folder / "instance"), "TESTING": True,
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'test.db'}",
                       "ADMIN_PASSWORD": ADMIN_PASSWORD, "PASSWORD_HASH_METHOD": FAST_HASH})


def _close(app) -> None:
    with app.app_context():
        from conference.core.db import db
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def first_start_database(tmp_path_factory) -> Path:
    """The database a first start leaves (the schema migrated, the demo loaded, the office account),
    made once per test process. Each test's app starts from a copy of it: the same first start,
    without running every migration and loading the demo again for each of a thousand tests."""
    folder = tmp_path_factory.mktemp("first-start")
    _close(_test_app(folder))
    assert not (folder / "test.db-wal").exists()  # the last connection closed has written it back
    return folder / "test.db"


@pytest.fixture
def app(tmp_path, first_start_database):
    shutil.copyfile(first_start_database, tmp_path / "test.db")
    app = _test_app(tmp_path)
    yield app
    _close(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def conference_id(app) -> int:
    with app.app_context():
        from conference.core.state import default_conference_id
        return default_conference_id()


@pytest.fixture
def devices_made(app, conference_id) -> dict:
    """One device per role for the demo conference, with its token and pairing code (NewDevice)."""
    from conference.core.models import Role
    from conference.accounts.devices import create_device
    with app.app_context():  # the device roles; accounts are made with services.accounts
        return {role.value: create_device(conference_id, role, f"{role.value} test") for role in Role}


@pytest.fixture
def tokens(devices_made) -> dict[str, str]:
    """One device token (a program's Bearer) per role for the demo conference."""
    return {role: made.token for role, made in devices_made.items()}


@pytest.fixture
def pairings(devices_made) -> dict[str, str]:
    """The single-use pairing code of the same devices (/pair/<code>); none for the button box."""
    return {role: made.pairing for role, made in devices_made.items() if made.pairing}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def auth(tokens):
    """auth("door") -> headers for that role."""
    return lambda role: bearer(tokens[role])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    """The real server in its own process (python3 -m conference serve), restartable and killable."""

    def __init__(self, instance: Path, env: dict | None = None, https: bool = False):
        self.instance = instance
        self.https = https  # serve --https with its self-signed certificate
        self.port = free_port()
        self.url = f"{'https' if https else 'http'}://127.0.0.1:{self.port}"
        self.env = {**os.environ, "CONFERENCE_INSTANCE": str(instance), "PYTHONUNBUFFERED": "1",
                    "CONFERENCE_ADMIN_PASSWORD": ADMIN_PASSWORD, **(env or {})}
        self.admin_password = self.env["CONFERENCE_ADMIN_PASSWORD"]  # the account `admin`'s
        self.process: subprocess.Popen | None = None
        self.log = instance.parent / f"server-{self.port}.log"
        self._app = None  # opened on the instance's database for the devices a test asks for

    def start(self) -> "LiveServer":
        self.instance.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "conference", "serve", "--host", "127.0.0.1", "--port", str(self.port)]
                + (["--https"] if self.https else []),
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                with warnings.catch_warnings():  # a self-signed certificate is checked by its own tests
                    warnings.simplefilter("ignore")
                    ready = requests.get(self.url + "/api/state", timeout=1, verify=not self.https)
                if ready.status_code == 200:
                    return self
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("server did not start in 30 s")

    def kill(self) -> None:
        """kill -9: no clean shutdown, as in a crash or a pulled plug."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def restart(self) -> "LiveServer":
        self.kill()
        return self.start()

    def token(self, role: str, label: str | None = None) -> str:
        """A device token for a program (a Bearer, a button box's press addresses), as the CLI's
        `token ROLE --bearer` makes it."""
        if self._local_database():
            return self._made_device(role, label, pairing=False)[0]
        return self._cli_token(role, label, "--bearer")

    def pairing(self, role: str, label: str | None = None) -> str:
        """A browser's single-use pairing code, as the CLI's `token ROLE` prints it in its address."""
        if self._local_database():
            return self._made_device(role, label, pairing=True)[1]
        return self._cli_token(role, label).rsplit("/pair/", 1)[1]

    def _local_database(self) -> bool:
        """The server keeps its SQLite file in its instance folder (no DATABASE_URL, no Redis)."""
        return not (self.env.get("DATABASE_URL") or self.env.get("REDIS_URL"))

    def _made_device(self, role: str, label: str | None, pairing: bool) -> tuple[str, str | None]:
        """The device made here with the domain function the CLI's `token` calls, on the server's
        database: a CLI process per device cost a second, hundreds of times a run (the CLI's own
        tests run the command)."""
        from conference import create_app
        from conference.accounts.devices import create_device, parse_role
        from conference.core.state import default_conference_id
        if self._app is None:
            self._app = create_app({"INSTANCE_PATH": str(self.instance), "PREPARE_DATABASE": False,
                                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{self.instance / 'conference.db'}",
                                    "REDIS_URL": None, "RATELIMIT_STORAGE_URI": "memory://"})
        with self._app.app_context():
            _, secret, code = create_device(default_conference_id(), parse_role(role), label, pairing=pairing)
        _close(self._app)  # no connection left open on a file a test may kill, restore or replace
        return secret, code

    def _cli_token(self, role: str, label: str | None, *flags: str) -> str:
        command = [sys.executable, "-m", "conference", "token", role, "--host", "127.0.0.1",
                   "--port", str(self.port), *flags] + (["--label", label] if label else [])
        output = subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, text=True, check=True)
        return output.stdout.strip().splitlines()[0]


@pytest.fixture
@lanes("slow")
def live_server(tmp_path):
    server = LiveServer(tmp_path / "live-instance").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
@lanes("browser")
def chromium():
    """The system Chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        unavailable("system Chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
@lanes("browser")
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    context.close()


def _postgres_available() -> bool:
    try:
        import psycopg
        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", connect_timeout=2):
            return True
    except Exception:
        return False


@pytest.fixture
@lanes("services")
def postgres_url():
    """A fresh database on the machine's PostgreSQL, dropped afterwards."""
    if not _postgres_available():
        unavailable("PostgreSQL is not running on 127.0.0.1:5432")
    import psycopg
    name = f"conference_test_{os.getpid()}_{int(time.time() * 1000) % 10**8}"
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
@lanes("services")
def redis_url():
    try:
        import redis
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=2).ping()
    except Exception:
        unavailable("Redis is not running on 127.0.0.1:6379")
    return "redis://127.0.0.1:6379/0"


@pytest.fixture
def has_tool():
    return lambda name: shutil.which(name) is not None


def page_csrf_token(html: str) -> str:
    """The CSRF token a page carries (base.html puts it in <meta name="csrf-token">)."""
    import re
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    assert found, "page has no CSRF token"
    return found.group(1)


def sign_in(client, login: str = ADMIN_LOGIN, password: str = ADMIN_PASSWORD):
    """Sign a test client in at /login with an account, as a person would; .csrf_token is then
    valid for its forms."""
    token = page_csrf_token(client.get("/login").get_data(as_text=True))
    answer = client.post("/login", data={"login": login, "password": password, "csrf_token": token})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    client.csrf_token = page_csrf_token(client.get("/admin").get_data(as_text=True))
    return client


@pytest.fixture
def admin_client(app):
    """A test client signed in as the first administrator (`admin`)."""
    return sign_in(app.test_client())
