"""Votes against a real server: 200 checked-in delegates vote at once from 200 phone sessions, each
sending its ballot twice at the same moment, and each is counted once; the server is killed (-9)
and started again half-way, and no ballot is lost."""
from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.conftest import LiveServer, lanes
from tests.votes.helpers import checked_in_on_server

pytestmark = [pytest.mark.slow]

VOTERS = 200


@pytest.fixture
@lanes("slow")
def server(tmp_path):
    live = LiveServer(tmp_path / "instance", env={"CONFERENCE_ME_LIMIT_PER_ADDRESS": "100000 per minute"}).start()
    yield live
    live.stop()


def open_phone(url: str, code: str) -> requests.Session:
    phone = requests.Session()
    assert phone.get(f"{url}/me/{code}", timeout=30).status_code == 200  # followed to /me
    phone.headers["X-CSRFToken"] = re.search(r'name="csrf-token" content="([^"]+)"',
                                             phone.get(f"{url}/me", timeout=30).text).group(1)
    return phone


def test_200_phones_at_once_each_counted_once_and_a_restart_loses_none(server):
    codes = checked_in_on_server(server, VOTERS)
    mc = {"Authorization": f"Bearer {server.token('mc')}"}
    vote = requests.post(server.url + "/api/votes", json={"question": "Thông qua", "method": "phones"},
                         headers=mc, timeout=30).json()
    with ThreadPoolExecutor(32) as pool:
        phones = list(pool.map(lambda code: open_phone(server.url, code), codes))

    def cast(index: int) -> int:
        return phones[index].post(server.url + "/me/ballot", json={"vote": vote["id"], "choices": [index % 3 + 1]},
                                  timeout=60).status_code

    half = VOTERS // 2
    with ThreadPoolExecutor(32) as pool:  # every phone twice at once: one ballot kept, the other refused
        first = list(pool.map(cast, [i for i in range(half) for _ in (0, 1)]))
    assert sorted(first) == [201] * half + [409] * half
    server.restart()  # kill -9 while the vote is open
    watched = requests.get(f"{server.url}/api/votes/{vote['id']}", headers=mc, timeout=30).json()
    assert (watched["state"], watched["cast"], watched["present"]) == ("open", half, VOTERS)
    with ThreadPoolExecutor(32) as pool:
        second = list(pool.map(cast, [i for i in range(VOTERS) for _ in (0, 1) if i >= half or _ == 0]))
    assert sorted(second) == [201] * half + [409] * (half * 2)  # the first half again: already counted
    closed = requests.post(f"{server.url}/api/votes/{vote['id']}/close", headers=mc, timeout=30).json()
    expected = [sum(1 for i in range(VOTERS) if i % 3 == choice) for choice in range(3)]
    assert [closed["counts"][label] for label in closed["choices"]] == expected and closed["cast"] == VOTERS == closed["present"]
