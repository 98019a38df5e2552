"""Run-of-show and awards stepping: next / previous / goto, actual times kept, the version grows with
every change, the state survives a restart; awards step over announcements in calling order."""
from __future__ import annotations

import json

import pytest

from conference.office.demo import DEMO_FILE


def places(snapshot: dict) -> list[tuple[int, int | None]]:
    """Every place of the agenda in order, as the snapshot describes it."""
    found = []
    for item in snapshot["agenda"]:
        found.append((item["position"], None))
        found.extend((item["position"], step["position"]) for step in item["steps"])
    return found


def here(snapshot: dict) -> tuple[int | None, int | None]:
    return snapshot["current"], snapshot["current_step"]


@pytest.fixture
def mc(client, auth):
    def act(path: str, **payload) -> dict:
        response = client.post(f"/api/{path}", json=payload or None, headers=auth("mc"))
        assert response.status_code == 200, response.get_json()
        return response.get_json()
    return act


def test_next_walks_every_item_and_sub_step_in_order_then_finishes(client, mc):
    start = client.get("/api/state").get_json()
    assert here(start) == (None, None) and not start["finished"]
    visited = [here(mc("show/next")) for _ in places(start)]
    assert visited == places(start)
    finished = mc("show/next")
    assert here(finished) == (None, None) and finished["finished"]
    assert all(item["started_at"] and item["ended_at"] for item in finished["agenda"])
    assert mc("show/next")["version"] == finished["version"]  # nothing past the end


def test_advancing_records_the_actual_start_and_end_of_each_item(mc):
    first = mc("show/next")
    opening = first["agenda"][0]
    assert opening["started_at"] and opening["ended_at"] is None
    second = mc("show/next")
    assert second["agenda"][0]["started_at"] == opening["started_at"]
    assert second["agenda"][0]["ended_at"] >= opening["started_at"]
    assert second["agenda"][1]["started_at"] == second["agenda"][0]["ended_at"]
    assert all(item["started_at"] is None for item in second["agenda"][2:])


def test_goto_jumps_to_an_item_or_a_sub_step(mc):
    talks = mc("show/goto", position=4, step=2)
    assert here(talks) == (4, 2)
    item = talks["agenda"][3]
    assert item["started_at"] and item["steps"][1]["started_at"] and item["steps"][0]["started_at"] is None
    assert here(mc("show/goto", position=9)) == (9, None)


def test_previous_steps_back_and_before_the_first_item_is_the_start(mc):
    mc("show/next")
    mc("show/next")
    assert here(mc("show/previous")) == (1, None)
    back = mc("show/previous")
    assert here(back) == (None, None) and not back["finished"]
    assert mc("show/previous")["version"] == back["version"]


def test_every_change_grows_the_version_and_a_move_to_the_same_place_does_not(mc, client, auth):
    versions = [client.get("/api/state").get_json()["version"]]
    for path, payload in (("show/next", {}), ("show/goto", {"position": 3}), ("show/message", {"message": "A"}),
                          ("show/screen", {"screen": "standby"}), ("awards/next", {}), ("show/previous", {})):
        versions.append(mc(path, **payload)["version"])
    delegate = client.get("/api/delegates", headers=auth("door")).get_json()["delegates"][0]
    client.post("/api/checkins", json={"delegate_id": delegate["id"]}, headers=auth("door"))
    versions.append(client.get("/api/state").get_json()["version"])
    assert versions == sorted(set(versions)) and len(versions) == 8
    assert mc("show/goto", position=2)["version"] == versions[-1]  # already on item 2


def test_the_run_of_show_survives_a_restart_of_the_server(app, mc, tmp_path):
    from conference import create_app
    mc("show/goto", position=4, step=3)
    before = mc("awards/next")
    restarted = create_app({"INSTANCE_PATH": app.config["INSTANCE_PATH"], "TESTING": True,
                            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    after = restarted.test_client().get("/api/state").get_json()
    assert here(after) == (4, 3) and after["version"] == before["version"]
    assert after["agenda"] == before["agenda"]
    assert after["award"]["index"] == before["award"]["index"] == 0


def demo_form_ranks() -> dict[str, int]:
    return {form["name"]: form["rank"] for form in json.loads(DEMO_FILE.read_text(encoding="utf-8"))["award_forms"]}


def test_announcements_are_called_highest_form_first_collectives_before_individuals(client, auth):
    ranks = demo_form_ranks()
    announcements = client.get("/api/awards", headers=auth("mc")).get_json()["announcements"]
    assert [a["index"] for a in announcements] == list(range(len(announcements)))
    order = [(-ranks[a["form"]], a["kind"] != "collective") for a in announcements]
    assert order == sorted(order)
    assert {a["kind"] for a in announcements} == {"collective", "individual"}
    called = [h["name"] for a in announcements for h in a["honourees"]]
    assert len(called) == len(set(called)) == sum(
        len(d["honourees"]) for d in json.loads(DEMO_FILE.read_text(encoding="utf-8"))["decisions"])


def test_awards_next_shows_the_decision_then_the_names_then_the_next_announcement(client, auth, mc):
    announcements = client.get("/api/awards", headers=auth("mc")).get_json()["announcements"]
    assert client.get("/api/state").get_json()["award"] is None
    for announcement in announcements:
        decision = mc("awards/next")["award"]
        names = mc("awards/next")["award"]
        assert (decision["index"], decision["reveal"]) == (announcement["index"], False)
        assert (names["index"], names["reveal"]) == (announcement["index"], True)
        assert [h["name"] for h in names["honourees"]] == [h["name"] for h in announcement["honourees"]]
        assert names["form"] == announcement["form"]
    end = mc("awards/next")["award"]
    assert end["finished"] and mc("awards/next")["version"] == mc("awards/next")["version"]
    steps_back = 0
    while client.get("/api/state").get_json()["award"] is not None:
        mc("awards/previous")
        steps_back += 1
    assert steps_back == 2 * len(announcements) + 1
