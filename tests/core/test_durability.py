"""Nothing is lost: a check-in the door was told succeeded survives kill -9 of the server, and the
run-of-show resumes on the same item with the same start time."""
from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests

from tests.conftest import bearer


def delegates(server, headers) -> list[dict]:
    return requests.get(server.url + "/api/delegates", headers=headers, timeout=10).json()["delegates"]


def go_to_item(server, headers, position: int) -> dict:
    snapshot = requests.post(server.url + "/api/show/goto", json={"position": position}, headers=headers,
                             timeout=10).json()
    assert snapshot["current"] == position
    return snapshot["agenda"][position - 1]


def scan(server, headers, code: str, nonce: str):
    """The answer to one scan, or None when the server did not answer (it was killed)."""
    try:
        response = requests.post(server.url + "/api/checkins", json={"code": code, "nonce": nonce},
                                 headers=headers, timeout=10)
    except requests.RequestException:
        return None
    return response


def test_acknowledged_check_ins_survive_kill_9_in_the_middle_of_a_burst(live_server):
    door, mc = bearer(live_server.token("door")), bearer(live_server.token("mc"))
    item = go_to_item(live_server, mc, 3)
    everyone = delegates(live_server, door)
    nonces = {d["badge_code"]: str(uuid.uuid4()) for d in everyone}
    acknowledged: set[str] = set()
    unexpected: list[str] = []
    enough = threading.Event()
    lock = threading.Lock()

    def door_worker(codes: list[str]) -> None:
        for code in codes:
            response = scan(live_server, door, code, nonces[code])
            if response is None:
                return
            with lock:
                if response.status_code != 201:
                    unexpected.append(response.text)
                    return
                acknowledged.add(code)
                if len(acknowledged) >= 20:
                    enough.set()

    codes = list(nonces)
    threads = [threading.Thread(target=door_worker, args=(codes[n::4],)) for n in range(4)]
    for thread in threads:
        thread.start()
    assert enough.wait(30)
    live_server.kill()  # mid-burst: some scans are in flight, some never sent
    for thread in threads:
        thread.join(30)
    assert unexpected == [] and 20 <= len(acknowledged) < len(codes)

    live_server.start()
    after = {d["badge_code"]: d for d in delegates(live_server, door)}
    assert all(after[code]["checked_in_at"] for code in acknowledged)
    state = requests.get(live_server.url + "/api/state", timeout=10).json()
    assert state["current"] == 3 and state["agenda"][2]["started_at"] == item["started_at"]
    assert state["attendance"]["present"] >= len(acknowledged)

    # Every door retries what it was not told, with the same nonce: each delegate counts once.
    for code in codes:
        response = scan(live_server, door, code, nonces[code])
        assert response.status_code in (200, 201)
        if code in acknowledged:
            assert response.status_code == 201 and response.json()["result"] == "checked_in"
    state = requests.get(live_server.url + "/api/state", timeout=10).json()
    assert state["attendance"]["present"] == len(codes)


def test_a_finished_burst_and_the_current_item_survive_kill_9_and_restart(live_server):
    door, mc = bearer(live_server.token("door")), bearer(live_server.token("mc"))
    for _ in range(5):  # item 4 has speakers: land on a sub-step to check it is kept too
        requests.post(live_server.url + "/api/show/next", headers=mc, timeout=10).raise_for_status()
    before = requests.get(live_server.url + "/api/state", timeout=10).json()
    codes = [d["badge_code"] for d in delegates(live_server, door)][:30]
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda c: scan(live_server, door, c, str(uuid.uuid4())), codes))
    assert [a.status_code for a in answers] == [201] * len(codes)

    live_server.kill()
    live_server.start()
    after = requests.get(live_server.url + "/api/state", timeout=10).json()
    assert after["attendance"]["present"] == len(codes)
    assert (after["current"], after["current_step"]) == (before["current"], before["current_step"])
    assert [i["started_at"] for i in after["agenda"]] == [i["started_at"] for i in before["agenda"]]
    assert after["version"] >= before["version"] + len(codes)
    present = {d["badge_code"] for d in delegates(live_server, door) if d["checked_in_at"]}
    assert present == set(codes)


def test_sqlite_runs_in_wal_mode_with_full_sync_so_a_commit_is_on_disk(app):
    from conference.core.db import db
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
