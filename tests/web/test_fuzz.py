"""Property-based attacks (hypothesis): the QR code parser, every JSON API write, the importers.

Whatever is sent, the answer is never a 5xx, and a refused request changes nothing.
"""
from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conference.checkin import badgecodes
from conference.core.errors import ConferenceError

from tests.web.test_access_matrix import ABSENT_ID, fingerprint, routes

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70) | st.floats(allow_nan=True)
    | st.text(max_size=300) | st.sampled_from(["<img src=x onerror=alert(1)>", "'; DROP TABLE delegate; --",
                                               "\x00", "\ud800", "Nguyễn Văn Thắng", "9" * 400, ""]),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=20), children, max_size=5),
    max_leaves=20)
api_keys = st.sampled_from(["code", "delegate_id", "nonce", "device", "scanned_at", "sent_at", "full_name",
                            "position", "unit", "group", "seat", "check_in", "position", "step", "message", "screen",
                            "label", "role", "name", "rank", "kind", "number", "issuer", "form_id", "order", "size",
                            "agreed", "present", "honouree_id", "outcome", "received_by", "decision_id", "ids"])
api_bodies = st.dictionaries(api_keys, json_values, max_size=6) | json_values


# --- The QR code parser ---------------------------------------------------------------------

@given(st.one_of(st.text(max_size=400), st.binary(max_size=50), st.integers(), st.none(), st.floats(),
                 st.lists(st.text(max_size=5), max_size=3)))
def test_the_code_parser_answers_a_code_of_ours_or_none_for_anything(scanned):
    found = badgecodes.normalise(scanned)
    assert found is None or (len(found) == badgecodes.LENGTH and set(found) <= set(badgecodes.ALPHABET))


@given(st.text(alphabet=string.printable + "đĐàÁ\u200b\ufeff", max_size=300))
def test_normalising_a_normalised_code_changes_nothing(scanned):
    found = badgecodes.normalise(scanned)
    if found is not None:
        assert badgecodes.normalise(found) == found


@given(st.data())
def test_a_real_code_survives_what_scanners_and_typists_do_to_it(data):
    code = badgecodes.new_code()
    mangled = "".join(c.lower() if data.draw(st.booleans()) else c for c in code)
    mangled = mangled.replace("0", data.draw(st.sampled_from(["0", "o", "O"])))
    mangled = mangled.replace("1", data.draw(st.sampled_from(["1", "i", "I", "l", "L"])))
    spaced = data.draw(st.sampled_from(["", " ", "-"])).join([mangled[:6], mangled[6:12], mangled[12:]])
    wrapped = data.draw(st.sampled_from(["", " ", "\n", "\r\n", "\t"]))
    assert badgecodes.normalise(wrapped + spaced + wrapped) == code


@given(st.text(alphabet=badgecodes.ALPHABET, min_size=1, max_size=40))
def test_only_exactly_seventeen_symbols_make_a_code(text):
    assert (badgecodes.normalise(text) is not None) == (len(text) == badgecodes.LENGTH)


# --- The JSON API ---------------------------------------------------------------------------

def api_calls(app):
    return [(method, rule) for method, rule, _ in routes(app)
            if rule.startswith("/api/") and method in ("POST", "PUT", "DELETE")]


@pytest.fixture
def fuzz_app(tmp_path):
    from conference import create_app
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fuzz.db'}"})
    yield app
    with app.app_context():
        from conference.core.db import db
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def admin_and_door(fuzz_app):
    from conference.core.models import Role
    from conference.accounts.devices import create_device
    from conference.core.state import default_conference_id
    with fuzz_app.app_context():
        conference_id = default_conference_id()
        return {"admin": create_device(conference_id, Role.ADMIN, "fuzz admin")[1],
                "door": create_device(conference_id, Role.DOOR, "fuzz door")[1]}


def concrete(rule: str, number: int) -> str:
    """The rule with every <int:...> part replaced by the given number."""
    import re
    return re.sub(r"<int:[a-z_]+>", str(number), rule)


