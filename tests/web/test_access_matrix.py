"""Every route and every socket event, for every role and for nobody: allowed or refused, as the table says.

The routes come from app.url_map and the socket events from the Socket.IO server's handlers, so
a route another engineer adds is covered at once: until it is given its row in EXPECTED, the
test that compares the two fails and names it. A refused request changes nothing.
"""
from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa

from werkzeug.routing import IntegerConverter

from conference.core.extensions import socketio
from tests.conftest import ADMIN_PASSWORD, FAST_HASH, sign_in

ADMIN, MC, DOOR, DISPLAY, BUTTON, NOBODY = "admin", "mc", "door", "display", "button", "nobody"
# Named office accounts, signed in at /login (a cookie), by their account role.
ADMINISTRATOR, STAFF, SECRETARY = "administrator", "staff", "secretary"
ACCOUNTS = (ADMINISTRATOR, STAFF, SECRETARY)
ROLES = (ADMIN, MC, DOOR, DISPLAY, BUTTON, NOBODY) + ACCOUNTS
EVERYONE = frozenset(ROLES)
ADMIN_ONLY = frozenset({ADMIN})
CONTROL = frozenset({MC, ADMIN})
DOORS = frozenset({DOOR, ADMIN})
BUTTONS = frozenset({BUTTON})
PRESS = "/press/<token>"  # a press address: the token in it is the caller's own (press_url)

