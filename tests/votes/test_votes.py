"""Votes by the Flask test client (docs/VOTES.md): the MC opens, the checked-in delegates vote on
their phones once each, the MC closes; refusals say why and count nothing; the figures reach the
screens and the phones, never who voted what; a show of hands; the item-8 call of /api/vote."""
from __future__ import annotations

from conference.core.extensions import socketio
from tests.votes.helpers import ballot, check_in, delegates, open_vote, voter

DEFAULTS = ["Tán thành", "Không tán thành", "Không biểu quyết"]


def test_a_phone_vote_from_open_to_result(app, client, auth, conference_id):
    people = delegates(app, conference_id, 5)
    check_in(app, conference_id, [d for d, _ in people[:4]])
    vote = open_vote(client, auth, item=8)
    assert vote["state"] == "open" and vote["choices"] == DEFAULTS and vote["present"] == 4 and vote["cast"] == 0
    assert vote["counts"] is None and vote["outcome"] is None and vote["item"] == 8
    phones = [voter(app, code) for _, code in people[:4]]
    for phone, choice in zip(phones, (1, 1, 1, 2)):
        assert ballot(phone, vote["id"], choice).status_code == 201
    watched = client.get(f"/api/votes/{vote['id']}", headers=auth("mc")).get_json()
    assert (watched["present"], watched["cast"], watched["counts"]) == (4, 4, None)  # no count before the close
    closed = client.post(f"/api/votes/{vote['id']}/close", headers=auth("mc")).get_json()
    assert closed["state"] == "closed" and closed["counts"] == {"Tán thành": 3, "Không tán thành": 1,
                                                                "Không biểu quyết": 0}
    assert closed["percentages"]["Tán thành"] == 75.0
    assert closed["outcome"] == {"rule": "more_than_half", "needed": closed["present"] // 2 + 1, "adopted": "Tán thành",
                                  "passed": True}
    assert client.get(f"/api/votes/{vote['id']}", headers=auth("admin")).get_json()["counts"] == closed["counts"]


def test_refusals_say_why_and_count_nothing(app, client, auth, conference_id):
    (inside, inside_code), (outside, outside_code) = delegates(app, conference_id, 2)
    check_in(app, conference_id, [inside])
    vote = open_vote(client, auth)
    phone, absent = voter(app, inside_code), voter(app, outside_code)
    refused = ballot(absent, vote["id"], 1)
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "not_checked_in"
    assert "chưa được ghi nhận có mặt" in refused.get_json()["error"]["message"]
    for choices, code in (((4,), "unknown_choice"), ((1, 2), "too_many_choices"), ((), "invalid_ballot"),
                          ((True,), "invalid_choice"), (("1",), "invalid_choice")):
        answer = ballot(phone, vote["id"], *choices)
        assert answer.status_code == 400 and answer.get_json()["error"]["code"] == code, (choices, answer.get_json())
    assert ballot(phone, vote["id"] + 1000, 1).status_code == 404
    assert ballot(phone, vote["id"], 1).status_code == 201
    again = ballot(phone, vote["id"], 2)  # a replayed or second ballot
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_voted"
    forged = phone.post("/me/ballot", json={"vote": vote["id"], "choices": [1]})  # no CSRF token
    assert forged.status_code == 400
    nobody = app.test_client().post("/me/ballot", json={"vote": vote["id"], "choices": [1]},
                                    headers={"X-CSRFToken": phone.csrf})
    assert nobody.status_code in (400, 401)
    closed = client.post(f"/api/votes/{vote['id']}/close", headers=auth("mc")).get_json()
    assert closed["cast"] == 1 and closed["counts"]["Tán thành"] == 1 and sum(closed["counts"].values()) == 1
    late = ballot(phone, vote["id"], 1)
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "vote_closed"
    assert client.post(f"/api/votes/{vote['id']}/close", headers=auth("mc")).status_code == 409


def test_a_released_phone_cannot_vote(app, client, auth, conference_id, admin_client):
    [(delegate_id, code)] = delegates(app, conference_id, 1)
    check_in(app, conference_id, [delegate_id])
    vote = open_vote(client, auth)
    phone = voter(app, code)
    released = admin_client.post(f"/admin/delegates/{delegate_id}/release-phone",
                                 data={"csrf_token": admin_client.csrf_token})
    assert released.status_code == 303
    refused = ballot(phone, vote["id"], 1)
    assert refused.status_code == 401 and refused.get_json()["error"]["code"] == "no_phone_session"
    assert client.get(f"/api/votes/{vote['id']}", headers=auth("mc")).get_json()["cast"] == 0


