"""Bad input gets a 4xx with an error code, never a 500, and changes nothing; a role that may not
do a thing is refused (401 without credentials, 403 with the wrong role) and changes nothing."""
from __future__ import annotations

import json
import secrets
import shutil

import pytest
import sqlalchemy as sa

from conference.checkin import badgecodes
from conference.core.db import Base, db
from conference.core.models import Delegate, Scan, ShowState

from tests.conftest import bearer

# Every route of the core API: (method, path, body). {delegate} and {device} are filled per test.
CORE_ENDPOINTS = [
    ("post", "/api/checkins", {"code": "{code}"}),
    ("delete", "/api/checkins/{delegate}", None),
    ("get", "/api/delegates?q=a", None),
    ("post", "/api/delegates", {"full_name": "Nguyễn Văn Mới", "unit": "Tổ dân phố 9"}),
    ("post", "/api/delegates/{delegate}/reissue", None),
    ("post", "/api/show/next", None),
    ("post", "/api/show/previous", None),
    ("post", "/api/show/goto", {"position": 3}),
    ("post", "/api/show/message", {"message": "Xin mời ổn định chỗ ngồi"}),
    ("post", "/api/show/screen", {"screen": "standby"}),
    ("get", "/api/awards", None),
    ("post", "/api/awards/next", None),
    ("post", "/api/awards/previous", None),
    ("get", "/api/devices", None),
    ("post", "/api/devices", {"role": "door"}),
    ("delete", "/api/devices/{device}", None),
]
MAY = {
    "/api/checkins": {"door", "admin"},
    "/api/delegates": {"door", "admin"},
    "/api/delegates/{delegate}/reissue": {"admin"},
    "/api/show": {"mc", "admin"},
    "/api/awards": {"mc", "admin"},
    "/api/devices": {"admin"},
}