# (method, rule) -> the roles that may. Anything else must be refused: 401/403, or a page's
# redirect to the sign-in page.
EXPECTED: dict[tuple[str, str], frozenset] = {
    # Pages anyone may open
    ("GET", "/"): EVERYONE,
    ("GET", "/favicon.ico"): EVERYONE,
    ("GET", "/login"): EVERYONE,
    ("POST", "/login"): EVERYONE,
    ("POST", "/logout"): EVERYONE,
    ("GET", "/pair/<token>"): EVERYONE,
    ("GET", "/display"): EVERYONE,
    ("GET", "/display/agenda"): EVERYONE,
    ("GET", "/display/timer"): EVERYONE,
    ("GET", "/display/overlay"): EVERYONE,
    ("GET", "/display/overlay.css"): EVERYONE,
    # A cue's sound: the projectors (the sound page) and the office (its sound check), a secretary too
    ("GET", "/display/cues/<int:cue_id>"): frozenset({DISPLAY, ADMIN, SECRETARY}),
    # A deck's PDF: the projectors, the MC's presenter view and the office
    ("GET", "/display/decks/<int:deck_id>"): frozenset({DISPLAY, MC, ADMIN, SECRETARY}),
    ("GET", "/door-sw.js"): EVERYONE,
    ("GET", "/door/certificate.pem"): EVERYONE,
    ("GET", "/static/<path:filename>"): EVERYONE,
    ("GET", "/api/state"): EVERYONE,
    # The delegates' phones (conference/me/): no role, the phone's own cookie; what a phone without
    # one gets is the code form, or a refusal page (tests/me/test_me_pages.py)
    ("GET", "/me"): EVERYONE,
    ("POST", "/me"): EVERYONE,
    ("GET", "/me/<code>"): EVERYONE,
    ("GET", "/me/qr.svg"): EVERYONE,
    ("GET", "/me/documents/<int:document_id>"): EVERYONE,
    ("GET", "/me/documents/<int:document_id>.pdf"): EVERYONE,
    # A ballot (conference/votes/ballot_pages.py): the phone's session only, no role: 401 for anyone else
    ("GET", "/me/ballot"): frozenset(),
    ("POST", "/me/ballot"): frozenset(),
    # asking to speak: the phone's cookie decides; without one, back to the code form (tests/speakers/)
    ("POST", "/me/speak"): EVERYONE,
    ("POST", "/me/speak/withdraw"): EVERYONE,
    # The door
    ("GET", "/door"): DOORS,
    ("GET", "/door/roster"): DOORS,
    ("GET", "/door/presence"): DOORS,
    ("POST", "/api/checkins"): DOORS,
    ("DELETE", "/api/checkins/<int:delegate_id>"): DOORS,
    ("GET", "/api/delegates"): DOORS,
    ("POST", "/api/delegates"): DOORS,
    ("POST", "/api/delegates/<int:delegate_id>/phone/release"): DOORS,
    ("PUT", "/api/delegates/<int:delegate_id>/absence"): DOORS,  # checkin/quorum.py
    # The MC
    ("GET", "/mc"): CONTROL,
    ("POST", "/api/show/next"): CONTROL,
    ("POST", "/api/show/previous"): CONTROL,
    ("POST", "/api/show/goto"): CONTROL,
    ("POST", "/api/show/message"): CONTROL,
    ("POST", "/api/show/screen"): CONTROL,
    ("GET", "/api/awards"): CONTROL,
    ("POST", "/api/awards/next"): CONTROL,
    ("POST", "/api/awards/previous"): CONTROL,
    ("POST", "/api/awards/presentations"): CONTROL,
    ("DELETE", "/api/awards/presentations/<int:honouree_id>"): CONTROL,
    ("GET", "/api/awards/log"): CONTROL,
    ("POST", "/api/vote"): CONTROL,
    ("POST", "/api/votes"): CONTROL,
    ("GET", "/api/votes/<int:vote_id>"): CONTROL,
    ("POST", "/api/votes/<int:vote_id>/hands"): CONTROL,
    ("POST", "/api/votes/<int:vote_id>/paper"): CONTROL,
    ("POST", "/api/votes/<int:vote_id>/close"): CONTROL,
    ("POST", "/api/stage/lectern"): CONTROL,
    ("POST", "/api/stage/overlay"): CONTROL,
    ("POST", "/api/stage/cue/stop"): CONTROL,
    ("POST", "/api/stage/cue/replay"): CONTROL,
    ("POST", "/api/stage/slide/next"): CONTROL,
    ("POST", "/api/stage/slide/previous"): CONTROL,
    ("POST", "/api/stage/slides"): CONTROL,
    ("GET", "/api/speakers"): CONTROL,
    ("POST", "/api/speakers/<int:request_id>/call"): CONTROL,
    ("POST", "/api/speakers/<int:request_id>/end"): CONTROL,
    ("POST", "/api/speakers/<int:request_id>/dismiss"): CONTROL,
    # A button box: its press addresses only, by GET or POST; its token is refused everywhere else
    **{(method, PRESS + action): BUTTONS for method in ("GET", "POST")
       for action in ("/next", "/previous", "/goto/<int:position>", "/goto/<int:position>/<int:step>",
                      "/awards/next", "/awards/previous", "/screen/<any(blackout, standby, live):mode>")},
    # The office: API
    ("POST", "/api/delegates/<int:delegate_id>/reissue"): ADMIN_ONLY,
    ("GET", "/api/devices"): ADMIN_ONLY,
    ("POST", "/api/devices"): ADMIN_ONLY,
    ("DELETE", "/api/devices/<int:device_id>"): ADMIN_ONLY,
    ("POST", "/api/devices/<int:device_id>/pairing"): ADMIN_ONLY,
    ("GET", "/api/award-decisions"): ADMIN_ONLY,
    ("POST", "/api/award-decisions"): ADMIN_ONLY,
    ("PUT", "/api/award-decisions/<int:decision_id>"): ADMIN_ONLY,
    ("DELETE", "/api/award-decisions/<int:decision_id>"): ADMIN_ONLY,
    ("POST", "/api/award-decisions/<int:decision_id>/honourees"): ADMIN_ONLY,
    ("GET", "/api/award-forms"): ADMIN_ONLY,
    ("POST", "/api/award-forms"): ADMIN_ONLY,
    ("PUT", "/api/award-forms/<int:form_id>"): ADMIN_ONLY,
    ("DELETE", "/api/award-forms/<int:form_id>"): ADMIN_ONLY,
    ("PUT", "/api/awards/order"): ADMIN_ONLY,
    ("PUT", "/api/awards/batch-size"): ADMIN_ONLY,
    ("PUT", "/api/honourees/<int:honouree_id>"): ADMIN_ONLY,
    ("DELETE", "/api/honourees/<int:honouree_id>"): ADMIN_ONLY,
    ("POST", "/api/honourees/import"): ADMIN_ONLY,
    # The office: pages and forms
    ("GET", "/admin"): ADMIN_ONLY,
    ("GET", "/admin/attendance.json"): ADMIN_ONLY,
    ("GET", "/admin/awards"): ADMIN_ONLY,
    ("GET", "/admin/agenda"): ADMIN_ONLY,
    ("POST", "/admin/agenda"): ADMIN_ONLY,
    ("GET", "/admin/agenda/<int:item_id>"): ADMIN_ONLY,
    ("POST", "/admin/agenda/<int:item_id>"): ADMIN_ONLY,
    ("POST", "/admin/agenda/<int:item_id>/delete"): ADMIN_ONLY,
    ("POST", "/admin/agenda/<int:item_id>/move"): ADMIN_ONLY,
    ("POST", "/admin/agenda/<int:item_id>/steps"): ADMIN_ONLY,
    ("POST", "/admin/agenda/steps/<int:step_id>"): ADMIN_ONLY,
    ("POST", "/admin/agenda/steps/<int:step_id>/delete"): ADMIN_ONLY,
    ("POST", "/admin/agenda/steps/<int:step_id>/move"): ADMIN_ONLY,
    ("GET", "/admin/badges.pdf"): ADMIN_ONLY,
    ("GET", "/admin/candidates"): ADMIN_ONLY,
    ("POST", "/admin/candidates"): ADMIN_ONLY,
    ("POST", "/admin/candidates/<int:candidate_id>"): ADMIN_ONLY,
    ("POST", "/admin/candidates/<int:candidate_id>/delete"): ADMIN_ONLY,
    ("POST", "/admin/candidates/<int:candidate_id>/move"): ADMIN_ONLY,
    ("GET", "/admin/conference"): ADMIN_ONLY,
    ("POST", "/admin/conference"): ADMIN_ONLY,
    ("GET", "/admin/delegates"): ADMIN_ONLY,
    ("GET", "/admin/delegates/new"): ADMIN_ONLY,
    ("POST", "/admin/delegates/new"): ADMIN_ONLY,
    ("GET", "/admin/delegates/<int:delegate_id>"): ADMIN_ONLY,
    ("POST", "/admin/delegates/<int:delegate_id>"): ADMIN_ONLY,
    ("GET", "/admin/delegates/<int:delegate_id>/badge.pdf"): ADMIN_ONLY,
    ("POST", "/admin/delegates/<int:delegate_id>/delete"): ADMIN_ONLY,
    ("POST", "/admin/delegates/<int:delegate_id>/reissue"): ADMIN_ONLY,
    ("POST", "/admin/delegates/<int:delegate_id>/absence"): ADMIN_ONLY,
    ("GET", "/admin/devices"): ADMIN_ONLY,
    ("POST", "/admin/devices"): ADMIN_ONLY,
    ("POST", "/admin/devices/<int:device_id>"): ADMIN_ONLY,
    ("POST", "/admin/devices/<int:device_id>/revoke"): ADMIN_ONLY,
    ("POST", "/admin/devices/<int:device_id>/pairing"): ADMIN_ONLY,
    ("GET", "/admin/exports/attendance.<any(xlsx, csv):fmt>"): ADMIN_ONLY,
    ("GET", "/admin/exports/minutes.docx"): ADMIN_ONLY,
    ("GET", "/admin/votes/<int:vote_id>/named.xlsx"): ADMIN_ONLY,
    ("GET", "/admin/exports/credentials.docx"): ADMIN_ONLY,
    ("GET", "/admin/exports/conclusion.docx"): ADMIN_ONLY,
    ("GET", "/admin/votes/<int:vote_id>/counting.docx"): ADMIN_ONLY,
    ("GET", "/admin/exports/script.docx"): ADMIN_ONLY,
    ("GET", "/admin/seating"): ADMIN_ONLY,
    ("POST", "/admin/seating/hall"): ADMIN_ONLY,
    ("POST", "/admin/seating/copy"): ADMIN_ONLY,
    ("POST", "/admin/seating/assign"): ADMIN_ONLY,
    ("POST", "/admin/seating/<int:delegate_id>/clear"): ADMIN_ONLY,
    ("POST", "/admin/seating/automatic"): ADMIN_ONLY,
    ("GET", "/admin/seating-chart.pdf"): ADMIN_ONLY,
    ("GET", "/admin/name-cards.pdf"): ADMIN_ONLY,
    ("GET", "/admin/invitations.pdf"): ADMIN_ONLY,
    ("GET", "/admin/notes"): ADMIN_ONLY,
    ("POST", "/admin/notes/<int:item_id>"): ADMIN_ONLY,
    ("GET", "/admin/groups"): ADMIN_ONLY,
    ("POST", "/admin/groups"): ADMIN_ONLY,
    ("POST", "/admin/groups/<int:group_id>"): ADMIN_ONLY,
    ("POST", "/admin/groups/<int:group_id>/delete"): ADMIN_ONLY,
    ("POST", "/admin/groups/<int:group_id>/move"): ADMIN_ONLY,
    ("GET", "/admin/import"): ADMIN_ONLY,
    ("POST", "/admin/import"): ADMIN_ONLY,
    ("POST", "/admin/import/confirm"): ADMIN_ONLY,
    ("GET", "/admin/papers"): ADMIN_ONLY,
    ("GET", "/admin/documents"): ADMIN_ONLY,
    ("POST", "/admin/documents"): ADMIN_ONLY,
    ("GET", "/admin/documents/<int:document_id>.pdf"): ADMIN_ONLY,
    ("POST", "/admin/documents/<int:document_id>/visibility"): ADMIN_ONLY,
    ("POST", "/admin/documents/<int:document_id>/delete"): ADMIN_ONLY,
    ("POST", "/admin/documents/venue-address"): ADMIN_ONLY,
    ("GET", "/admin/documents/poster.pdf"): ADMIN_ONLY,
    ("POST", "/admin/speakers/requests"): ADMIN_ONLY,
    ("POST", "/admin/delegates/<int:delegate_id>/release-phone"): ADMIN_ONLY,
    ("GET", "/admin/stage"): ADMIN_ONLY,
    ("POST", "/admin/stage/cues"): ADMIN_ONLY,
    ("POST", "/admin/stage/cues/<int:cue_id>/volume"): ADMIN_ONLY,
    ("POST", "/admin/stage/cues/<int:cue_id>/check"): ADMIN_ONLY,
    ("POST", "/admin/stage/cues/<int:cue_id>/delete"): ADMIN_ONLY,
    ("POST", "/admin/stage/sound-device"): ADMIN_ONLY,
    ("POST", "/admin/stage/decks"): ADMIN_ONLY,
    ("POST", "/admin/stage/decks/<int:deck_id>/delete"): ADMIN_ONLY,
    ("POST", "/admin/stage/overlay-style"): ADMIN_ONLY,
    # The accounts and sessions: an administrator's account only (not a paired office device)
    ("GET", "/admin/users"): frozenset({ADMINISTRATOR}),
    ("POST", "/admin/users"): frozenset({ADMINISTRATOR}),
    ("POST", "/admin/users/<int:user_id>/password"): frozenset({ADMINISTRATOR}),
    ("POST", "/admin/users/<int:user_id>/role"): frozenset({ADMINISTRATOR}),
    ("POST", "/admin/users/<int:user_id>/delete"): frozenset({ADMINISTRATOR}),
    ("POST", "/admin/users/sessions/<int:session_id>/end"): frozenset({ADMINISTRATOR}),
    ("GET", "/admin/audit"): frozenset({ADMINISTRATOR}),
    ("GET", "/admin/audit.<any(xlsx, csv):fmt>"): frozenset({ADMINISTRATOR}),
    ("GET", "/admin/conferences"): ADMIN_ONLY,
    ("POST", "/admin/conferences"): ADMIN_ONLY,
    ("POST", "/admin/conferences/<int:conference_id>/activate"): ADMIN_ONLY,
    ("GET", "/admin/conferences/<int:conference_id>/attendance.xlsx"): ADMIN_ONLY,
    ("GET", "/admin/conferences/<int:conference_id>/minutes.docx"): ADMIN_ONLY,
    ("POST", "/admin/reset-day"): ADMIN_ONLY,
    ("POST", "/admin/backups"): ADMIN_ONLY,
    ("GET", "/admin/backups/latest.db"): frozenset({ADMINISTRATOR}),  # it holds the accounts' hashes
    ("GET", "/admin/backups"): frozenset({ADMINISTRATOR}),  # a restore brings back its accounts
    ("GET", "/admin/backups/<name>/restore"): frozenset({ADMINISTRATOR}),
    ("POST", "/admin/backups/<name>/restore"): frozenset({ADMINISTRATOR}),
    ("POST", "/admin/backups/upload"): frozenset({ADMINISTRATOR}),
}