def test_one_open_vote_at_a_time_and_bad_openings_are_refused(client, auth):
    first = open_vote(client, auth)
    second = client.post("/api/votes", json={"question": "Khác", "method": "phones"}, headers=auth("admin"))
    assert second.status_code == 409 and second.get_json()["error"]["code"] == "vote_already_open"
    client.post(f"/api/votes/{first['id']}/close", headers=auth("mc"))
    for body, code in (({"question": "x", "method": "post"}, "invalid_method"),
                       ({"method": "phones"}, "missing_question"),
                       ({"question": "x", "method": "hands", "secret": True}, "secret_hands"),
                       ({"question": "x", "method": "phones", "choices": ["A"]}, "invalid_choices"),
                       ({"question": "x", "method": "phones", "choices": ["A", "A"]}, "duplicate_choice"),
                       ({"question": "x", "method": "phones", "item": 999}, "unknown_item"),
                       ({"question": "x", "method": "phones", "max_choices": 2}, "invalid_max_choices")):
        answer = client.post("/api/votes", json=body, headers=auth("mc"))
        assert answer.status_code in (400, 404) and answer.get_json()["error"]["code"] == code, (body, answer.get_json())
    assert client.post("/api/votes", json={"question": "x", "method": "phones"}, headers=auth("door")).status_code == 403


def test_a_vote_of_another_conference_is_unknown(app, client, auth, admin_client):
    from conference.office import lifecycle
    vote = open_vote(client, auth)
    with app.app_context():
        other = lifecycle.create_conference("Hội nghị khác", template="tong-ket-nam")
    headers = {"X-CSRFToken": admin_client.csrf_token}
    answer = admin_client.get(f"/api/votes/{vote['id']}?conference={other}")
    assert answer.status_code == 404 and answer.get_json()["error"]["code"] == "unknown_vote"
    assert admin_client.post(f"/api/votes/{vote['id']}/close?conference={other}", headers=headers).status_code == 404
    assert admin_client.get(f"/api/votes/{vote['id']}").get_json()["state"] == "open"


def test_a_show_of_hands(app, client, auth, conference_id):
    check_in(app, conference_id, [d for d, _ in delegates(app, conference_id, 10)])
    vote = open_vote(client, auth, method="hands")
    assert client.post(f"/api/votes/{vote['id']}/close", headers=auth("mc")).get_json()["error"]["code"] \
        == "hands_missing"
    too_many = client.post(f"/api/votes/{vote['id']}/hands", json={"counts": {"Tán thành": 8, "Không tán thành": 3}},
                           headers=auth("mc"))
    assert too_many.status_code == 400 and too_many.get_json()["error"]["code"] == "too_many_hands"
    unknown = client.post(f"/api/votes/{vote['id']}/hands", json={"counts": {"Có": 1}}, headers=auth("mc"))
    assert unknown.get_json()["error"]["code"] == "unknown_choice"
    entered = client.post(f"/api/votes/{vote['id']}/hands", json={"counts": {"Tán thành": 5, "Không tán thành": 4}},
                          headers=auth("mc")).get_json()
    assert entered["counts"]["Tán thành"] == 5 and entered["state"] == "open"
    closed = client.post(f"/api/votes/{vote['id']}/close", headers=auth("mc")).get_json()
    assert closed["outcome"]["adopted"] is None and closed["outcome"]["passed"] is False  # 5 of 10 is not more than half
    phone_vote = open_vote(client, auth)
    assert client.post(f"/api/votes/{phone_vote['id']}/hands", json={"counts": {}},
                       headers=auth("mc")).get_json()["error"]["code"] == "not_hands"


def test_electing_a_list_from_the_candidates(app, client, auth, conference_id):
    people = delegates(app, conference_id, 4)
    check_in(app, conference_id, [d for d, _ in people])
    snapshot = client.get("/api/state", headers=auth("mc")).get_json()
    names = [c["full_name"] for c in snapshot["candidates"]]
    assert len(names) >= 3
    vote = open_vote(client, auth, question="Bầu đại biểu đi dự hội nghị cấp trên", candidates=True, max_choices=2)
    assert vote["choices"] == names and vote["election"] and vote["max_choices"] == 2
    phones = [voter(app, code) for _, code in people]
    for phone, ticks in zip(phones, ((1, 2), (1, 2), (1, 3), (2,))):
        assert ballot(phone, vote["id"], *ticks).status_code == 201
    refused = ballot(phones[0], vote["id"], 1, 2, 3)
    assert refused.get_json()["error"]["code"] == "too_many_choices"
    closed = client.post(f"/api/votes/{vote['id']}/close", headers=auth("mc")).get_json()
    assert closed["counts"][names[0]] == 3 and closed["counts"][names[1]] == 3 and closed["counts"][names[2]] == 1
    assert closed["percentages"][names[0]] == 75.0
    assert closed["outcome"]["elected"] == [names[0], names[1]]  # 3 of 4 each; 1 of 4 is not more than half


