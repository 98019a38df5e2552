"""The calling order of item 5: form rank, collectives first, decision order, batches, hand-set order."""
from __future__ import annotations

import pytest

from conference import awards
from conference.awards import catalogue as award_setup
from conference.core.db import db, write_transaction
from conference.core.errors import ConferenceError
from conference.core.models import Conference


@pytest.fixture
def ceremony(app):
    """An empty conference of its own, and a helper that writes forms, decisions and honourees."""
    with app.app_context():
        with write_transaction() as session:
            conference = Conference(title="Hội nghị thử", award_batch_size=3)
            session.add(conference)
        conference_id = conference.id

    class Ceremony:
        id = conference_id

        def form(self, name, rank):
            with app.app_context():
                return award_setup.create_form(conference_id, {"name": name, "rank": rank}).id

        def decision(self, number, form_id, people):
            """people: [("tập thể"|"cá nhân", name), ...] in the order the decision lists them."""
            with app.app_context():
                decision = award_setup.create_decision(conference_id, {"number": number, "issuer": "Chủ tịch UBND",
                                                                       "form_id": form_id})
                return [award_setup.add_honouree(conference_id, decision.id, {"kind": kind, "name": name}).id
                        for kind, name in people]

        def order(self):
            """[(form, kind, [names])] per announcement."""
            with app.app_context():
                return [(a.decision.form.name, a.kind.value, [h.name for h in a.honourees])
                        for a in awards.calling_order(conference_id)]

        def names(self):
            return [name for _, _, names in self.order() for name in names]

    return Ceremony()


def test_higher_form_is_called_first_even_when_its_decision_came_later(ceremony):
    ward = ceremony.form("Giấy khen của Chủ tịch UBND phường", 50)
    province = ceremony.form("Bằng khen của Chủ tịch UBND tỉnh", 90)
    ceremony.decision("12/QĐ-UBND", ward, [("cá nhân", "Lê Văn Toàn")])
    ceremony.decision("345/QĐ-UBND", province, [("cá nhân", "Phạm Thị Huệ")])
    assert ceremony.names() == ["Phạm Thị Huệ", "Lê Văn Toàn"]
    assert [form for form, _, _ in ceremony.order()] == ["Bằng khen của Chủ tịch UBND tỉnh",
                                                          "Giấy khen của Chủ tịch UBND phường"]


def test_rank_is_data_so_re_ranking_a_form_changes_the_order(app, ceremony):
    low = ceremony.form("Giấy khen", 10)
    high = ceremony.form("Bằng khen", 20)
    ceremony.decision("1/QĐ", low, [("cá nhân", "An")])
    ceremony.decision("2/QĐ", high, [("cá nhân", "Bình")])
    assert ceremony.names() == ["Bình", "An"]
    with app.app_context():
        award_setup.update_form(ceremony.id, low, {"rank": 30})
    assert ceremony.names() == ["An", "Bình"]


def test_collectives_come_before_individuals_within_a_form(ceremony):
    form = ceremony.form("Giấy khen", 50)
    ceremony.decision("12/QĐ-UBND", form, [("cá nhân", "Lê Văn Toàn"), ("tập thể", "Tổ dân phố 2"),
                                          ("cá nhân", "Phạm Thị Huệ"), ("tập thể", "Tổ dân phố 8")])
    assert ceremony.order() == [("Giấy khen", "collective", ["Tổ dân phố 2", "Tổ dân phố 8"]),
                                ("Giấy khen", "individual", ["Lê Văn Toàn", "Phạm Thị Huệ"])]


def test_collectives_of_a_later_decision_come_before_individuals_of_an_earlier_one_of_equal_form(ceremony):
    form = ceremony.form("Giấy khen", 50)
    ceremony.decision("1/QĐ", form, [("cá nhân", "An")])
    ceremony.decision("2/QĐ", form, [("tập thể", "Tổ dân phố 1")])
    assert ceremony.names() == ["Tổ dân phố 1", "An"]


def test_decision_order_then_written_order_break_ties(ceremony):
    form = ceremony.form("Giấy khen", 50)
    ceremony.decision("1/QĐ", form, [("cá nhân", "Chín"), ("cá nhân", "An")])
    ceremony.decision("2/QĐ", form, [("cá nhân", "Bình")])
    assert ceremony.order() == [("Giấy khen", "individual", ["Chín", "An"]),
                                ("Giấy khen", "individual", ["Bình"])]


def test_a_run_longer_than_the_batch_size_is_split_into_batches_of_that_size(app, ceremony):
    form = ceremony.form("Giấy khen", 50)
    people = [("cá nhân", f"Người {n}") for n in range(1, 8)]
    ceremony.decision("1/QĐ", form, people)
    assert [len(names) for _, _, names in ceremony.order()] == [3, 3, 1]
    with app.app_context():
        award_setup.set_batch_size(ceremony.id, 5)
    assert [len(names) for _, _, names in ceremony.order()] == [5, 2]
    assert ceremony.names() == [name for _, name in people]


