"""Speaking requests (conference/speakers/, docs/SPEAKERS.md), with the Flask test client: a checked-in
delegate asks from /me, the MC's queue in the order asked, call / end / dismiss, the office's switch,
and bad input refused with nothing changed."""
from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from docx import Document

from conference.core.db import db, write_transaction
from conference.core.models import SpeakingRequest, SpeakingState
from conference.live import realtime
from conference.live.snapshot import build_snapshot
from conference.office import details, lifecycle
from tests.conftest import page_csrf_token
from tests.me.helpers import delegates, phone


class Phone:
    """A delegate's phone that opened its page; its forms carry the page's CSRF token."""

    def __init__(self, app, code: str):
        self.client = phone(app, code)

    def page(self) -> str:
        return self.client.get("/me").get_data(as_text=True)

    def post(self, path: str, **data):
        return self.client.post(path, data={"csrf_token": page_csrf_token(self.page()), **data})

    def ask(self, subject: str | None = None):
        return self.post("/me/speak", **({"subject": subject} if subject is not None else {}))

    def withdraw(self):
        return self.post("/me/speak/withdraw")


@pytest.fixture
def people(app, conference_id, client, auth):
    """Three delegates, checked in at the door, each with their phone: (id, name, Phone)."""
    found = delegates(app, conference_id, 3)
    for delegate_id, _, _ in found:
        assert client.post("/api/checkins", json={"delegate_id": delegate_id}, headers=auth("door")).status_code == 201
    return [(delegate_id, name, Phone(app, code)) for delegate_id, code, name in found]


def queue(client, auth) -> dict:
    answer = client.get("/api/speakers", headers=auth("mc"))
    assert answer.status_code == 200
    return answer.get_json()


def requests_kept(app) -> list[tuple[int, str]]:
    with app.app_context():
        return [(r.delegate_id, r.state.value) for r in db.session.scalars(
            sa.select(SpeakingRequest).order_by(SpeakingRequest.id))]


def mc(client, auth, request_id: int, action: str):
    return client.post(f"/api/speakers/{request_id}/{action}", headers=auth("mc"))


def test_a_checked_in_delegate_asks_and_the_mc_sees_the_queue_in_the_order_asked(app, client, auth, people):
    (first, first_name, first_phone), (second, second_name, second_phone), _ = people
    assert first_phone.ask("Về công tác an ninh").status_code == 303
    assert second_phone.ask("").status_code == 303
    seen = queue(client, auth)
    assert seen["open"] is True and seen["speaking"] is None
    assert [(p["name"], p["subject"]) for p in seen["queue"]] == [(first_name, "Về công tác an ninh"), (second_name, None)]
    assert all(p["earlier"] == [] for p in seen["queue"])
    # each phone sees its own place; the form is gone while it waits
    assert "vị trí thứ 1 " in first_phone.page() and "vị trí thứ 2 " in second_phone.page()
    assert re.search(r'id="speak-form"[^>]* hidden', second_phone.page())
    # the snapshot the screens get carries the same queue
    with app.app_context():
        assert [p["id"] for p in build_snapshot(app_conference(app))["speakers"]["queue"]] == [p["id"] for p in seen["queue"]]


def app_conference(app) -> int:
    from conference.core.state import default_conference_id
    return default_conference_id()


def test_one_waiting_request_a_delegate(app, client, auth, people):
    _, _, asking = people[0]
    assert asking.ask("Lần đầu").status_code == 303
    again = asking.ask("Lần hai")
    assert again.status_code == 409 and "đang chờ đến lượt" in again.get_data(as_text=True)
    assert len(queue(client, auth)["queue"]) == 1


def test_only_a_checked_in_delegate_may_ask(app, conference_id):
    _, code, _ = delegates(app, conference_id, 5)[4]  # never checked in (the fixture checks in three)
    refused = Phone(app, code).ask("Chưa điểm danh")
    assert refused.status_code == 403 and "điểm danh" in refused.get_data(as_text=True)
    assert requests_kept(app) == []


