"""Offline at the door: with the server down (kill -9), a scan still shows the name at once, waits
on the tablet (through a page reload), and is delivered exactly once when the server is back,
recorded at the time it was made, even by a tablet whose clock is wrong."""
from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from conference.core.config import load_settings
from conference.core.models import CheckIn, Scan
from tests.checkin.test_door_browser import delegate_named, expect_result, open_door, wedge

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def server_rows(server, delegate_ids: list[int]) -> tuple[dict[int, int], list[tuple]]:
    """(check-in rows per delegate, scan log rows (delegate, nonce, outcome)) in the server's database."""
    engine = sa.create_engine(load_settings(server.instance)["SQLALCHEMY_DATABASE_URI"])
    try:
        with engine.connect() as connection:
            ids = sa.bindparam("ids", expanding=True)
            checkins = dict(connection.execute(sa.text(
                "SELECT delegate_id, count(*) FROM checkin WHERE delegate_id IN :ids GROUP BY delegate_id")
                .bindparams(ids), {"ids": delegate_ids}).all())
            scans = connection.execute(sa.text(
                "SELECT delegate_id, nonce, outcome FROM scan WHERE delegate_id IN :ids ORDER BY id")
                .bindparams(ids), {"ids": delegate_ids}).all()
    finally:
        engine.dispose()
    return checkins, [tuple(row) for row in scans]


def test_scans_while_the_server_is_down_wait_on_the_tablet_and_count_once_when_it_returns(page, live_server):
    from playwright.sync_api import expect
    answers: list[tuple[str, int]] = []  # (nonce, status) of every answer the page got

    def on_response(response):
        request = response.request
        if request.method == "POST" and request.url.endswith("/api/checkins"):
            answers.append((json.loads(request.post_data)["nonce"], response.status))
    page.on("response", on_response)

    token = open_door(page, live_server, "Cửa 1")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")  # the page can reopen offline
    first = delegate_named(live_server, token, "Dương Thị Thanh Hương")
    second = delegate_named(live_server, token, "Ngô Minh Tuấn")

    live_server.kill()
    expect(page.locator("#connection")).to_have_attribute("data-state", "offline")
    wedge(page, first["badge_code"])
    expect_result(page, "ok", first["full_name"])
    assert page.locator("#result").get_attribute("data-pending") == "true"
    expect(page.locator("#result-meta")).to_have_text(f"{first['group']} · Ghế {first['seat']}")
    wedge(page, second["badge_code"])
    expect_result(page, "ok", second["full_name"])
    wedge(page, first["badge_code"])  # the same badge again, still offline: amber, not a second entry
    expect_result(page, "warn", first["full_name"])
    expect(page.locator("#result-kicker")).to_contain_text("chờ gửi")
    expect(page.locator("#outbox-count")).to_have_text("3")

    page.reload()  # the service worker reopens the page; the outbox is still there
    page.wait_for_function("() => window.door && window.door.outbox.size === 3")
    expect(page.locator("#outbox-count")).to_have_text("3")
    expect(page.locator("#recent .recent-pending")).to_have_count(3)
    page.fill("#search", "duong thi thanh huong")  # search works offline, with the waiting status
    expect(page.locator("#results li .person-status")).to_have_text(["Chờ gửi"])
    assert answers == []

    live_server.start()
    expect(page.locator("#outbox-count")).to_have_text("0", timeout=20000)
    expect(page.locator("#connection")).to_have_attribute("data-state", "online")
    expect(page.locator("#results li .person-status")).to_contain_text(["Có mặt"])

    checkins, scans = server_rows(live_server, [first["id"], second["id"]])
    assert checkins == {first["id"]: 1, second["id"]: 1}
    outcomes = sorted((delegate, outcome) for delegate, _, outcome in scans)
    assert outcomes == sorted([(first["id"], "checked_in"), (first["id"], "already_checked_in"),
                               (second["id"], "checked_in")])
    nonces = [nonce for _, nonce, _ in scans]
    assert len(set(nonces)) == 3
    delivered = [nonce for nonce, status in answers if status in (200, 201)]
    assert sorted(delivered) == sorted(nonces)  # each scan answered once, none sent again after


