"""A number too large for the database is a 404 or a 400, never a 500, on SQLite and on PostgreSQL:
an id past 2**31 - 1 cannot be in PostgreSQL's integer column, and SQLite cannot bind one past
2**63 - 1. Ids in an address are bounded by the app's <int:...> converter (a larger one is no
address of ours); ids and numbers in a JSON body by core/fields.py (json_id, json_int)."""
from __future__ import annotations

import re

import pytest

from tests.conftest import ADMIN_PASSWORD, FAST_HASH, bearer, sign_in

LARGE = [2**31, 2**63, 2**64, 10**30]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def any_app(request, tmp_path):
    from conference import create_app
    from conference.core.db import db
    url = (f"sqlite:///{tmp_path / 'ids.db'}" if request.param == "sqlite"
           else request.getfixturevalue("postgres_url"))
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                      "ADMIN_PASSWORD": ADMIN_PASSWORD, "PASSWORD_HASH_METHOD": FAST_HASH})
    app.logger.disabled = True  # a 500 is what is tested for, not read in the output
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def headers(any_app):
    from conference.accounts.devices import create_device
    from conference.core.models import Role
    from conference.core.state import default_conference_id
    with any_app.app_context():
        conference_id = default_conference_id()
        return {role: bearer(create_device(conference_id, role, role.value)[1]) for role in (Role.ADMIN, Role.DOOR)}


def id_routes(app) -> list[tuple[str, str]]:
    return [(method, rule.rule) for rule in app.url_map.iter_rules() if "<int:" in rule.rule
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]


def test_every_address_with_an_id_too_large_for_the_database_is_not_found(any_app, headers):
    from conference.core.models import Role
    client = sign_in(any_app.test_client())
    for method, rule in id_routes(any_app):
        for number in LARGE:
            path = re.sub(r"<int:[a-z_]+>", str(number), rule).replace("<token>", "t")
            answer = client.open(path, method=method, headers=headers[Role.ADMIN],
                                 data={"csrf_token": client.csrf_token})
            assert answer.status_code == 404, (method, path, answer.status_code)
            if path.startswith("/api/"):
                assert answer.get_json()["error"]["code"] == "not_found"


def awards_of(client, admin) -> tuple[int, int, int]:
    """A form, a decision and one of its honourees of the demo conference."""
    catalogue = client.get("/api/award-decisions", headers=admin).get_json()
    decision = next(d for d in catalogue["decisions"] if d["honourees"])
    return catalogue["forms"][0]["id"], decision["id"], decision["honourees"][0]["id"]


@pytest.mark.parametrize("number", LARGE)
def test_an_id_in_a_json_body_too_large_for_the_database_is_not_found(any_app, headers, number):
    from conference.core.models import Role
    client, admin, door = any_app.test_client(), headers[Role.ADMIN], headers[Role.DOOR]
    form, decision, honouree = awards_of(client, admin)
    calls = [
        ("post", "/api/awards/presentations", {"honouree_id": number, "outcome": "received"}, "unknown_honouree"),
        ("put", f"/api/honourees/{honouree}", {"decision_id": number}, "unknown_decision"),
        ("put", f"/api/honourees/{honouree}", {"delegate_id": number}, "unknown_delegate"),
        ("post", f"/api/award-decisions/{decision}/honourees", {"name": "A", "kind": "cá nhân", "delegate_id": number},
         "unknown_delegate"),
        ("put", f"/api/award-decisions/{decision}", {"form_id": number}, "unknown_form"),
        ("post", "/api/award-decisions", {"number": "1/QĐ", "issuer": "UBND", "form_id": number}, "unknown_form"),
        ("put", "/api/awards/order", {"honouree_ids": [number]}, "unknown_honouree"),
        ("post", "/api/checkins", {"delegate_id": number}, "unknown_delegate"),
    ]
    for method, path, body, code in calls:
        answer = getattr(client, method)(path, json=body, headers=door if "checkins" in path else admin)
        assert answer.status_code == 404, (path, body, answer.status_code)
        assert answer.get_json()["error"]["code"] == code


@pytest.mark.parametrize("number", LARGE + [-2**31 - 1])
def test_a_number_in_a_json_body_too_large_for_its_column_is_refused(any_app, headers, number):
    from conference.core.models import Role
    client, admin = any_app.test_client(), headers[Role.ADMIN]
    form, decision, _ = awards_of(client, admin)
    calls = [
        ("post", "/api/award-forms", {"name": "Kỷ niệm chương", "rank": number}, "invalid_rank"),
        ("put", f"/api/award-forms/{form}", {"rank": number}, "invalid_rank"),
        ("put", f"/api/award-decisions/{decision}", {"position": number}, "invalid_position"),
        ("put", "/api/awards/batch-size", {"batch_size": number}, "invalid_batch_size"),
        ("post", "/api/vote", {"agreed": number}, "invalid_agreed"),
    ]
    for method, path, body, code in calls:
        answer = getattr(client, method)(path, json=body, headers=admin)
        assert answer.status_code in (400, 422), (path, body, answer.status_code)
        assert answer.get_json()["error"]["code"] == code


def test_a_large_id_in_an_office_form_or_query_is_refused_or_not_found(any_app):
    client = sign_in(any_app.test_client())
    for number in ("2147483648", "999999999999"):
        for path in (f"/admin/delegates?group={number}", f"/admin/badges.pdf?group={number}",
                     f"/admin/invitations.pdf?group={number}", f"/admin/invitations.pdf?delegate={number}"):
            assert client.get(path).status_code in (200, 400, 404), path
        for path, form in (("/admin/candidates", {"delegate_id": number}),
                           ("/admin/delegates/new", {"full_name": "Nguyễn Văn A", "group_id": number}),
                           ("/admin/conferences", {"title": "Hội nghị", "source": f"copy:{number}"}),
                           ("/admin/reset-day", {"confirm": "1", "conference_id": number})):
            answer = client.post(path, data={**form, "csrf_token": client.csrf_token})
            assert answer.status_code in (400, 404), (path, answer.status_code)