def test_the_delegate_withdraws_and_the_next_moves_up(app, client, auth, people):
    (first, _, first_phone), (second, _, second_phone), _ = people
    first_phone.ask()
    second_phone.ask()
    assert first_phone.withdraw().status_code == 303
    assert [p["id"] for p in queue(client, auth)["queue"]] == [requests_ids(app, second)[0]]
    assert "vị trí thứ 1 " in second_phone.page()
    assert 'id="speak-form"' in first_phone.page() and not re.search(r'id="speak-form"[^>]* hidden', first_phone.page())
    assert first_phone.withdraw().status_code == 409  # nothing waits any more
    assert (first, "withdrawn") in requests_kept(app)


def requests_ids(app, delegate_id: int) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(sa.select(SpeakingRequest.id).where(SpeakingRequest.delegate_id == delegate_id)
                                       .order_by(SpeakingRequest.id)))


def test_calling_the_next_ends_the_turn_before_it_and_turns_are_kept(app, client, auth, people):
    (first, first_name, first_phone), (second, _, second_phone), (third, _, third_phone) = people
    for asking in (first_phone, second_phone, third_phone):
        asking.ask()
    ids = [p["id"] for p in queue(client, auth)["queue"]]
    called = mc(client, auth, ids[0], "call")
    assert called.status_code == 200 and called.get_json()["speakers"]["speaking"]["name"] == first_name
    assert "Mời đồng chí lên phát biểu." in first_phone.page()
    assert mc(client, auth, ids[1], "call").status_code == 200  # the first's turn ends now
    with app.app_context():
        turns = {r.id: r for r in db.session.scalars(sa.select(SpeakingRequest))}
        assert turns[ids[0]].state == SpeakingState.DONE and turns[ids[0]].ended_at == turns[ids[1]].started_at
        assert turns[ids[1]].state == SpeakingState.SPEAKING and turns[ids[1]].ended_at is None
    assert mc(client, auth, ids[1], "end").status_code == 200
    assert queue(client, auth)["speaking"] is None
    assert mc(client, auth, ids[2], "dismiss").status_code == 200
    assert queue(client, auth)["queue"] == []
    # the first asks again: the MC sees their earlier turn today
    assert first_phone.ask("Bổ sung").status_code == 303
    again = queue(client, auth)["queue"][0]
    assert again["name"] == first_name and len(again["earlier"]) == 1 and again["earlier"][0]["ended_at"]
    # what has moved on cannot be called, ended or dismissed again
    assert mc(client, auth, ids[0], "call").status_code == 409
    assert mc(client, auth, ids[0], "end").status_code == 409
    assert mc(client, auth, ids[2], "dismiss").status_code == 409


def test_the_office_turns_requests_off_and_on(app, client, auth, admin_client, people):
    _, _, asking = people[0]
    off = admin_client.post("/admin/speakers/requests", data={"open": "0", "csrf_token": admin_client.csrf_token})
    assert off.status_code == 303
    assert "Bật đăng ký phát biểu" in admin_client.get("/admin/documents").get_data(as_text=True)
    page = asking.page()
    assert re.search(r'id="speak-form"[^>]* hidden', page) and not re.search(r'id="speak-closed"[^>]* hidden', page)
    refused = asking.ask("Khi đã tắt")
    assert refused.status_code == 403 and "Hiện chưa nhận đăng ký phát biểu." in refused.get_data(as_text=True)
    assert requests_kept(app) == [] and queue(client, auth)["open"] is False
    assert admin_client.post("/admin/speakers/requests", data={"open": "maybe", "csrf_token": admin_client.csrf_token}
                             ).status_code == 400
    on = admin_client.post("/admin/speakers/requests", data={"open": "1", "csrf_token": admin_client.csrf_token})
    assert on.status_code == 303 and asking.ask().status_code == 303


def test_the_phones_get_request_ids_only(app, conference_id, people):
    _, name, asking = people[0]
    asking.ask("Riêng tư")
    with app.app_context():
        view = realtime.programme(conference_id, build_snapshot(conference_id))
    assert view["speakers"]["open"] is True and view["speakers"]["queue"] == requests_ids(app, people[0][0])
    assert name not in str(view["speakers"]) and "Riêng tư" not in str(view)