def test_offline_undo_takes_back_a_waiting_scan_but_never_a_delivered_one(page, live_server):
    from playwright.sync_api import expect
    token = open_door(page, live_server, "Cửa 2")
    waiting = delegate_named(live_server, token, "Hồ Văn Sáu")
    delivered = delegate_named(live_server, token, "Lý Văn Đức")
    wedge(page, delivered["badge_code"])
    expect_result(page, "ok", delivered["full_name"])
    live_server.kill()
    expect(page.locator("#connection")).to_have_attribute("data-state", "offline")
    wedge(page, waiting["badge_code"])
    expect_result(page, "ok", waiting["full_name"])
    expect(page.locator("#outbox-count")).to_have_text("1")
    page.locator("#result-undo").click()  # still on the tablet: simply taken back
    expect_result(page, "info", waiting["full_name"])
    expect(page.locator("#outbox-count")).to_have_text("0")
    page.fill("#search", "ly van duc")  # on the server already: the undo needs the server
    page.locator("#results li", has_text=delivered["full_name"]).get_by_role("button", name="Hoàn tác").click()
    expect_result(page, "error", delivered["full_name"])
    expect(page.locator("#result-kicker")).to_have_text("Chưa hoàn tác được")
    live_server.start()
    expect(page.locator("#connection")).to_have_attribute("data-state", "online", timeout=20000)
    checkins, scans = server_rows(live_server, [waiting["id"], delivered["id"]])
    assert checkins == {delivered["id"]: 1}
    assert [(d, outcome) for d, _, outcome in scans] == [(delivered["id"], "checked_in")]


def test_a_scan_whose_answer_was_lost_and_whose_check_in_was_undone_meanwhile_leaves_the_outbox_as_undone(
        page, live_server):
    """The server checked the delegate in but the answer never reached the tablet; another door
    undid the check-in; the outbox sends the scan again: it is told "undone", not "checked in",
    and the scan leaves the outbox (it is not sent for ever)."""
    import requests
    from playwright.sync_api import expect
    from tests.conftest import bearer
    token = open_door(page, live_server, "Cửa 3")
    delegate = delegate_named(live_server, token, "Ngô Minh Tuấn")
    sent: list[int] = []

    def lose_the_first_answer(route):
        sent.append(len(sent))
        if len(sent) > 1:
            return route.continue_()
        route.fetch()  # the server checks the delegate in; the answer is lost on the way back
        undone = requests.delete(f"{live_server.url}/api/checkins/{delegate['id']}", headers=bearer(token), timeout=10)
        assert undone.status_code == 200  # another door undoes it meanwhile
        route.abort("connectionreset")
    page.route("**/api/checkins", lose_the_first_answer)
    wedge(page, delegate["badge_code"])
    expect(page.locator("#outbox-count")).to_have_text("0", timeout=20000)
    expect(page.locator("#recent .recent-status").first).to_have_text("Đã hoàn tác")
    page.fill("#search", "ngo minh tuan")
    expect(page.locator("#results li .person-status")).to_have_text(["Chưa đến"])
    checkins, scans = server_rows(live_server, [delegate["id"]])
    assert checkins == {} and [outcome for _, _, outcome in scans] == ["checked_in", "undone"]
    assert len(sent) == 2


def server_times(server, delegate_id: int) -> tuple[datetime | None, list[datetime]]:
    """(when the delegate was checked in, when each of their scans reached the server)."""
    engine = sa.create_engine(load_settings(server.instance)["SQLALCHEMY_DATABASE_URI"])
    try:
        with engine.connect() as connection:
            checked_in_at = connection.scalar(sa.select(CheckIn.checked_in_at)
                                              .where(CheckIn.delegate_id == delegate_id))
            arrivals = connection.scalars(sa.select(Scan.at).where(Scan.delegate_id == delegate_id)
                                          .order_by(Scan.id)).all()
    finally:
        engine.dispose()
    return checked_in_at, list(arrivals)


def sent_bodies(page) -> list[dict]:
    """The body of every check-in the page posted and got an answer to, in order."""
    bodies: list[dict] = []
    page.on("requestfinished", lambda request: bodies.append(json.loads(request.post_data))
            if request.method == "POST" and request.url.endswith("/api/checkins") else None)
    return bodies


NEAR = timedelta(seconds=2)  # a request's way from the page to the database, with room to spare


def tablet_wait(body: dict) -> timedelta:
    """How long a scan waited on the tablet, by the tablet's own clock."""
    return datetime.fromisoformat(body["sent_at"]) - datetime.fromisoformat(body["scanned_at"])


def scan_while_the_server_is_down(page, live_server, delegate: dict, offline_for: float) -> tuple[datetime, datetime]:
    """Stop the server, scan the badge, wait offline_for seconds, start the server again and
    wait for the outbox to empty. Returns the moments just before and just after the scan."""
    from playwright.sync_api import expect
    live_server.kill()
    expect(page.locator("#connection")).to_have_attribute("data-state", "offline")
    before_scan = datetime.now(timezone.utc)
    wedge(page, delegate["badge_code"])
    expect_result(page, "ok", delegate["full_name"])
    after_scan = datetime.now(timezone.utc)
    time.sleep(offline_for)
    live_server.start()
    expect(page.locator("#outbox-count")).to_have_text("0", timeout=20000)
    return before_scan, after_scan