def _with_accounts(method: str, rule: str, allowed: frozenset) -> frozenset:
    """The accounts' rights follow from the office's (ADMIN's): an administrator and office staff
    may all it may; a secretary only reads the office pages (GET under /admin, but not the awards
    set-up, whose page drives the API), and changes nothing but the minutes' notes, its own work."""
    if ADMIN not in allowed:
        return allowed
    reads = method == "GET" and rule.startswith("/admin") and not rule.startswith("/admin/awards")
    notes = rule.startswith("/admin/notes")
    return allowed | {ADMINISTRATOR, STAFF} | ({SECRETARY} if reads or notes else set())


EXPECTED = {key: _with_accounts(*key, allowed) for key, allowed in EXPECTED.items()}

# Signing in and out answer with the sign-in page (401 for a wrong password, a redirect after
# signing out) whoever calls: for them "allowed" means answered without a server error.
SIGN_IN = {("POST", "/login"), ("POST", "/logout")}

# Socket.IO events of the default namespace -> the roles that may send them.
# disconnect changes nothing but the MC consoles' list of who is driving (realtime.py).
# A button box's token opens no socket (it presses through its addresses only).
# sound: what the sound page plays, heard from that one paired projector only and relayed to the
# MC consoles (tests/show/test_stage.py); it answers no one.
SOCKET_EXPECTED: dict[str, frozenset] = {"connect": EVERYONE - BUTTONS, "disconnect": EVERYONE - BUTTONS,
                                         "sync": EVERYONE - BUTTONS, "sound": frozenset()}