@pytest.fixture(scope="module")
def prepared_database(tmp_path_factory):
    """The demo conference migrated and loaded once; each test gets its own copy (many tests here)."""
    from conference import create_app
    folder = tmp_path_factory.mktemp("prepared")
    made = create_app({"INSTANCE_PATH": str(folder / "instance"), "TESTING": True,
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'test.db'}"})
    with made.app_context():
        db.session.remove()
        db.engine.dispose()  # the last connection closing folds the WAL into test.db
    return folder / "test.db"


@pytest.fixture
def app(prepared_database, tmp_path):
    from conference import create_app
    shutil.copyfile(prepared_database, tmp_path / "test.db")
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.db'}"})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def allowed_roles(path: str) -> set[str]:
    prefix = max((p for p in MAY if path.startswith(p)), key=len)
    return MAY[prefix]


def fingerprint(app) -> dict:
    """Rows per table (the scan log aside: refused scans are logged on purpose) and the live state."""
    with app.app_context():
        counts = {table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
                  for table in Base.metadata.sorted_tables if table.name != "scan"}
        state = db.session.execute(sa.select(ShowState.version, ShowState.current_position, ShowState.award_index,
                                             ShowState.message, ShowState.screen)).all()
        codes = db.session.scalars(sa.select(Delegate.badge_code).order_by(Delegate.id)).all()
        revoked = db.session.execute(sa.text("SELECT count(*) FROM device WHERE revoked_at IS NOT NULL")).scalar()
        db.session.rollback()
    return {"counts": counts, "state": state, "codes": codes, "revoked": revoked}


def fill(value, delegate_id: int, code: str, device_id: int):
    text = json.dumps(value).replace("{code}", code).replace("{delegate}", str(delegate_id))
    return json.loads(text.replace("{device}", str(device_id)))


@pytest.fixture
def target(app, client, auth, tokens):
    """A delegate, their badge code and a device id to aim the requests at."""
    delegate = client.get("/api/delegates", headers=auth("admin")).get_json()["delegates"][0]
    device = client.get("/api/devices", headers=auth("admin")).get_json()["devices"][0]
    return delegate["id"], delegate["badge_code"], device["id"]


@pytest.mark.parametrize("role", [None, "display", "door", "mc", "admin"])
@pytest.mark.parametrize("method, path, payload", CORE_ENDPOINTS,
                         ids=[f"{m.upper()} {p}" for m, p, _ in CORE_ENDPOINTS])
def test_each_role_may_call_only_its_own_endpoints(app, client, tokens, target, role, method, path, payload):
    delegate_id, code, device_id = target
    url = fill(path, delegate_id, code, device_id)
    headers = bearer(tokens[role]) if role else {}
    before = fingerprint(app)
    response = getattr(client, method)(url, json=fill(payload, delegate_id, code, device_id), headers=headers)
    if role in allowed_roles(path):
        assert response.status_code not in (401, 403) and response.status_code < 500
    else:
        assert response.status_code == (403 if role else 401)
        assert response.get_json()["error"]["code"] == ("forbidden" if role else "unauthorized")
        assert fingerprint(app) == before


@pytest.mark.parametrize("header", ["Bearer ", "Bearer nope", "Bearer " + "x" * 5000, "Basic YWRtaW46YWRtaW4=",
                                    "bearer {token}", "Bearer {token}x", "Bearer\t{token}\u00e9"])
def test_malformed_or_altered_credentials_are_refused(app, client, tokens, target, header):
    delegate_id, code, _ = target
    before = fingerprint(app)
    value = header.replace("{token}", tokens["admin"])
    response = client.post("/api/checkins", json={"code": code},
                           headers={"Authorization": value.encode("utf-8").decode("latin-1")})
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
    assert fingerprint(app) == before


def test_the_projector_without_a_token_reads_the_state_but_changes_nothing(app, client):
    before = fingerprint(app)
    assert client.get("/api/state").status_code == 200
    for path in ("/api/show/next", "/api/awards/next", "/api/checkins"):
        assert client.post(path, json={}).status_code == 401
    assert fingerprint(app) == before


@pytest.fixture
def foreign_code(app) -> str:
    """A badge of another conference kept in the same database."""
    from conference.office.demo import DEMO_FILE, load_conference
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    data["conference"]["title"] = "Hội nghị khác"
    with app.app_context():
        other = load_conference(data)
        return db.session.scalar(sa.select(Delegate.badge_code).where(Delegate.conference_id == other).limit(1))


def altered(code: str) -> str:
    """The same code with one symbol changed, as a forger or a misread would."""
    swap = badgecodes.ALPHABET[(badgecodes.ALPHABET.index(code[5]) + 1) % len(badgecodes.ALPHABET)]
    return code[:5] + swap + code[6:]


SCANNED = [  # (what the door sends, expected status, expected code)
    ("forged", 404, "unknown_code"),
    ("altered", 404, "unknown_code"),
    ("foreign", 404, "other_conference"),
    ("", 400, "invalid_code"),
    ("   ", 400, "invalid_code"),
    ("A" * 1_000_000, 400, "invalid_code"),
    ("truncated", 400, "invalid_code"),
    ("extended", 400, "invalid_code"),
    ("https://example.org/?code=0123456789ABCDEFG", 400, "invalid_code"),
    ("' OR 1=1 --", 400, "invalid_code"),
    ("<script>alert(1)</script>", 400, "invalid_code"),
    ("Nguyễn Văn A", 400, "invalid_code"),
    ("\x00\x01\x02", 400, "invalid_code"),
    ("ABCDEFGHJKMNPQRS\x00", 400, "invalid_code"),
    ("\u202eABCDEFGHJKMNPQRST", 400, "invalid_code"),
]


@pytest.mark.parametrize("scanned, status, error", SCANNED, ids=[s[:24].encode("unicode_escape").decode()
                                                                  for s, _, _ in SCANNED])
def test_a_code_that_is_not_a_valid_badge_is_refused_logged_and_changes_nothing(
        app, client, auth, target, foreign_code, scanned, status, error):
    _, code, _ = target
    scanned = {"forged": badgecodes.new_code(), "altered": altered(code), "foreign": foreign_code,
               "truncated": code[:-1], "extended": code + "0"}.get(scanned, scanned)
    before = fingerprint(app)
    response = client.post("/api/checkins", json={"code": scanned, "nonce": "hostile-1"}, headers=auth("door"))
    assert response.status_code == status and response.get_json()["error"]["code"] == error
    assert fingerprint(app) == before
    with app.app_context():
        logged = db.session.scalars(sa.select(Scan)).all()
        assert [(s.outcome, s.status, s.delegate_id) for s in logged] == [(error, status, None)]
        assert len(logged[0].code or "") <= 64


@pytest.mark.parametrize("payload, error", [
    ({}, "missing_code"),
    ({"code": None}, "missing_code"),
    ({"code": "X", "delegate_id": 1}, "missing_code"),
    ({"code": 17}, "invalid_code"),
    ({"code": ["0123456789ABCDEFG"]}, "invalid_code"),
    ({"code": {"$ne": ""}}, "invalid_code"),
    ({"code": True}, "invalid_code"),
    ({"delegate_id": "1"}, "invalid_delegate_id"),
    ({"delegate_id": 1.0}, "invalid_delegate_id"),
    ({"delegate_id": True}, "invalid_delegate_id"),
    ({"delegate_id": [1]}, "invalid_delegate_id"),
    ({"delegate_id": 0}, "unknown_delegate"),
    ({"delegate_id": -1}, "unknown_delegate"),
    ({"delegate_id": 2**31}, "unknown_delegate"),
    ({"delegate_id": 2**63}, "unknown_delegate"),
    ({"delegate_id": 10**40}, "unknown_delegate"),
    ({"delegate_id": 999999}, "unknown_delegate"),
    ({"code": "{code}", "nonce": 5}, "invalid_nonce"),
    ({"code": "{code}", "nonce": "n" * 65}, "invalid_nonce"),
    ({"code": "{code}", "nonce": ["a"]}, "invalid_nonce"),
    ({"code": "{code}", "device": "d" * 81}, "invalid_device"),
    ({"code": "{code}", "device": {"a": 1}}, "invalid_device"),
    ({"code": "{code}", "scanned_at": "yesterday"}, "invalid_scanned_at"),
    ({"code": "{code}", "scanned_at": "2026-11-24T08:00:00"}, "invalid_scanned_at"),  # no offset
    ({"code": "{code}", "scanned_at": "9999-12-31T23:59:59Z"}, "invalid_scanned_at"),
    ({"code": "{code}", "scanned_at": 1764000000}, "invalid_scanned_at"),
    ({"code": "{code}", "scanned_at": "2026-11-24T08:00:00\u0000Z"}, "invalid_scanned_at"),
    ({"code": "{code}", "sent_at": "now"}, "invalid_sent_at"),
    ({"code": "{code}", "scanned_at": "2026-11-24T08:00:10Z", "sent_at": "2026-11-24T08:00:00Z"},
     "invalid_scanned_at"),  # scanned after it was sent
    ({"code": "{code}", "scanned_at": "2026-11-20T08:00:00Z", "sent_at": "2026-11-24T08:00:00Z"},
     "invalid_scanned_at"),  # held more than a day
])
def test_a_malformed_check_in_body_gets_a_4xx_code_and_checks_nobody_in(app, client, auth, target, payload, error):
    delegate_id, code, device_id = target
    before = fingerprint(app)
    response = client.post("/api/checkins", json=fill(payload, delegate_id, code, device_id), headers=auth("door"))
    assert 400 <= response.status_code < 500 and response.get_json()["error"]["code"] == error
    assert fingerprint(app) == before


RAW_BODIES = [  # (bytes, content type, expected status)
    (b"", "application/json", 400),
    (b"not json", "application/json", 400),
    (b"[1, 2, 3]", "application/json", 400),
    (b'"0123456789ABCDEFG"', "application/json", 400),
    (b"null", "application/json", 400),
    (b"{\"code\": ", "application/json", 400),
    (b"\xff\xfe\x00{", "application/json", 400),
    (b'{"code": "\\ud800"}', "application/json", 400),
    (b'{"code": NaN}', "application/json", 400),
    (b"[" * 200_000 + b"]" * 200_000, "application/json", 400),
    (b'{"code": "X"}', "text/plain", 400),
    (b'code=0123456789ABCDEFG', "application/x-www-form-urlencoded", 400),
    (b"{" + b'"a": 1, ' * 300_000 + b'"code": "X"}', "application/json", 400),
    (b'{"code": "' + b"A" * (6 * 1024 * 1024) + b'"}', "application/json", 413),
]


@pytest.mark.parametrize("raw, content_type, status", RAW_BODIES,
                         ids=[f"{r[:16]!r}..{len(r)}" for r, _, _ in RAW_BODIES])
def test_a_body_that_is_not_a_json_object_is_refused_without_a_500(app, client, auth, raw, content_type, status):
    before = fingerprint(app)
    for path in ("/api/checkins", "/api/show/goto", "/api/delegates", "/api/devices"):
        response = client.post(path, data=raw, content_type=content_type, headers=auth("admin"))
        assert response.status_code == status, path
        assert response.get_json()["error"]["code"], path
    assert fingerprint(app) == before


@pytest.mark.parametrize("path, payload, error", [
    ("/api/show/goto", {"position": "3"}, "invalid_position"),
    ("/api/show/goto", {"position": None}, "invalid_position"),
    ("/api/show/goto", {"position": True}, "invalid_position"),
    ("/api/show/goto", {"position": 3.0}, "invalid_position"),
    ("/api/show/goto", {"position": 10**40}, "unknown_position"),
    ("/api/show/goto", {"position": -1}, "unknown_position"),
    ("/api/show/goto", {"position": 1, "step": 99}, "unknown_position"),
    ("/api/show/goto", {"position": 1, "step": "1"}, "invalid_step"),
    ("/api/show/message", {"message": "x" * 501}, "message_too_long"),
    ("/api/show/message", {"message": ["x"]}, "invalid_message"),
    ("/api/show/message", {"message": 5}, "invalid_message"),
    ("/api/show/screen", {"screen": "party"}, "invalid_screen"),
    ("/api/show/screen", {"screen": None}, "invalid_screen"),
    ("/api/show/screen", {"screen": ["live"]}, "invalid_screen"),
    ("/api/delegates", {"full_name": ""}, "missing_name"),
    ("/api/delegates", {"full_name": "   \t"}, "missing_name"),
    ("/api/delegates", {"full_name": None}, "missing_name"),
    ("/api/delegates", {"full_name": "N" * 121}, "name_too_long"),
    ("/api/delegates", {"full_name": {"a": 1}}, "invalid_field"),
    ("/api/delegates", {"full_name": "Lê Văn Tám", "unit": "u" * 201}, "field_too_long"),
    ("/api/delegates", {"full_name": "Lê Văn Tám", "group": "Khách lạ"}, "unknown_group"),
    ("/api/delegates", {"full_name": "Lê Văn Tám", "group": 3}, "invalid_field"),
])
def test_a_malformed_body_for_the_other_core_actions_changes_nothing(app, client, auth, path, payload, error):
    before = fingerprint(app)
    response = client.post(path, json=payload, headers=auth("admin"))
    assert 400 <= response.status_code < 500 and response.get_json()["error"]["code"] == error
    assert fingerprint(app) == before


@pytest.mark.parametrize("method, path", [
    ("delete", "/api/checkins/0"),
    ("delete", "/api/checkins/99999999999999999999999999"),
    ("delete", "/api/checkins/abc"),
    ("delete", "/api/checkins/-1"),
    ("post", "/api/delegates/99999999999999999999999999/reissue"),
    ("post", "/api/delegates/1%00/reissue"),
    ("delete", "/api/devices/99999999999999999999"),
    ("get", "/api/nothing-here"),
    ("put", "/api/checkins"),
    ("get", "/api/delegates?q=" + "%00%ff" * 10),
    ("get", "/api/delegates?q=" + "a" * 101),
])
def test_a_malformed_address_gets_a_json_4xx_not_a_500(app, client, auth, method, path):
    before = fingerprint(app)
    response = getattr(client, method)(path, headers=auth("admin"))
    assert 400 <= response.status_code < 500 or (method == "get" and response.status_code == 200)
    assert response.status_code == 200 or response.get_json()["error"]["code"]
    assert fingerprint(app) == before


def test_a_name_full_of_html_is_stored_and_returned_exactly_as_text(client, auth):
    name = '<img src=x onerror="alert(1)"> Nguyễn Văn <b>A</b>'
    made = client.post("/api/delegates", json={"full_name": name}, headers=auth("admin"))
    assert made.status_code == 201 and made.get_json()["delegate"]["full_name"] == name
    found = client.get("/api/delegates", query_string={"q": "nguyen van"}, headers=auth("admin")).get_json()
    assert name in [d["full_name"] for d in found["delegates"]]


def test_pairing_addresses_with_garbage_tokens_pair_nothing(app, client):
    before = fingerprint(app)
    for token in ("x", "x" * 5000, secrets.token_urlsafe(32), "%00", "..%2F..%2Fetc%2Fpasswd"):
        response = client.get(f"/pair/{token}")
        assert response.status_code == 404
    assert client.get("/api/delegates").status_code == 401
    assert fingerprint(app) == before
