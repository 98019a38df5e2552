"""The delegate's page (/me) by the Flask test client: a badge code opens it on one phone and no
other until the office releases it; an unknown code is refused with no hint; the page shows this
delegate and no other's code; the phone's socket receives the delegate-safe view only; the pages
are rate-limited per address; the door reads the phone QR as the badge."""
from __future__ import annotations

import io

import sqlalchemy as sa

from conference.core.db import db
from conference.core.extensions import socketio
from conference.core.models import Delegate, DelegatePhone
from conference.seating.hall import seat_map
from tests.me.helpers import delegates, honoured_delegate, phone


def phones_kept(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(DelegatePhone))


def test_a_badge_code_opens_the_page_on_this_phone_and_the_page_never_shows_a_code(app, conference_id):
    (_, code, name), (_, other_code, other_name) = delegates(app, conference_id)
    client = phone(app, code.lower())  # as a phone camera or a person may type it
    page = client.get("/me").get_data(as_text=True)
    assert name in page and other_name not in page
    assert code not in page and other_code not in page
    assert client.get(f"/me/{code}").status_code == 303  # this phone again: let in, nothing new kept
    assert phones_kept(app) == 1


def test_a_second_phone_is_refused_until_the_office_releases_the_first(app, conference_id, admin_client):
    (delegate_id, code, name), _ = delegates(app, conference_id)
    first = phone(app, code)
    live = socketio.test_client(app, flask_test_client=first, auth={"delegate": True})
    second = app.test_client()
    refused = second.get(f"/me/{code}")
    assert refused.status_code == 409 and "đang mở trên một điện thoại khác" in refused.get_data(as_text=True)
    assert phones_kept(app) == 1
    office_page = admin_client.get(f"/admin/delegates/{delegate_id}").get_data(as_text=True)
    assert "Giải phóng điện thoại" in office_page
    released = admin_client.post(f"/admin/delegates/{delegate_id}/release-phone",
                                 data={"csrf_token": admin_client.csrf_token})
    assert released.status_code == 303
    assert not live.is_connected()  # the released phone's live connection is closed at once
    assert second.get(f"/me/{code}").status_code == 303
    assert name in second.get("/me").get_data(as_text=True)
    assert "Mã thẻ" in first.get("/me").get_data(as_text=True)  # the released phone is back at the code form
    again = admin_client.post(f"/admin/delegates/{delegate_id}/release-phone",
                              data={"csrf_token": admin_client.csrf_token})
    assert again.status_code == 303  # the second phone's hold is released in turn


def test_an_unknown_code_is_refused_with_the_same_words_as_a_near_one_and_nothing_is_kept(app, conference_id):
    (_, code, _), _ = delegates(app, conference_id)
    near = code[:-1] + ("0" if code[-1] != "0" else "1")
    answers = [app.test_client().get(f"/me/{typed}") for typed in (near, "AAAAAAAAAAAAAAAAA", "x", "%3Cscript%3E")]
    assert {answer.status_code for answer in answers} == {404}
    texts = {answer.get_data(as_text=True).split('id="code-error">')[1].split("<")[0] for answer in answers}
    assert texts == {"Không có thẻ đại biểu nào với mã này. Hãy xem lại mã in dưới mã QR trên thẻ."}
    assert phones_kept(app) == 0
    typed = app.test_client()
    token = typed.get("/me").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    assert typed.post("/me", data={"code": code, "csrf_token": token}).status_code == 303


def test_a_revoked_badge_opens_no_page(app, conference_id, auth, client):
    (delegate_id, code, _), _ = delegates(app, conference_id)
    assert client.post(f"/api/delegates/{delegate_id}/reissue", headers=auth("admin")).status_code == 200
    assert app.test_client().get(f"/me/{code}").status_code == 404
    assert phones_kept(app) == 0


def test_the_phone_s_socket_gets_the_delegate_safe_view_and_follows_the_mc(app, conference_id, auth, client):
    (_, code, _), (_, other_code, _) = delegates(app, conference_id)
    device = phone(app, code)
    socket = socketio.test_client(app, flask_test_client=device, auth={"delegate": True})
    assert socket.is_connected()
    first = socket.get_received()
    assert [event["name"] for event in first] == ["programme"]  # never the screens' "state"
    assert client.post("/api/show/goto", json={"position": 2}, headers=auth("mc")).status_code == 200
    moved = [event["args"][0] for event in socket.get_received() if event["name"] == "programme"]
    assert moved and moved[-1]["current"]["position"] == 2
    view = str(moved[-1])
    assert "attendance" not in view and "delegate_id" not in view and "script" not in view
    assert code not in view and other_code not in view
    socket.disconnect()


