"""The database server restarting is never a 500 (PostgreSQL): the request whose connection dies
under it is answered 503 storage_unavailable with Retry-After, nothing written, and the door's
retry with the same nonce counts once; the requests after it get a fresh connection and succeed."""
from __future__ import annotations

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy import event

from conference.core.db import db
from conference.core.models import CheckIn

from tests.conftest import ADMIN_PASSWORD, FAST_HASH, bearer, sign_in

pytestmark = pytest.mark.services


@pytest.fixture
def pg_app(tmp_path, postgres_url):
    from conference import create_app
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": postgres_url,
                      "ADMIN_PASSWORD": ADMIN_PASSWORD, "PASSWORD_HASH_METHOD": FAST_HASH})
    app.logger.disabled = True  # the 500 this is about would be logged: it is asserted instead
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def terminate(postgres_url: str, pid: int | None = None) -> int:
    """End the app's backends (all of this database's, or one), as a restart of the server does."""
    database = postgres_url.rsplit("/", 1)[1]
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as admin:
        ended = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                              "WHERE datname = %s AND pid <> pg_backend_pid() AND (%s::int IS NULL OR pid = %s)",
                              (database, pid, pid)).fetchone()[0]
        admin.execute("SELECT pg_sleep(0.2)")  # the backends take a moment to go
    return ended


def door_and_code(app) -> tuple[dict, str]:
    from conference.accounts.devices import create_device
    from conference.core.models import Role
    from conference.core.state import default_conference_id
    with app.app_context():
        door = bearer(create_device(default_conference_id(), Role.DOOR, "Cửa 1")[1])
    code = app.test_client().get("/api/delegates", headers=door).get_json()["delegates"][0]["badge_code"]
    return door, code


def present(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn))


def test_after_the_database_dropped_every_connection_the_next_requests_succeed(pg_app, postgres_url):
    door, code = door_and_code(pg_app)
    office = sign_in(pg_app.test_client())
    client = pg_app.test_client()
    assert client.get("/api/state").status_code == 200
    assert terminate(postgres_url) >= 1  # the pooled connections are dead now
    assert client.get("/api/state").status_code == 200
    assert client.post("/api/checkins", json={"code": code, "nonce": "after-restart"}, headers=door).status_code == 201
    assert office.get("/admin/delegates").status_code == 200
    assert present(pg_app) == 1


class CutOnce:
    """Kills the app's own backend just before its first statement that matches `sql`."""

    def __init__(self, app, postgres_url: str, sql: str):
        self.url, self.sql, self.done = postgres_url, sql, False
        with app.app_context():
            self.engine = db.engine
        event.listen(self.engine, "before_cursor_execute", self.cut)

    def cut(self, connection, cursor, statement, parameters, context, executemany):
        if not self.done and self.sql in statement:
            self.done = True
            terminate(self.url, connection.connection.dbapi_connection.info.backend_pid)

    def remove(self):
        event.remove(self.engine, "before_cursor_execute", self.cut)


def test_a_connection_cut_under_a_check_in_answers_503_and_the_retry_counts_once(pg_app, postgres_url):
    door, code = door_and_code(pg_app)
    client = pg_app.test_client()
    cut = CutOnce(pg_app, postgres_url, "INSERT INTO checkin")
    try:
        answer = client.post("/api/checkins", json={"code": code, "nonce": "cut"}, headers=door)
    finally:
        cut.remove()
    assert cut.done
    assert answer.status_code == 503 and answer.get_json()["error"]["code"] == "storage_unavailable"
    assert answer.headers["Retry-After"] == "5" and answer.get_json()["error"]["message"]
    assert present(pg_app) == 0
    again = client.post("/api/checkins", json={"code": code, "nonce": "cut"}, headers=door)
    assert again.status_code == 201 and present(pg_app) == 1


def test_an_office_page_whose_connection_is_cut_says_why_on_a_page(pg_app, postgres_url):
    office = sign_in(pg_app.test_client())
    cut = CutOnce(pg_app, postgres_url, "FROM delegate")
    try:
        page = office.get("/admin/delegates?lang=en")
    finally:
        cut.remove()
    assert cut.done
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert page.mimetype == "text/html" and "database" in page.get_data(as_text=True)
    assert office.get("/admin/delegates").status_code == 200
