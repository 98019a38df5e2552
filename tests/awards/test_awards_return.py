"""After the awards: coming back to the awards item after its end shows the last batch again, so
Next does not skip straight to the next item."""
from __future__ import annotations

from conference import awards


def award(client) -> dict | None:
    return client.get("/api/state").get_json()["award"]


def test_coming_back_to_the_awards_after_their_end_shows_the_last_batch(app, client, auth, conference_id):
    with app.app_context():
        total = len(awards.calling_order(conference_id))
    client.post("/api/show/goto", json={"position": 5}, headers=auth("mc"))
    while not (award(client) or {}).get("finished"):
        client.post("/api/awards/next", headers=auth("mc"))
    client.post("/api/show/next", headers=auth("mc"))
    assert client.get("/api/state").get_json()["current"] == 6

    back = client.post("/api/show/previous", headers=auth("mc")).get_json()
    assert back["current"] == 5
    assert (back["award"]["index"], back["award"]["reveal"], back["award"]["finished"]) == (total - 1, True, False)
    ended = client.post("/api/awards/next", headers=auth("mc")).get_json()["award"]
    assert ended["finished"] is True  # Next ends the awards again, then leaves the item
    assert client.post("/api/show/next", headers=auth("mc")).get_json()["current"] == 6


def test_a_goto_back_onto_the_awards_does_the_same_and_moving_within_it_does_not(client, auth):
    client.post("/api/show/goto", json={"position": 5}, headers=auth("mc"))
    while not (award(client) or {}).get("finished"):
        client.post("/api/awards/next", headers=auth("mc"))
    client.post("/api/show/goto", json={"position": 8}, headers=auth("mc"))
    assert client.post("/api/show/goto", json={"position": 5}, headers=auth("mc")).get_json()["award"]["reveal"]
    client.post("/api/show/goto", json={"position": 6}, headers=auth("mc"))
    client.post("/api/show/goto", json={"position": 4}, headers=auth("mc"))  # back past it: not onto it
    assert award(client)["finished"] is False  # left as it was reopened, not reset


def test_the_awards_not_yet_run_are_left_alone(client, auth):
    client.post("/api/show/goto", json={"position": 6}, headers=auth("mc"))
    assert client.post("/api/show/previous", headers=auth("mc")).get_json()["award"] is None