def test_the_phone_is_told_the_page_of_the_slides_the_hall_sees_and_nothing_of_the_deck(
        app, conference_id, auth, client, admin_client):
    from tests.show.stage_decks import deck
    attached = admin_client.post("/admin/stage/decks", content_type="multipart/form-data", data={
        "csrf_token": admin_client.csrf_token, "place": "2", "file": (io.BytesIO(deck(3)), "bao-cao.pdf")})
    assert attached.status_code == 303
    (_, code, _), = delegates(app, conference_id, count=1)
    socket = socketio.test_client(app, flask_test_client=phone(app, code), auth={"delegate": True})
    mc = auth("mc")

    def last_view(path: str, body: dict) -> dict:
        socket.get_received()
        assert client.post(path, json=body, headers=mc).status_code == 200, path
        return [event["args"][0] for event in socket.get_received() if event["name"] == "programme"][-1]
    assert last_view("/api/show/goto", {"position": 1})["slide"] is None  # item 1 has no deck
    assert last_view("/api/show/goto", {"position": 2})["slide"] == {"page": 1, "pages": 3}
    assert last_view("/api/stage/slide/next", {"from": 1})["slide"] == {"page": 2, "pages": 3}
    assert last_view("/api/stage/slides", {"shown": False})["slide"] is None  # the agenda screen
    assert last_view("/api/stage/slides", {"shown": True})["slide"] == {"page": 2, "pages": 3}
    assert last_view("/api/show/screen", {"screen": "blackout"})["slide"] is None  # the hall sees black
    socket.disconnect()


def test_a_socket_asking_for_a_delegate_s_view_without_a_phone_is_refused(app):
    socket = socketio.test_client(app, flask_test_client=app.test_client(), auth={"delegate": True})
    assert not socket.is_connected()


def test_the_batch_called_is_marked_for_the_delegate_who_receives_in_it(app, auth, client):
    delegate_id, code, honouree_id = honoured_delegate(app)
    device = phone(app, code)
    page = device.get("/me").get_data(as_text=True)
    assert f"data-mine='[{honouree_id}" in page or f", {honouree_id}" in page
    socket = socketio.test_client(app, flask_test_client=device, auth={"delegate": True})
    awards = next(item for item in client.get("/api/state").get_json()["agenda"] if item["kind"] == "awards")
    client.post("/api/show/goto", json={"position": awards["position"]}, headers=auth("mc"))
    called = set()
    for _ in range(40):  # through the batches until this delegate's honour is called
        if client.post("/api/awards/next", json={}, headers=auth("mc")).status_code != 200:
            break
        views = [e["args"][0] for e in socket.get_received() if e["name"] == "programme"]
        award = views[-1]["award"] if views else None
        called |= {h["id"] for h in award["honourees"]} if award else set()
        if honouree_id in called:
            break
    assert honouree_id in called
    socket.disconnect()


def test_the_me_pages_are_rate_limited_per_address(app, conference_id):
    app.config["ME_LIMIT_PER_ADDRESS"] = "3 per minute"
    guessing, other = app.test_client(), app.test_client()
    answers = [guessing.get(f"/me/{'A' * 16}{n}", environ_base={"REMOTE_ADDR": "10.9.9.9"}) for n in range(4)]
    assert [answer.status_code for answer in answers] == [404, 404, 404, 429]
    assert other.get("/me", environ_base={"REMOTE_ADDR": "10.9.9.10"}).status_code == 200


def test_the_door_checks_a_delegate_in_by_the_phone_qr_of_the_badge(app, conference_id, auth, client):
    (delegate_id, code, _), _ = delegates(app, conference_id)
    scanned = f"http://192.168.1.10:5000/me/{code}"
    answer = client.post("/api/checkins", json={"code": scanned, "nonce": "phone-qr"}, headers=auth("door"))
    assert answer.status_code == 201 and answer.get_json()["result"] == "checked_in"
    assert answer.get_json()["delegate"]["id"] == delegate_id


