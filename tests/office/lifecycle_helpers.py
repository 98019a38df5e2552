"""Shared by tests/test_lifecycle_*.py: an app on SQLite or on the machine's PostgreSQL."""
from __future__ import annotations

import pytest

from tests.conftest import ADMIN_PASSWORD, FAST_HASH, sign_in


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def any_app(request, tmp_path):
    from conference import create_app
    from conference.core.db import db
    url = (f"sqlite:///{tmp_path / 'l.db'}" if request.param == "sqlite"
           else request.getfixturevalue("postgres_url"))
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                      "ADMIN_PASSWORD": ADMIN_PASSWORD, "PASSWORD_HASH_METHOD": FAST_HASH})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def signed_in(app):
    """A test client signed in as the office's administrator, with .csrf_token for its forms."""
    return sign_in(app.test_client())


def states(socket_client) -> list[dict]:
    return [m["args"][0] for m in socket_client.get_received() if m["name"] == "state"]