def test_a_scan_made_offline_is_recorded_at_the_time_of_the_scan_not_of_its_delivery(page, live_server):
    offline_for = 4  # seconds between the scan and the server coming back
    bodies = sent_bodies(page)
    token = open_door(page, live_server, "Cửa 3")
    delegate = delegate_named(live_server, token, "Dương Thị Thanh Hương")
    before_scan, after_scan = scan_while_the_server_is_down(page, live_server, delegate, offline_for)

    checked_in_at, arrivals = server_times(live_server, delegate["id"])
    assert len(arrivals) == 1
    # toISOString() keeps milliseconds: the stored time may be up to 1 ms before the wedge began;
    # counted back from the server's clock, it is late by the request's way to the server.
    assert before_scan - timedelta(milliseconds=1) <= checked_in_at <= after_scan + NEAR
    assert arrivals[0] - checked_in_at >= timedelta(seconds=offline_for)  # the log keeps the arrival
    [sent] = bodies
    assert abs(datetime.fromisoformat(sent["scanned_at"]) - checked_in_at) < NEAR
    assert abs(tablet_wait(sent) - (arrivals[0] - checked_in_at)) < NEAR
    # What the door now knows and shows is the time of the scan.
    page.wait_for_function(f"() => window.door.roster.presence.has({delegate['id']})")
    known = page.evaluate(f"window.door.roster.presence.get({delegate['id']}).at")
    assert datetime.fromisoformat(known) == checked_in_at


def test_a_kept_scan_without_a_time_or_with_one_refused_is_still_delivered_at_arrival(page, live_server):
    from playwright.sync_api import expect
    bodies = sent_bodies(page)
    token = open_door(page, live_server, "Cửa 4")
    older = delegate_named(live_server, token, "Ngô Minh Tuấn")   # kept by an older page: no time
    skewed = delegate_named(live_server, token, "Hồ Văn Sáu")     # a scan kept two days: over a day
    live_server.kill()
    expect(page.locator("#connection")).to_have_attribute("data-state", "offline")
    two_days_ago = (datetime.now(timezone.utc) - timedelta(days=2)).isoformat().replace("+00:00", "Z")
    page.evaluate("""([older, skewed, when]) => Promise.all([
        window.door.outbox.add({nonce: "older-page-1", code: older, source: "wedge"}),
        window.door.outbox.add({nonce: "skewed-1", code: skewed, source: "wedge", scanned_at: when})])""",
                  [older["badge_code"], skewed["badge_code"], two_days_ago])
    expect(page.locator("#outbox-count")).to_have_text("2")
    started = datetime.now(timezone.utc)
    live_server.start()
    expect(page.locator("#outbox-count")).to_have_text("0", timeout=20000)

    for delegate in (older, skewed):
        checked_in_at, arrivals = server_times(live_server, delegate["id"])
        assert len(arrivals) == 1 and started <= checked_in_at <= datetime.now(timezone.utc)
    assert [(b["nonce"], "scanned_at" in b, "sent_at" in b) for b in bodies] == [
        ("older-page-1", False, False), ("skewed-1", True, True),
        ("skewed-1", False, False)]  # refused times: sent again without them


# 40 minutes slow would record the scan 40 minutes early; 3 hours fast would be refused and
# count at arrival, seconds late. With sent_at both are recorded when the badge was scanned.
WRONG_CLOCKS = {"40 minutes slow": -timedelta(minutes=40), "3 hours fast": timedelta(hours=3)}


@pytest.mark.parametrize("off_by", WRONG_CLOCKS.values(), ids=WRONG_CLOCKS.keys())
def test_a_tablet_whose_clock_is_wrong_still_records_a_scan_made_offline_when_it_was_made(page, live_server, off_by):
    offline_for = 4
    bodies = sent_bodies(page)
    page.clock.install(time=datetime.now(timezone.utc) + off_by)  # Date runs on, off by that much
    token = open_door(page, live_server, "Cửa 5")
    tablet_now = datetime.fromisoformat(page.evaluate("new Date().toISOString()"))
    assert abs(tablet_now - datetime.now(timezone.utc) - off_by) < NEAR
    delegate = delegate_named(live_server, token, "Lý Văn Đức")
    before_scan, after_scan = scan_while_the_server_is_down(page, live_server, delegate, offline_for)
    # The tablet shows the scan at the server's time, not its own (the skew learned from snapshots).
    hall = ZoneInfo("Asia/Ho_Chi_Minh")
    real = {moment.astimezone(hall).strftime("%H:%M") for moment in (before_scan, after_scan)}
    assert page.locator("#recent .recent-time").first.text_content() in real

    checked_in_at, arrivals = server_times(live_server, delegate["id"])
    assert before_scan - NEAR <= checked_in_at <= after_scan + NEAR  # the real moment of the scan
    assert len(arrivals) == 1 and arrivals[0] - checked_in_at >= timedelta(seconds=offline_for)
    [sent] = bodies  # taken at once: not refused and sent again without its times
    assert before_scan + off_by - NEAR <= datetime.fromisoformat(sent["scanned_at"]) <= after_scan + off_by + NEAR
    assert tablet_wait(sent) >= timedelta(seconds=offline_for)