def test_the_door_releases_a_delegate_s_phone_and_says_when_there_is_none(app, conference_id, auth, client):
    (delegate_id, code, name), _ = delegates(app, conference_id)
    phone(app, code)
    released = client.post(f"/api/delegates/{delegate_id}/phone/release", headers=auth("door"))
    assert released.status_code == 200 and released.get_json()["delegate"]["full_name"] == name
    none = client.post(f"/api/delegates/{delegate_id}/phone/release", headers=auth("door"))
    assert none.status_code == 404 and none.get_json()["error"]["code"] == "no_phone"
    assert client.post(f"/api/delegates/{delegate_id}/phone/release", headers=auth("mc")).status_code == 403
    assert phone(app, code)  # a new phone opens the page


def test_the_reset_after_a_rehearsal_lets_every_phone_go(app, conference_id):
    from conference.office.lifecycle import reset_day
    (_, code, _), _ = delegates(app, conference_id)
    rehearsal = phone(app, code)
    with app.app_context():
        assert reset_day(conference_id, force=True)["phones"] == 1
    assert "Mã thẻ" in rehearsal.get("/me").get_data(as_text=True)
    assert phone(app, code)  # the delegate's own phone, on the day


def test_a_change_published_by_nobody_reaches_the_phones_within_two_watch_rounds(app, conference_id):
    """A change made outside this process (the command line) is caught up by the watch, for the
    phones as for the screens (live/realtime.py resync_local_screens)."""
    from conference.core.models import ShowState
    from conference.live import realtime
    (_, code, _), _ = delegates(app, conference_id)
    socket = socketio.test_client(app, flask_test_client=phone(app, code), auth={"delegate": True})
    socket.get_received()
    with app.app_context():
        db.session.execute(sa.update(ShowState).where(ShowState.conference_id == conference_id)
                           .values(version=ShowState.version + 5))
        db.session.commit()
        version = db.session.scalar(sa.select(ShowState.version).where(ShowState.conference_id == conference_id))
        realtime.resync_local_screens()  # the first round notes the version; the second sends it
        realtime.resync_local_screens()
    views = [event["args"][0] for event in socket.get_received() if event["name"] == "programme"]
    assert views and views[-1]["version"] == version
    socket.disconnect()


def test_the_page_shows_the_seat_and_a_map_of_the_hall_with_that_seat_marked_and_no_one_s_name(app, conference_id):
    """The demo's delegates are seated in its hall: the page says the seat as an usher reads it and
    draws the stage and the blocks, the delegate's own row seat by seat, theirs marked, no names."""
    with app.app_context():
        seated = db.session.execute(sa.select(Delegate.full_name, Delegate.badge_code, Delegate.seat)
                                    .where(Delegate.conference_id == conference_id, Delegate.seat.like("B%-%"))
                                    .order_by(Delegate.id)).first()
        others = list(db.session.scalars(sa.select(Delegate.full_name).where(Delegate.conference_id == conference_id,
                                                                             Delegate.badge_code != seated.badge_code)))
    block_row, number = seated.seat.split("-")
    page = phone(app, seated.badge_code).get("/me").get_data(as_text=True)
    assert f"Khu B · Hàng {int(block_row[1:])} · Ghế {int(number)}" in page
    mine_row = page.split('class="me-map-row mine">', 1)[1].split("</div>", 1)[0]
    assert mine_row.count("<i") >= int(number) and mine_row.count('class="mine"') == 1
    assert mine_row.split("<i")[int(number)].startswith(' class="mine"')  # the n-th seat of the row
    assert page.count('class="mine"') == 1 and not any(name in page for name in others)


def test_a_seat_on_the_stage_is_marked_on_the_stage_and_a_seat_the_hall_lacks_draws_no_map(app, conference_id):
    with app.app_context():
        on_stage = db.session.execute(sa.select(Delegate.badge_code, Delegate.seat).where(
            Delegate.conference_id == conference_id, Delegate.seat == "CT2")).one()
    page = phone(app, on_stage.badge_code).get("/me").get_data(as_text=True)
    assert "Đoàn chủ tịch 2" in page
    stage = page.split('class="me-map-stage">', 1)[1].split("</div>", 1)[0]
    assert stage.split("<i")[2].startswith(' class="mine"') and page.count('class="mine"') == 1
    with app.app_context():
        assert seat_map(conference_id, "Z9-99") is None and seat_map(conference_id, "ghế gần cửa") is None