ABSENT_ID = 987654  # ids in the addresses point at nothing, so an allowed call changes nothing either
SAMPLE_VALUES = {"int": str(ABSENT_ID), "path": "css/app.css", "any": "csv"}


def routes(app) -> list[tuple[str, str, str]]:
    """(method, rule, a concrete URL) for every route of the app."""
    found = []
    for rule in app.url_map.iter_rules():
        values = {}
        for name, converter in rule._converters.items():
            kind = "integer" if isinstance(converter, IntegerConverter) else \
                type(converter).__name__.replace("Converter", "").lower()
            values[name] = {"integer": SAMPLE_VALUES["int"], "path": SAMPLE_VALUES["path"],
                            "any": sorted(getattr(converter, "items", None) or ["csv"])[0]}.get(kind, "x")
        url = rule.rule
        for name, value in values.items():
            url = url.replace(f"<{_placeholder(rule.rule, name)}>", value)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((method, rule.rule, url))
    return found


def _placeholder(rule: str, name: str) -> str:
    start = rule.index("<")
    while True:
        end = rule.index(">", start)
        inside = rule[start + 1:end]
        if inside.split(":")[-1] == name:
            return inside
        start = rule.index("<", end)


def refused(response) -> bool:
    if response.status_code in (401, 403):
        return True
    location = response.headers.get("Location", "")
    return response.status_code in (302, 303) and "/login" in location


