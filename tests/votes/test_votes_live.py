"""Votes against a real server: 200 checked-in delegates vote at once from 200 phone sessions, each
sending its ballot twice at the same moment, and each is counted once; the server is killed (-9)
and started again half-way, and no ballot is lost."""
from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import sqlalchemy as sa

from tests.conftest import LiveServer, _close, lanes

pytestmark = [pytest.mark.slow]

VOTERS = 200


@pytest.fixture
@lanes("slow")
def server(tmp_path):
    live = LiveServer(tmp_path / "instance", env={"CONFERENCE_ME_LIMIT_PER_ADDRESS": "100000 per minute"}).start()
    yield live
    live.stop()


def checked_in_codes(server) -> list[str]:
    """The badge codes of VOTERS delegates, each checked in (the demo's and more, made on the server's database)."""
    from conference import create_app
    from conference.checkin.checkins import check_in
    from conference.core.db import db
    from conference.core.models import Delegate
    from conference.core.state import default_conference_id
    from conference.office.details import create_delegate
    app = create_app({"INSTANCE_PATH": str(server.instance), "PREPARE_DATABASE": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{server.instance / 'conference.db'}",
                      "REDIS_URL": None, "RATELIMIT_STORAGE_URI": "memory://"})
    with app.app_context():
        conference_id = default_conference_id()
        have = db.session.scalar(sa.select(sa.func.count(Delegate.id)).where(Delegate.conference_id == conference_id))
        for n in range(VOTERS - have):
            create_delegate(conference_id, f"Đại Biểu Thêm {n + 1}")
        rows = db.session.execute(sa.select(Delegate.id, Delegate.badge_code)
                                  .where(Delegate.conference_id == conference_id).order_by(Delegate.id)).all()
        for delegate_id, _ in rows[:VOTERS]:
            check_in(conference_id, delegate_id=delegate_id)
    _close(app)
    return [code for _, code in rows[:VOTERS]]


def open_phone(url: str, code: str) -> requests.Session:
    phone = requests.Session()
    assert phone.get(f"{url}/me/{code}", timeout=30).status_code == 200  # followed to /me
    phone.headers["X-CSRFToken"] = re.search(r'name="csrf-token" content="([^"]+)"',
                                             phone.get(f"{url}/me", timeout=30).text).group(1)
    return phone


def test_200_phones_at_once_each_counted_once_and_a_restart_loses_none(server):
    codes = checked_in_codes(server)
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
