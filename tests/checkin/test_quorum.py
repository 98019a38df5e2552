"""The quorum and the reasons for absence (checkin/quorum.py, docs/OFFICE.md "Quorum and absences"):
the rule's arithmetic, the live figures in the snapshot, the office's setting, the absence API and
page, and every bad input refused with nothing changed."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from conference.checkin.quorum import needed
from conference.core.db import db
from conference.core.models import Conference, Delegate
from conference.office import lifecycle

from tests.conftest import page_csrf_token


def delegate_ids(app, conference_id) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Delegate.id).where(Delegate.conference_id == conference_id,
                                                                    Delegate.walk_in.is_(False))
                                       .order_by(Delegate.id)))


def quorum_now(client) -> dict:
    return client.get("/api/state").get_json()["attendance"]["quorum"]


def check_in(client, auth, delegate_id):
    answer = client.post("/api/checkins", json={"delegate_id": delegate_id}, headers=auth("door"))
    assert answer.get_json()["result"] == "checked_in", answer.get_json()


def stored(app, delegate_id) -> tuple:
    with app.app_context():
        delegate = db.session.get(Delegate, delegate_id)
        return delegate.absence_reason, delegate.absence_note


@pytest.mark.parametrize("rule, summoned, need", [
    ("more_than_half", 10, 6), ("more_than_half", 9, 5), ("more_than_half", 1, 1),
    ("two_thirds", 9, 6), ("two_thirds", 10, 7), ("two_thirds", 3, 2)])
def test_more_than_half_and_two_thirds_need_so_many(rule, summoned, need):
    assert needed(rule, summoned) == need


def test_the_snapshot_says_live_when_the_quorum_is_met(client, app, auth, conference_id):
    ids = delegate_ids(app, conference_id)
    before = quorum_now(client)
    assert before == {"rule": "more_than_half", "summoned": len(ids), "present": 0,
                      "needed": len(ids) // 2 + 1, "met": False}
    for delegate_id in ids[:before["needed"] - 1]:
        check_in(client, auth, delegate_id)
    short = quorum_now(client)
    assert (short["present"], short["met"]) == (before["needed"] - 1, False)
    check_in(client, auth, ids[before["needed"] - 1])
    assert quorum_now(client)["met"] is True


def test_a_walk_in_was_not_summoned_and_counts_on_neither_side(client, app, auth, conference_id):
    before = quorum_now(client)
    answer = client.post("/api/delegates", json={"full_name": "Người Đến Thêm", "check_in": True},
                         headers=auth("door"))
    assert answer.status_code in (200, 201), answer.get_json()
    after = client.get("/api/state").get_json()["attendance"]
    assert after["present"] == 1  # the hall's figure counts them
    assert (after["quorum"]["summoned"], after["quorum"]["present"]) == (before["summoned"], 0)


def test_the_office_sets_the_rule_and_the_screens_follow(admin_client, app, conference_id):
    summoned = quorum_now(admin_client)["summoned"]
    page = admin_client.get("/admin/conference").get_data(as_text=True)
    assert 'name="quorum_rule"' in page and "Quá nửa số đại biểu được triệu tập" in page
    answer = admin_client.post("/admin/conference", data={
        "csrf_token": admin_client.csrf_token, "title": "Hội nghị", "award_batch_size": "6",
        "quorum_rule": "two_thirds"})
    assert answer.status_code == 303
    assert quorum_now(admin_client) == {"rule": "two_thirds", "summoned": summoned, "present": 0,
                                        "needed": -(-2 * summoned // 3), "met": False}


def test_an_unknown_rule_is_refused_and_nothing_changes(admin_client, app, conference_id):
    version = admin_client.get("/api/state").get_json()["version"]
    answer = admin_client.post("/admin/conference", data={
        "csrf_token": admin_client.csrf_token, "title": "Tên khác", "award_batch_size": "6",
        "quorum_rule": "three_quarters"})
    assert answer.status_code == 400
    assert "Quy định về số đại biểu cần có mặt không hợp lệ." in answer.get_data(as_text=True)
    with app.app_context():
        conference = db.session.get(Conference, conference_id)
        assert conference.quorum_rule == "more_than_half" and conference.title != "Tên khác"
    assert admin_client.get("/api/state").get_json()["version"] == version


def test_the_door_notes_an_absence_with_its_reason(client, app, auth, conference_id):
    delegate_id = delegate_ids(app, conference_id)[0]
    version = client.get("/api/state").get_json()["version"]
    answer = client.put(f"/api/delegates/{delegate_id}/absence", json={"reason": "excused", "note": " Đi công tác "},
                        headers=auth("door"))
    assert answer.status_code == 200
    delegate = answer.get_json()["delegate"]
    assert (delegate["id"], delegate["absence_reason"], delegate["absence_note"]) == \
        (delegate_id, "excused", "Đi công tác")
    assert stored(app, delegate_id) == ("excused", "Đi công tác")
    assert client.get("/api/state").get_json()["version"] > version  # every screen hears of it
    # The door's search and its offline roster show it.
    found = client.get("/api/delegates", headers=auth("door")).get_json()["delegates"]
    assert next(d for d in found if d["id"] == delegate_id)["absence_reason"] == "excused"
    roster = client.get("/door/roster", headers=auth("door")).get_json()
    row = next(dict(zip(roster["fields"], r)) for r in roster["rows"] if r[0] == delegate_id)
    assert (row["absence_reason"], row["absence_note"]) == ("excused", "Đi công tác")


def test_no_reason_clears_the_absence_and_its_note(client, app, auth, conference_id):
    delegate_id = delegate_ids(app, conference_id)[0]
    client.put(f"/api/delegates/{delegate_id}/absence", json={"reason": "unexcused", "note": "Không báo"},
               headers=auth("admin"))
    assert stored(app, delegate_id) == ("unexcused", "Không báo")
    answer = client.put(f"/api/delegates/{delegate_id}/absence", json={"reason": None, "note": "bỏ qua"},
                        headers=auth("door"))
    assert answer.status_code == 200 and stored(app, delegate_id) == (None, None)


def test_a_check_in_clears_nothing_but_the_delegate_is_present(client, app, auth, conference_id):
    delegate_id = delegate_ids(app, conference_id)[0]
    client.put(f"/api/delegates/{delegate_id}/absence", json={"reason": "excused", "note": "Ốm"},
               headers=auth("door"))
    check_in(client, auth, delegate_id)
    assert stored(app, delegate_id) == ("excused", "Ốm")
    assert quorum_now(client)["present"] == 1


@pytest.mark.parametrize("body, code", [
    ({"reason": "sick"}, "invalid_absence_reason"),
    ({"reason": 1}, "invalid_absence_reason"),
    ({"reason": ["excused"]}, "invalid_absence_reason"),
    ({"reason": {"excused": True}}, "invalid_absence_reason"),
    ({"reason": "excused", "note": "x" * 201}, "absence_note_too_long"),
    ({"reason": "excused", "note": 12}, "invalid_absence_note"),
    ([], "invalid_json"),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_changes(client, app, auth, conference_id, body,
                                                                       code):
    delegate_id = delegate_ids(app, conference_id)[0]
    client.put(f"/api/delegates/{delegate_id}/absence", json={"reason": "unexcused", "note": "Trước"},
               headers=auth("door"))
    version = client.get("/api/state").get_json()["version"]
    answer = client.put(f"/api/delegates/{delegate_id}/absence", json=body, headers=auth("door"))
    assert answer.status_code == 400
    error = answer.get_json()["error"]
    assert error["code"] == code and error["message"]
    assert stored(app, delegate_id) == ("unexcused", "Trước")
    assert client.get("/api/state").get_json()["version"] == version


def test_a_delegate_of_another_conference_is_not_found(client, app, auth, conference_id):
    with app.app_context():
        other = lifecycle.create_conference("Hội nghị khác", copy_from=conference_id)
        stranger = db.session.scalar(sa.select(Delegate.id).where(Delegate.conference_id == other))
    answer = client.put(f"/api/delegates/{stranger}/absence", json={"reason": "excused"}, headers=auth("door"))
    assert (answer.status_code, answer.get_json()["error"]["code"]) == (404, "unknown_delegate")
    assert stored(app, stranger) == (None, None)


@pytest.mark.parametrize("role", ["mc", "display", "button"])
def test_only_the_door_and_the_office_note_absences(client, app, auth, conference_id, role):
    delegate_id = delegate_ids(app, conference_id)[0]
    answer = client.put(f"/api/delegates/{delegate_id}/absence", json={"reason": "excused"}, headers=auth(role))
    assert answer.status_code in (401, 403)
    assert stored(app, delegate_id) == (None, None)


def test_the_office_notes_an_absence_on_the_delegate_page(admin_client, app, conference_id):
    delegate_id = delegate_ids(app, conference_id)[0]
    page = admin_client.get(f"/admin/delegates/{delegate_id}").get_data(as_text=True)
    assert 'id="absence-reason"' in page and "Vắng có lý do" in page
    answer = admin_client.post(f"/admin/delegates/{delegate_id}/absence", data={
        "csrf_token": admin_client.csrf_token, "reason": "excused", "note": "Họp ở tỉnh"})
    assert answer.status_code == 303
    assert stored(app, delegate_id) == ("excused", "Họp ở tỉnh")
    refused = admin_client.post(f"/admin/delegates/{delegate_id}/absence", data={
        "csrf_token": admin_client.csrf_token, "reason": "excused", "note": "y" * 201})
    assert refused.status_code == 400 and "dài quá 200 ký tự" in refused.get_data(as_text=True)
    assert stored(app, delegate_id) == ("excused", "Họp ở tỉnh")


def test_the_mc_console_and_the_dashboard_show_the_quorum(admin_client, client, app, auth, conference_id):
    dashboard = admin_client.get("/admin").get_data(as_text=True)
    assert 'id="quorum"' in dashboard and 'data-met="false"' in dashboard
    summoned = quorum_now(client)["summoned"]
    assert f"Chưa đủ số lượng đại biểu theo quy định: cần {summoned // 2 + 1}, có mặt 0" in dashboard
    for delegate_id in delegate_ids(app, conference_id)[:summoned // 2 + 1]:
        check_in(client, auth, delegate_id)
    dashboard = admin_client.get("/admin").get_data(as_text=True)
    assert 'data-met="true"' in dashboard and "Đủ số lượng đại biểu theo quy định" in dashboard
    assert admin_client.get("/admin/attendance.json").get_json()["attendance"]["quorum"]["met"] is True
    mc = admin_client.get("/mc").get_data(as_text=True)
    assert 'id="quorum"' in mc and "quorum_short" in mc


def test_the_door_page_offers_to_note_an_absence(client, app, pairings):
    door = app.test_client()
    door.get(f"/pair/{pairings['door']}")
    page = door.get("/door").get_data(as_text=True)
    assert page_csrf_token(page)
    assert 'id="absence-dialog"' in page and "absence_button" in page