# Logs that a refusal is meant to add to: the door's scan log keeps refused scans too, and a
# session row notes when it was last seen.
LOGS = {"alembic_version", "scan", "login_session"}


def fingerprint(app) -> str:
    """A digest of every row of every table but the logs: equal before and after means nothing changed."""
    from conference.core.db import db
    digest = hashlib.sha256()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            if table.name in LOGS:
                continue
            for row in db.session.execute(sa.select(table).order_by(*table.primary_key.columns)):
                digest.update(repr(tuple(row)).encode())
        db.session.rollback()
    return digest.hexdigest()


def headers_for(role: str, tokens: dict) -> dict:
    return {} if role in (NOBODY,) + ACCOUNTS else {"Authorization": f"Bearer {tokens[role]}"}


def press_url(url: str, role: str, tokens: dict) -> str:
    """A press address carries its token in the path: each role tries its own token there (an MC's
    or the office's must be refused as much as nobody's), the others' routes are left as they are."""
    return url.replace("/press/x/", f"/press/{tokens.get(role, 'x')}/", 1)


def account_client(app, role: str):
    """A test client signed in at /login with a new account of this role."""
    from conference.accounts.users import create_user
    with app.app_context():
        create_user(f"matrix-{role}", role, password="matrix-password")
    return sign_in(app.test_client(), f"matrix-{role}", "matrix-password")


