"""The day itself: presence from the door, who received (self, representative, proxy), absences, the vote."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from conference.core.db import db, write_transaction
from conference.core.models import (AwardDecision, AwardForm, AwardPresentation, Conference, Honouree,
                                    HonoureeKind, Vote)


def all_honourees(client, auth) -> dict[str, dict]:
    announcements = client.get("/api/awards", headers=auth("mc")).get_json()["announcements"]
    return {h["name"]: h for a in announcements for h in a["honourees"]}


def honouree(client, auth, name) -> dict:
    return all_honourees(client, auth)[name]


def version(client) -> int:
    return client.get("/api/state").get_json()["version"]


def check_in(client, auth, delegate_id):
    response = client.post("/api/checkins", json={"delegate_id": delegate_id}, headers=auth("door"))
    assert response.status_code == 201


def present(client, auth, name):
    return honouree(client, auth, name)["present"]


def record(client, auth, honouree_id, outcome, received_by=None, role="mc"):
    """Recorded as the MC does after confirming (the door's check-in is not what these tests are about;
    tests/show/test_warnings.py covers the question asked first)."""
    return client.post("/api/awards/presentations", headers=auth(role),
                       json={"honouree_id": honouree_id, "outcome": outcome, "received_by": received_by,
                             "confirm": True})


def test_presence_follows_the_door_check_in_and_its_undo(client, auth):
    person = honouree(client, auth, "Lê Văn Toàn")
    assert person["present"] is False
    check_in(client, auth, person["delegate_id"])
    assert present(client, auth, "Lê Văn Toàn") is True
    assert client.delete(f"/api/checkins/{person['delegate_id']}", headers=auth("door")).status_code == 200
    assert present(client, auth, "Lê Văn Toàn") is False


def test_a_collective_is_present_when_its_representative_is_checked_in(client, auth):
    collective = honouree(client, auth, "Tổ dân phố 2")
    assert collective["kind"] == "collective" and collective["representative"] == "Trần Đình Khoa"
    assert collective["present"] is False
    check_in(client, auth, collective["delegate_id"])
    assert present(client, auth, "Tổ dân phố 2") is True


def test_an_honouree_who_is_not_a_delegate_has_unknown_presence(client, auth):
    assert honouree(client, auth, "Võ Văn Chín")["delegate_id"] is None
    assert present(client, auth, "Võ Văn Chín") is None


def test_the_projector_snapshot_carries_presence_of_the_batch_being_called(client, auth):
    client.post("/api/show/goto", json={"position": 5}, headers=auth("mc"))
    award = client.post("/api/awards/next", headers=auth("mc")).get_json()["award"]
    linked = next(h for h in award["honourees"] if h["delegate_id"])
    check_in(client, auth, linked["delegate_id"])
    again = client.get("/api/state").get_json()["award"]
    assert next(h for h in again["honourees"] if h["id"] == linked["id"])["present"] is True


def test_received_by_an_individual_is_recorded_as_themselves(client, auth):
    person = honouree(client, auth, "Phạm Thị Huệ")
    before = version(client)
    response = record(client, auth, person["id"], "received")
    assert response.status_code == 200
    body = response.get_json()["honouree"]
    assert (body["outcome"], body["received_by"]) == ("received", "Phạm Thị Huệ")
    assert body["called_at"] and body["recorded_at"]
    assert version(client) > before


def test_received_for_a_collective_defaults_to_its_representative(client, auth):
    collective = honouree(client, auth, "Tổ dân phố 8")
    body = record(client, auth, collective["id"], "received").get_json()["honouree"]
    assert body["received_by"] == "Đinh Văn Đuôn"
    other = record(client, auth, collective["id"], "received", "Nguyễn Văn Bảy").get_json()["honouree"]
    assert other["received_by"] == "Nguyễn Văn Bảy"


def test_proxy_is_recorded_with_the_name_of_who_received(client, auth):
    person = honouree(client, auth, "Bùi Quang Vinh")
    body = record(client, auth, person["id"], "proxy", "  Bùi  Thị Hoa ").get_json()["honouree"]
    assert (body["outcome"], body["received_by"]) == ("proxy", "Bùi Thị Hoa")
    assert honouree(client, auth, "Bùi Quang Vinh")["outcome"] == "proxy"


def test_proxy_without_a_name_is_refused_and_changes_nothing(app, client, auth):
    person = honouree(client, auth, "Huỳnh Tấn Lộc")
    before = version(client)
    for name in (None, "", "   "):
        response = record(client, auth, person["id"], "proxy", name)
        assert response.status_code == 422 and response.get_json()["error"]["code"] == "missing_proxy_name"
    assert version(client) == before
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AwardPresentation)) == 0


def test_proxy_without_a_name_uses_the_planned_proxy(client, auth):
    person = honouree(client, auth, "Ngô Thị Kim Liên")
    planned = client.put(f"/api/honourees/{person['id']}", json={"proxy_name": "Ngô Văn Tư"}, headers=auth("admin"))
    assert planned.status_code == 200 and planned.get_json()["honouree"]["proxy_name"] == "Ngô Văn Tư"
    body = record(client, auth, person["id"], "proxy").get_json()["honouree"]
    assert body["received_by"] == "Ngô Văn Tư"


def test_absent_is_recorded_without_a_receiver_and_can_be_undone(client, auth):
    person = honouree(client, auth, "Trương Văn Đông")
    body = record(client, auth, person["id"], "absent", "ignored").get_json()["honouree"]
    assert (body["outcome"], body["received_by"]) == ("absent", None)
    cleared = client.delete(f"/api/awards/presentations/{person['id']}", headers=auth("mc"))
    assert cleared.status_code == 200 and cleared.get_json()["honouree"]["outcome"] is None
    assert cleared.get_json()["honouree"]["called_at"]  # the call itself stays in the log
    assert client.delete(f"/api/awards/presentations/{person['id']}", headers=auth("mc")).status_code == 409


def test_a_later_record_replaces_the_earlier_one(client, auth):
    person = honouree(client, auth, "Lê Văn Toàn")
    record(client, auth, person["id"], "absent")
    body = record(client, auth, person["id"], "received").get_json()["honouree"]
    assert (body["outcome"], body["received_by"]) == ("received", "Lê Văn Toàn")


@pytest.mark.parametrize("payload, status, code", [
    ({"honouree_id": 999999, "outcome": "received"}, 404, "unknown_honouree"),
    ({"honouree_id": "1", "outcome": "received"}, 400, "invalid_honouree_id"),
    ({"outcome": "received"}, 400, "invalid_honouree_id"),
    ({"honouree_id": 1, "outcome": "given"}, 400, "invalid_outcome"),
    ({"honouree_id": 1, "outcome": "proxy", "received_by": ["x"]}, 400, "invalid_received_by"),
    ({"honouree_id": 1, "outcome": "proxy", "received_by": "x" * 121}, 400, "received_by_too_long"),
])
def test_bad_presentation_requests_get_a_clear_4xx(client, auth, payload, status, code):
    response = client.post("/api/awards/presentations", json=payload, headers=auth("mc"))
    assert response.status_code == status and response.get_json()["error"]["code"] == code


def test_an_honouree_of_another_conference_cannot_be_recorded(app, client, auth):
    with app.app_context():
        with write_transaction() as session:
            other = Conference(title="Hội nghị khác")
            session.add(other)
            session.flush()
            form = AwardForm(conference_id=other.id, name="Giấy khen", rank=1)
            decision = AwardDecision(conference_id=other.id, position=1, number="1/QĐ", issuer="UBND", form=form)
            decision.honourees = [Honouree(position=1, kind=HonoureeKind.INDIVIDUAL, name="Người ngoài")]
            session.add(decision)
            session.flush()
            foreign = decision.honourees[0].id
    response = record(client, auth, foreign, "received")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "unknown_honouree"
    assert client.put(f"/api/honourees/{foreign}", json={"name": "x"}, headers=auth("admin")).status_code == 404


def test_the_log_for_the_minutes_lists_every_honouree_with_who_received(client, auth):
    people = all_honourees(client, auth)
    record(client, auth, people["Tổ dân phố 2"]["id"], "received")
    record(client, auth, people["Bùi Quang Vinh"]["id"], "proxy", "Bùi Thị Hoa")
    log = client.get("/api/awards/log", headers=auth("admin")).get_json()["presentations"]
    assert len(log) == len(people)
    by_name = {row["name"]: row for row in log}
    assert by_name["Tổ dân phố 2"]["received_by"] == "Trần Đình Khoa"
    assert (by_name["Bùi Quang Vinh"]["outcome"], by_name["Bùi Quang Vinh"]["received_by"]) == ("proxy", "Bùi Thị Hoa")
    assert by_name["Lê Văn Toàn"]["outcome"] is None
    assert all(row["decision_number"] and row["form"] for row in log)


def delegate_ids(client, auth, count):
    return [d["id"] for d in client.get("/api/delegates", headers=auth("door")).get_json()["delegates"][:count]]


def test_vote_takes_present_from_the_check_ins(app, client, auth):
    for delegate_id in delegate_ids(client, auth, 3):
        check_in(client, auth, delegate_id)
    response = client.post("/api/vote", json={"agreed": 3}, headers=auth("mc"))
    assert response.status_code == 201
    assert response.get_json()["vote"]["agreed"] == 3 and response.get_json()["vote"]["present"] == 3
    assert client.get("/api/state").get_json()["vote"]["agreed"] == 3


def test_vote_with_more_agreed_than_present_is_refused(app, client, auth):
    for delegate_id in delegate_ids(client, auth, 2):
        check_in(client, auth, delegate_id)
    before = version(client)
    for agreed in (3, -1):
        response = client.post("/api/vote", json={"agreed": agreed}, headers=auth("mc"))
        assert response.status_code == 422 and response.get_json()["error"]["code"] == "invalid_agreed"
    for agreed in ("2", True, None, 1.5):
        assert client.post("/api/vote", json={"agreed": agreed}, headers=auth("mc")).status_code == 400
    assert version(client) == before
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Vote)) == 0


def test_latest_vote_is_the_one_shown_and_present_is_frozen_when_recorded(client, auth):
    first, second = delegate_ids(client, auth, 2)
    check_in(client, auth, first)
    client.post("/api/vote", json={"agreed": 0}, headers=auth("mc"))
    check_in(client, auth, second)
    assert client.get("/api/state").get_json()["vote"] == {**client.get("/api/state").get_json()["vote"],
                                                           "agreed": 0, "present": 1}
    client.post("/api/vote", json={"agreed": 2}, headers=auth("admin"))
    vote = client.get("/api/state").get_json()["vote"]
    assert (vote["agreed"], vote["present"]) == (2, 2)