def test_a_request_of_another_conference_is_unknown_and_unchanged(app, client, auth):
    with app.app_context():
        other = lifecycle.create_conference("Hội nghị khác", template="tong-ket-nam")
        stranger = details.create_delegate(other, "Người Hội Khác")
        with write_transaction() as session:
            request = SpeakingRequest(conference_id=other, delegate_id=stranger.id, state=SpeakingState.WAITING)
            session.add(request)
        request_id, stranger_id = request.id, stranger.id
    for action in ("call", "end", "dismiss"):
        answer = mc(client, auth, request_id, action)
        assert answer.status_code == 404 and answer.get_json()["error"]["code"] == "unknown_request"
    assert mc(client, auth, 2**31, "call").status_code == 404
    assert requests_kept(app) == [(stranger_id, "waiting")]


def test_a_released_phone_asks_nothing(app, conference_id, admin_client, people):
    delegate_id, _, asking = people[0]
    token = page_csrf_token(asking.page())
    released = admin_client.post(f"/admin/delegates/{delegate_id}/release-phone",
                                 data={"csrf_token": admin_client.csrf_token})
    assert released.status_code == 303
    answer = asking.client.post("/me/speak", data={"csrf_token": token, "subject": "Sau khi bị giải phóng"})
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/me")
    assert asking.client.post("/me/speak/withdraw", data={"csrf_token": token}).status_code == 303
    assert requests_kept(app) == []


def test_a_subject_too_long_is_refused_and_markup_stays_text(app, client, auth, admin_client, people):
    (_, _, asking), (_, _, other), _ = people
    refused = asking.ask("x" * 201)
    assert refused.status_code == 400 and "200" in refused.get_data(as_text=True)
    assert requests_kept(app) == []
    markup = '<img src=x onerror="alert(1)">'
    assert other.ask(markup).status_code == 303
    page = other.page()
    assert markup not in page and "&lt;img src=x" in page
    assert queue(client, auth)["queue"][0]["subject"] == markup  # JSON: the console sets it as text


def test_a_form_without_the_pages_token_is_refused(app, people):
    _, _, asking = people[0]
    assert asking.client.post("/me/speak", data={"subject": "Không có mã"}).status_code == 400
    assert requests_kept(app) == []


def test_the_minutes_list_the_turns_in_order_in_the_proceedings(app, client, auth, admin_client, people):
    from conference.show import moves
    with app.app_context():
        moves.next_item(app_conference(app))  # the show is on item 1
    (_, first_name, first_phone), (_, second_name, second_phone), _ = people
    first_phone.ask("Về <công tác> an ninh")
    second_phone.ask()
    ids = [p["id"] for p in queue(client, auth)["queue"]]
    mc(client, auth, ids[0], "call")
    mc(client, auth, ids[1], "call")
    mc(client, auth, ids[1], "end")
    answer = admin_client.get("/admin/exports/minutes.docx")
    assert answer.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(answer.data)).paragraphs)
    assert "Diễn biến hội nghị" in text
    first_at, second_at = text.index(first_name), text.index(second_name)
    assert first_at < second_at
    assert "phát biểu: “Về <công tác> an ninh”." in text
    assert re.search(r"- \d\d:\d\d - \d\d:\d\d: .*" + re.escape(second_name), text)


def test_resetting_the_day_after_a_rehearsal_empties_the_queue_and_the_turns(app, conference_id, client, auth, people):
    from conference.office.lifecycle import reset_day
    (_, _, first_phone), (_, _, second_phone), _ = people
    first_phone.ask("Thử")
    second_phone.ask()
    mc(client, auth, queue(client, auth)["queue"][0]["id"], "call")
    with app.app_context():
        assert reset_day(conference_id, force=True)["speakers"] == 2
    assert requests_kept(app) == []
    assert queue(client, auth) == {"open": True, "speaking": None, "queue": []}