@settings(FUZZ, max_examples=200)
@given(data=st.data())
def test_no_json_body_or_id_gets_a_5xx_and_a_refused_one_changes_nothing(fuzz_app, admin_and_door, data):
    client = fuzz_app.test_client()
    method, rule = data.draw(st.sampled_from(api_calls(fuzz_app)), label="call")
    number = data.draw(st.one_of(st.integers(min_value=0, max_value=80), st.just(ABSENT_ID),
                                 st.integers(min_value=2**31, max_value=2**80)), label="id")
    body = data.draw(api_bodies, label="body")
    role = "door" if rule.startswith("/api/checkins") else "admin"
    before = fingerprint(fuzz_app)
    answer = client.open(concrete(rule, number), method=method, json=body,
                         headers={"Authorization": f"Bearer {admin_and_door[role]}"})
    assert answer.status_code < 500, (method, rule, body, answer.get_data(as_text=True)[:300])
    if answer.status_code >= 400:
        assert answer.is_json and answer.get_json()["error"]["code"]
        assert fingerprint(fuzz_app) == before, (method, rule, body)


@FUZZ
@given(raw=st.binary(max_size=400), content_type=st.sampled_from(["application/json", "text/plain",
                                                                  "application/x-www-form-urlencoded", ""]))
def test_no_raw_body_gets_a_5xx_from_a_check_in(fuzz_app, admin_and_door, raw, content_type):
    before = fingerprint(fuzz_app)
    answer = fuzz_app.test_client().post("/api/checkins", data=raw, content_type=content_type or None,
                                         headers={"Authorization": f"Bearer {admin_and_door['door']}"})
    assert answer.status_code < 500
    if answer.status_code >= 400:
        assert fingerprint(fuzz_app) == before


# --- The importers --------------------------------------------------------------------------

cells = st.one_of(st.text(max_size=150), st.sampled_from(["<script>alert(1)</script>", "=1+1", "Nguyễn Thị Đào",
                                                          "", " ", "\x00", "Tổ dân phố", "Họ và tên"]))
headers = st.lists(st.sampled_from(["STT", "Họ và tên", "HO VA TEN", "Full name", "Chức vụ", "Đơn vị", "Thành phần",
                                    "Ghế", "", "Ghi chú", "<b>Họ tên</b>"]), min_size=0, max_size=6)


def as_csv(header: list[str], rows: list[list[str]], delimiter: str) -> bytes:
    import csv
    import io
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


@FUZZ
@given(header=headers, rows=st.lists(st.lists(cells, max_size=7), max_size=12), delimiter=st.sampled_from([",", ";", "\t"]))
def test_an_import_adds_every_row_or_none_and_never_fails_otherwise(fuzz_app, header, rows, delimiter):
    from conference.core.db import db
    from conference.checkin.importer import import_delegates
    from conference.core.state import default_conference_id
    content = as_csv(header, rows, delimiter)
    before = fingerprint(fuzz_app)
    with fuzz_app.app_context():
        try:
            added = import_delegates(default_conference_id(), "roster.csv", content)
        except ConferenceError as error:
            assert 400 <= error.status < 500 and error.message
            added = None
        finally:
            db.session.rollback()
    if added is None:
        assert fingerprint(fuzz_app) == before
    else:
        assert added > 0 and fingerprint(fuzz_app) != before


@FUZZ
@given(content=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".xlsx", ".xls", ".txt", ""]))
def test_an_unreadable_file_is_refused_with_a_reason_and_changes_nothing(fuzz_app, content, suffix):
    from conference.core.db import db
    from conference.checkin.importer import import_delegates
    from conference.core.state import default_conference_id
    before = fingerprint(fuzz_app)
    with fuzz_app.app_context():
        try:
            import_delegates(default_conference_id(), "roster" + suffix, content)
            changed = True
        except ConferenceError as error:
            assert 400 <= error.status < 500 and error.message
            changed = False
        finally:
            db.session.rollback()
    assert (fingerprint(fuzz_app) != before) == changed


@FUZZ
@given(content=st.binary(max_size=2000) | st.builds(as_csv, headers, st.lists(st.lists(cells, max_size=5), max_size=6),
                                                    st.just(",")),
       suffix=st.sampled_from([".csv", ".xlsx", ".pdf"]))
def test_the_honouree_import_over_http_never_answers_a_5xx(fuzz_app, admin_and_door, content, suffix):
    import io
    before = fingerprint(fuzz_app)
    answer = fuzz_app.test_client().post(
        "/api/honourees/import", content_type="multipart/form-data",
        data={"file": (io.BytesIO(content), "honourees" + suffix)},
        headers={"Authorization": f"Bearer {admin_and_door['admin']}"})
    assert answer.status_code < 500, answer.get_data(as_text=True)[:300]
    if answer.status_code >= 400:
        assert answer.get_json()["error"]["code"] and fingerprint(fuzz_app) == before
