"""The conference's vote rule: more than half of those present (the default) or two thirds, set by
the office; each vote keeps the rule it was opened under, and the papers say which."""
from __future__ import annotations

import io

from docx import Document

from conference.core.db import db
from conference.core.models import Conference
from conference.votes.results import votes_needed
from tests.votes.helpers import check_in, delegates, open_vote


def set_rule(admin_client, rule: str):
    return admin_client.post("/admin/conference", data={
        "csrf_token": admin_client.csrf_token, "title": "Hội nghị", "award_batch_size": "6", "vote_rule": rule})


def hands(client, auth, vote_id: int, agreed: int) -> dict:
    assert client.post(f"/api/votes/{vote_id}/hands", json={"counts": {"Tán thành": agreed}},
                       headers=auth("mc")).status_code == 200
    closed = client.post(f"/api/votes/{vote_id}/close", headers=auth("mc"))
    assert closed.status_code == 200, closed.get_json()
    return closed.get_json()


def test_the_fewest_votes_that_pass_under_each_rule():
    assert [votes_needed(n, "more_than_half") for n in (1, 6, 7, 65)] == [1, 4, 4, 33]
    assert [votes_needed(n, "two_thirds") for n in (1, 6, 7, 65)] == [1, 4, 5, 44]
    assert votes_needed(0, "two_thirds") == 1  # nobody present: nothing passes with no vote


def test_four_of_seven_pass_by_more_than_half_but_not_by_two_thirds(app, client, auth, conference_id, admin_client):
    people = delegates(app, conference_id, 7)
    check_in(app, conference_id, [d for d, _ in people])
    first = hands(client, auth, open_vote(client, auth, method="hands")["id"], 4)
    assert first["outcome"] == {"rule": "more_than_half", "needed": 4, "adopted": "Tán thành", "passed": True}
    page = admin_client.get("/admin/conference").get_data(as_text=True)
    assert 'name="vote_rule"' in page and "Ít nhất hai phần ba số đại biểu có mặt" in page
    assert set_rule(admin_client, "two_thirds").status_code == 303
    second = hands(client, auth, open_vote(client, auth, method="hands")["id"], 4)
    assert second["outcome"] == {"rule": "two_thirds", "needed": 5, "adopted": None, "passed": False}
    # The first vote keeps the rule it was opened under, in its record and on the minutes.
    assert client.get(f"/api/votes/{first['id']}", headers=auth("mc")).get_json()["outcome"]["passed"] is True
    minutes = Document(io.BytesIO(admin_client.get("/admin/exports/minutes.docx").data))
    text = "\n".join(paragraph.text for paragraph in minutes.paragraphs)
    assert "(quá nửa số đại biểu có mặt) – thông qua" in text
    assert "ít nhất hai phần ba số đại biểu có mặt" in text


def test_an_unknown_vote_rule_is_refused_and_nothing_changes(app, admin_client, conference_id):
    version = admin_client.get("/api/state").get_json()["version"]
    answer = set_rule(admin_client, "three_quarters")
    assert answer.status_code == 400 and "Quy định thông qua biểu quyết không hợp lệ." in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Conference, conference_id).vote_rule == "more_than_half"
    assert admin_client.get("/api/state").get_json()["version"] == version