def test_the_screens_and_the_phones_get_the_figures_never_who_voted_what(app, client, auth, conference_id):
    (delegate_id, code), _ = delegates(app, conference_id, 2)
    check_in(app, conference_id, [delegate_id])
    phone = voter(app, code)
    live = socketio.test_client(app, flask_test_client=phone, auth={"delegate": True})
    vote = open_vote(client, auth, secret=True)
    live.get_received()
    assert ballot(phone, vote["id"], 2).status_code == 201
    assert phone.get("/me/ballot").get_json() == {"vote": vote["id"], "voted": True}
    views = [m["args"][0] for m in live.get_received() if m["name"] == "programme"]
    assert views and views[-1]["vote"]["cast"] == 1 and views[-1]["vote"]["counts"] is None
    shown = client.get("/api/state", headers=auth("display")).get_json()["vote"]
    assert shown["state"] == "open" and shown["cast"] == 1 and shown["counts"] is None and shown["secret"]
    client.post(f"/api/votes/{vote['id']}/close", headers=auth("mc"))
    shown = client.get("/api/state", headers=auth("display")).get_json()["vote"]
    assert shown["counts"]["Không tán thành"] == 1 and shown["state"] == "closed"
    assert set(shown) == {"id", "question", "item", "method", "secret", "election", "max_choices", "choices", "state",
                          "present", "cast", "counts", "percentages", "outcome", "entries", "agreed",
                          "recorded_at"}
    live.disconnect()


def test_the_item_8_call_is_a_closed_show_of_hands(app, client, auth, conference_id):
    check_in(app, conference_id, [d for d, _ in delegates(app, conference_id, 6)])
    answer = client.post("/api/vote", json={"agreed": 5}, headers=auth("mc"))
    assert answer.status_code == 201 and answer.get_json()["vote"]["agreed"] == 5
    shown = client.get("/api/state", headers=auth("display")).get_json()["vote"]
    assert (shown["agreed"], shown["present"], shown["method"], shown["state"]) == (5, 6, "hands", "closed")
    assert shown["outcome"]["passed"] is True
    assert client.post("/api/vote", json={"agreed": 7}, headers=auth("mc")).status_code == 422


def test_two_candidates_of_one_name_are_told_apart_by_their_unit(app, client, auth, conference_id):
    from conference.office import details
    with app.app_context():
        details.add_candidate(conference_id, "Trần Văn Trùng", "Tổ trưởng", "Tổ 1")
        details.add_candidate(conference_id, "Trần Văn Trùng", "Tổ phó", "Tổ 2")
    vote = open_vote(client, auth, question="Bầu", candidates=True)
    assert {"Trần Văn Trùng (Tổ 1)", "Trần Văn Trùng (Tổ 2)"} <= set(vote["choices"])
    assert len(set(vote["choices"])) == len(vote["choices"])


def test_paper_ballots_are_entered_twice_and_stand_only_when_both_entries_agree(app, client, auth, conference_id):
    check_in(app, conference_id, [d for d, _ in delegates(app, conference_id, 10)])
    vote = open_vote(client, auth, method="paper", secret=True)
    path = f"/api/votes/{vote['id']}"
    enter = lambda counts, entry: client.post(f"{path}/paper", json={"counts": counts, "entry": entry},  # noqa: E731
                                              headers=auth("mc"))
    assert enter({"Tán thành": 8}, 2).get_json()["error"]["code"] == "first_entry_missing"
    assert enter({"Tán thành": 8}, 3).get_json()["error"]["code"] == "invalid_entry"
    first = enter({"Tán thành": 8, "Không tán thành": 2}, 1).get_json()
    assert first["entries"] == 1 and first["counts"] is None  # the second person enters blind
    assert client.post(f"{path}/close", headers=auth("mc")).get_json()["error"]["code"] == "paper_entries_missing"
    assert enter({"Tán thành": 7, "Không tán thành": 2}, 2).get_json()["entries"] == 2
    refused = client.post(f"{path}/close", headers=auth("mc"))
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "paper_mismatch"
    assert "Tán thành" in refused.get_json()["error"]["message"]
    enter({"Tán thành": 8, "Không tán thành": 2}, 2)
    closed = client.post(f"{path}/close", headers=auth("mc")).get_json()
    assert closed["counts"] == {"Tán thành": 8, "Không tán thành": 2, "Không biểu quyết": 0}
    assert closed["outcome"]["passed"] and closed["present"] == 10
    hands = open_vote(client, auth, method="hands")
    assert client.post(f"/api/votes/{hands['id']}/paper", json={"counts": {}, "entry": 1},
                       headers=auth("mc")).get_json()["error"]["code"] == "not_paper"