def caller(app, role: str):
    return account_client(app, role) if role in ACCOUNTS else app.test_client()


@pytest.fixture
def matrix_app(tmp_path):
    """The app with form CSRF off, so a page's own guard answers (CSRF has its own tests)."""
    from conference import create_app
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.db'}",
                      "ADMIN_PASSWORD": ADMIN_PASSWORD, "PASSWORD_HASH_METHOD": FAST_HASH})
    yield app
    with app.app_context():
        from conference.core.db import db
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def matrix_tokens(matrix_app):
    from conference.core.models import Role
    from conference.accounts.devices import create_device
    from conference.core.state import default_conference_id
    with matrix_app.app_context():
        conference_id = default_conference_id()
        return {role.value: create_device(conference_id, role, f"{role.value} matrix")[1] for role in Role}


def test_every_route_of_the_app_has_a_row_in_the_permission_table(app):
    present = {(method, rule) for method, rule, _ in routes(app)}
    unknown = sorted(present - EXPECTED.keys())
    gone = sorted(EXPECTED.keys() - present)
    assert not unknown, f"routes without a row in EXPECTED (say who may call them): {unknown}"
    assert not gone, f"rows in EXPECTED for routes that no longer exist: {gone}"


def test_every_socket_event_has_a_row_in_the_permission_table(app):
    events = set(socketio.server.handlers.get("/", {}))
    assert events == set(SOCKET_EXPECTED), f"socket events and SOCKET_EXPECTED differ: {events ^ set(SOCKET_EXPECTED)}"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_the_routes_the_table_gives_it(matrix_app, matrix_tokens, role):
    client = caller(matrix_app, role)
    # signing out last, so that an account's calls are all made signed in
    calls = sorted(((m, r, u) for m, r, u in routes(matrix_app) if (m, r) in EXPECTED),
                   key=lambda call: call[:2] == ("POST", "/logout"))
    wrong = []
    before = fingerprint(matrix_app)
    for method, rule, url in calls:  # first every call this role may not make: none may change a thing
        if role not in EXPECTED[(method, rule)]:
            response = client.open(press_url(url, role, matrix_tokens), method=method,
                                   headers=headers_for(role, matrix_tokens), json={})
            if not refused(response):
                wrong.append(f"{method} {rule}: {response.status_code}, expected a refusal")
    assert fingerprint(matrix_app) == before, "a refused call changed the database"
    for method, rule, url in calls:
        if role in EXPECTED[(method, rule)]:
            response = client.open(press_url(url, role, matrix_tokens), method=method,
                                   headers=headers_for(role, matrix_tokens), json={})
            if response.status_code >= 500 or (refused(response) and (method, rule) not in SIGN_IN):
                wrong.append(f"{method} {rule}: {response.status_code}, expected it to be allowed")
    assert not wrong, f"{role}: " + "; ".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_send_exactly_the_socket_events_the_table_gives_it(app, tokens, role):
    auth = None if role in (NOBODY,) + ACCOUNTS else {"token": tokens[role]}
    client = socketio.test_client(app, auth=auth, flask_test_client=caller(app, role))
    assert client.is_connected() == (role in SOCKET_EXPECTED["connect"])
    if not client.is_connected():
        return
    received = client.get_received()
    # An MC device also hears who is driving (the "drivers" event).
    assert [m["name"] for m in received] == (["drivers", "state"] if role == "mc" else ["state"])
    for event, allowed in SOCKET_EXPECTED.items():
        if event in ("connect", "disconnect"):
            continue
        answer = client.emit(event, callback=True)
        assert (isinstance(answer, dict) and "version" in answer) == (role in allowed), event
    client.disconnect()