def test_a_batch_never_mixes_collectives_and_individuals_or_two_decisions(ceremony):
    form = ceremony.form("Giấy khen", 50)
    ceremony.decision("1/QĐ", form, [("tập thể", "Tổ 1"), ("cá nhân", "An")])
    ceremony.decision("2/QĐ", form, [("cá nhân", "Bình")])
    assert [names for _, _, names in ceremony.order()] == [["Tổ 1"], ["An"], ["Bình"]]


def test_manual_order_overrides_the_rules_and_empty_list_restores_them(app, ceremony):
    form = ceremony.form("Giấy khen", 50)
    tier = ceremony.form("Bằng khen", 90)
    low = ceremony.decision("1/QĐ", form, [("cá nhân", "An"), ("tập thể", "Tổ 1")])
    high = ceremony.decision("2/QĐ", tier, [("cá nhân", "Bình")])
    ruled = ceremony.names()
    assert ruled == ["Bình", "Tổ 1", "An"]
    with app.app_context():
        award_setup.reorder(ceremony.id, [low[0], high[0], low[1]])
    assert ceremony.names() == ["An", "Bình", "Tổ 1"]
    with app.app_context():
        award_setup.reorder(ceremony.id, [])
    assert ceremony.names() == ruled


@pytest.mark.parametrize("bad, code", [
    ("not a list", "invalid_order"),
    ([True], "invalid_order"),
    ("duplicate", "duplicate_in_order"),
    ("missing", "incomplete_order"),
    ("unknown", "unknown_honouree"),
])
def test_manual_order_must_name_every_honouree_once(app, ceremony, bad, code):
    form = ceremony.form("Giấy khen", 50)
    ids = ceremony.decision("1/QĐ", form, [("cá nhân", "An"), ("cá nhân", "Bình")])
    before = ceremony.names()
    named = {"duplicate": [ids[0], ids[0]], "missing": [ids[1]], "unknown": [ids[0], ids[1], 999999]}
    wrong = named[bad] if isinstance(bad, str) and bad in named else bad
    with app.app_context():
        with pytest.raises(ConferenceError) as raised:
            award_setup.reorder(ceremony.id, wrong)
    assert raised.value.code == code and 400 <= raised.value.status < 500
    assert ceremony.names() == before


def test_api_lists_the_demo_announcements_in_calling_order(client, auth):
    response = client.get("/api/awards", headers=auth("mc"))
    assert response.status_code == 200
    announcements = response.get_json()["announcements"]
    assert [a["index"] for a in announcements] == list(range(len(announcements)))
    first = announcements[0]
    assert {"index", "form", "decision", "honourees"} <= first.keys()
    assert first["decision"]["text"].startswith("Quyết định số ")
    ranks = {f["name"]: f["rank"] for f in client.get("/api/award-forms", headers=auth("admin")).get_json()["forms"]}
    called = [(ranks[a["form"]], h["kind"]) for a in announcements for h in a["honourees"]]
    assert called == sorted(called, key=lambda pair: (-pair[0], pair[1] != "collective"))
    assert len({rank for rank, _ in called}) == 3
    assert all(len(a["honourees"]) <= 6 for a in announcements)


def test_manual_order_through_the_api(client, auth):
    announcements = client.get("/api/awards", headers=auth("admin")).get_json()["announcements"]
    ids = [h["id"] for a in announcements for h in a["honourees"]]
    reordered = client.put("/api/awards/order", json={"honouree_ids": ids[::-1]}, headers=auth("admin"))
    assert reordered.status_code == 200
    assert [h["id"] for a in reordered.get_json()["announcements"] for h in a["honourees"]] == ids[::-1]
    refused = client.put("/api/awards/order", json={"honouree_ids": ids[1:]}, headers=auth("admin"))
    assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "incomplete_order"


def test_stepping_reveals_the_decision_then_the_names_and_logs_the_call(app, client, auth, conference_id):
    first = client.post("/api/awards/next", headers=auth("mc")).get_json()["award"]
    assert first["index"] == 0 and first["reveal"] is False and all(h["called_at"] is None for h in first["honourees"])
    shown = client.post("/api/awards/next", headers=auth("mc")).get_json()["award"]
    assert shown["index"] == 0 and shown["reveal"] is True
    assert all(h["called_at"] for h in shown["honourees"])
    back = client.post("/api/awards/previous", headers=auth("mc")).get_json()["award"]
    assert back["index"] == 0 and back["reveal"] is False
    with app.app_context():
        total = len(awards.calling_order(conference_id))
    for _ in range(2 * total + 3):  # past the end stays on the congratulations screen
        last = client.post("/api/awards/next", headers=auth("mc")).get_json()["award"]
    assert last["finished"] is True and last["index"] == total
