"""A press carries the place it was made on (docs/API.md §6.4): two presses naming the same place
move the show once, the second is told who moved it; presses naming no place apply as before."""
from __future__ import annotations

import threading

import requests
import sqlalchemy as sa

from conference.accounts.devices import create_device
from conference.core.db import db
from conference.core.models import AgendaItem

from tests.conftest import bearer


def place(client) -> dict:
    snapshot = client.get("/api/state").get_json()
    return {"position": snapshot["current"], "step": snapshot["current_step"]}


def mc_token(app, conference_id, label: str) -> dict:
    from conference.core.models import Role
    with app.app_context():
        return bearer(create_device(conference_id, Role.MC, label)[1])


def test_two_presses_from_the_same_place_move_the_show_once(app, client, conference_id):
    first, second = mc_token(app, conference_id, "MC 1"), mc_token(app, conference_id, "MC 2")
    client.post("/api/show/goto", json={"position": 2}, headers=first)
    seen = place(client)
    applied = client.post("/api/show/next", json={"from": seen}, headers=second)
    assert applied.status_code == 200 and applied.get_json()["current"] == 3
    refused = client.post("/api/show/next", json={"from": seen}, headers=first)
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "moved_elsewhere"
    assert refused.get_json()["error"]["moved_by"] == "MC 2"
    assert place(client)["position"] == 3
    again = client.post("/api/show/next", json={"from": place(client)}, headers=first)  # on purpose
    assert again.status_code == 200 and again.get_json()["current"] == 4


def test_previous_and_goto_are_held_to_the_same_rule(app, client, auth):
    client.post("/api/show/goto", json={"position": 3}, headers=auth("mc"))
    stale = {"position": 2, "step": None}
    assert client.post("/api/show/previous", json={"from": stale}, headers=auth("mc")).status_code == 409
    answer = client.post("/api/show/goto", json={"position": 6, "from": stale}, headers=auth("mc"))
    assert answer.status_code == 409 and place(client)["position"] == 3


def test_a_press_naming_no_place_still_applies(client, auth):
    for _ in range(2):
        assert client.post("/api/show/next", headers=auth("mc")).status_code == 200
    assert client.post("/api/show/next", json={}, headers=auth("mc")).status_code == 200
    assert place(client)["position"] == 3


def test_a_malformed_place_is_refused_and_changes_nothing(client, auth):
    for bad in ("2", {"position": "2"}, {"position": True}, [2], {"position": 1, "step": 1.5}):
        answer = client.post("/api/show/next", json={"from": bad}, headers=auth("mc"))
        assert answer.status_code == 400 and answer.get_json()["error"]["code"] == "invalid_from"
    assert place(client)["position"] is None


def test_the_log_names_the_device_that_started_each_item(app, client, conference_id):
    first = mc_token(app, conference_id, "MC 1")
    client.post("/api/show/next", headers=first)
    client.post("/api/show/next", headers=mc_token(app, conference_id, "Stream Deck"))
    with app.app_context():
        started = dict(db.session.execute(sa.select(AgendaItem.position, AgendaItem.started_by)
                                          .where(AgendaItem.conference_id == conference_id)).all())
    assert started[1] == "MC 1" and started[2] == "Stream Deck" and started[3] is None
    snapshot = client.get("/api/state").get_json()
    assert snapshot["agenda"][1]["started_by"] == "Stream Deck"


def test_awards_presses_carry_the_awards_cursor(client, auth):
    client.post("/api/show/goto", json={"position": 5}, headers=auth("mc"))
    seen = {"index": None, "reveal": False}
    assert client.post("/api/awards/next", json={"from": seen}, headers=auth("mc")).status_code == 200
    refused = client.post("/api/awards/next", json={"from": seen}, headers=auth("mc"))
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "moved_elsewhere"
    award = client.get("/api/state").get_json()["award"]
    assert (award["index"], award["reveal"]) == (0, False)
    now = {"index": 0, "reveal": False}
    assert client.post("/api/awards/next", json={"from": now}, headers=auth("mc")).get_json()["award"]["reveal"]
    bad = client.post("/api/awards/previous", json={"from": {"index": "0"}}, headers=auth("mc"))
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "invalid_from"


def test_presses_at_the_same_instant_on_a_real_server_move_once(live_server):
    """Ten consoles on item 2 press at once (threads against the real server): one move."""
    mc = bearer(live_server.token("mc", "MC race"))
    requests.post(live_server.url + "/api/show/goto", json={"position": 2}, headers=mc, timeout=10)
    seen = {"position": 2, "step": None}
    barrier, codes = threading.Barrier(10), []

    def press():
        barrier.wait()
        codes.append(requests.post(live_server.url + "/api/show/next", json={"from": seen}, headers=mc,
                                   timeout=20).status_code)
    threads = [threading.Thread(target=press) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [200] + [409] * 9
    assert requests.get(live_server.url + "/api/state", timeout=10).json()["current"] == 3


def test_presses_at_the_same_instant_on_postgresql_move_once(postgres_url, tmp_path):
    """On PostgreSQL (no single writer as on SQLite) the show-state row is locked: one move."""
    from conference import create_app
    from conference.core.errors import MovedElsewhere
    from conference.show import moves as show
    from conference.core.state import default_conference_id
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": postgres_url,
                      "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 8, "max_overflow": 2}})
    with app.app_context():
        conference_id = default_conference_id()
        show.goto_item(conference_id, 2)
        db.session.remove()
    barrier, outcomes = threading.Barrier(8), []

    def press(n):
        with app.app_context():
            barrier.wait()
            try:
                show.next_item(conference_id, from_place={"position": 2, "step": None}, by=f"MC {n}")
                outcomes.append("moved")
            except MovedElsewhere:
                outcomes.append("refused")
            finally:
                db.session.remove()
    threads = [threading.Thread(target=press, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        current = db.session.scalar(sa.select(AgendaItem.position).where(
            AgendaItem.conference_id == conference_id, AgendaItem.started_at.is_not(None),
            AgendaItem.ended_at.is_(None)))
        db.session.remove()
        db.engine.dispose()
    assert sorted(outcomes) == ["moved"] + ["refused"] * 7 and current == 3
