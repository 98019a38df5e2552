"""A walk-in added at the door while the server is down (kill -9) waits on the tablet like a scan
(through a page reload), is searched and shown as waiting, and is added exactly once, at the time
it was entered, when the server is back."""
from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone

import pytest

from tests.checkin.test_door_browser import delegates, expect_result, open_door

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NEAR = timedelta(seconds=2)


def fill_walk_in(page, name: str, unit: str | None = None, group: str | None = None) -> None:
    if not page.locator("#walkin").evaluate("node => node.open"):
        page.locator("#walkin summary").click()
    page.fill("#walkin-form [name=full_name]", name)
    if unit:
        page.fill("#walkin-form [name=unit]", unit)
    if group:
        page.select_option("#walkin-form [name=group]", group)
    page.get_by_role("button", name="Thêm và điểm danh").click()


def test_a_walk_in_added_offline_waits_on_the_tablet_and_is_added_once_when_the_server_returns(page, live_server):
    from playwright.sync_api import expect
    sent: list[tuple[dict, int]] = []  # (body, status) of every walk-in the page got an answer to
    page.on("requestfinished", lambda request: sent.append((json.loads(request.post_data), request.response().status))
            if request.method == "POST" and request.url.endswith("/api/delegates") else None)
    name = "Đinh Thị Ngoại Tuyến"

    token = open_door(page, live_server, "Cửa 7")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")  # the page can reopen offline
    listed = len(delegates(live_server, token))

    live_server.kill()
    expect(page.locator("#connection")).to_have_attribute("data-state", "offline")
    before = datetime.now(timezone.utc)
    fill_walk_in(page, name, "Tổ dân phố 3", "Tổ dân phố")
    expect_result(page, "ok", name)
    after = datetime.now(timezone.utc)
    assert page.locator("#result").get_attribute("data-pending") == "true"
    expect(page.locator("#result-kicker")).to_have_text("Đã thêm trên máy – chờ gửi")
    expect(page.locator("#outbox-count")).to_have_text("1")
    expect(page.locator("#walkin-form [name=full_name]")).to_have_value("")  # ready for the next person
    page.fill("#search", "dinh thi ngoai tuyen")  # searched offline, waiting like a scan
    expect(page.locator("#results li .person-status")).to_have_text(["Chờ gửi"])

    # The same name again, still offline: the door asks first, against what waits on the tablet.
    fill_walk_in(page, "dinh thi ngoai tuyen")
    expect(page.locator("#walkin-message")).to_contain_text(name)
    expect(page.locator("#outbox-count")).to_have_text("1")

    page.reload()  # the service worker reopens the page; the walk-in is still in the outbox
    page.wait_for_function("() => window.door && window.door.outbox.size === 1")
    expect(page.locator("#recent .recent-pending")).to_have_count(1)
    expect(page.locator("#recent .recent-name")).to_have_text([name])
    page.fill("#search", "ngoai tuyen")
    expect(page.locator("#results li .person-status")).to_have_text(["Chờ gửi"])
    time.sleep(2)
    assert sent == []

    live_server.start()
    expect(page.locator("#outbox-count")).to_have_text("0", timeout=20000)
    expect(page.locator("#connection")).to_have_attribute("data-state", "online")
    expect(page.locator("#results li .person-status")).to_contain_text(["Có mặt"])
    expect(page.locator("#results li")).to_have_count(1)

    everyone = delegates(live_server, token)
    added = [d for d in everyone if d["full_name"] == name]
    assert len(everyone) == listed + 1 and len(added) == 1
    [delegate] = added
    assert delegate["walk_in"] and delegate["unit"] == "Tổ dân phố 3" and delegate["group"] == "Tổ dân phố"
    checked_in_at = datetime.fromisoformat(delegate["checked_in_at"])
    assert before - timedelta(milliseconds=1) <= checked_in_at <= after + NEAR  # when entered, not delivered
    [(body, status)] = sent  # delivered once
    assert status == 201 and body["check_in"] is True and body["nonce"]
    assert body["full_name"] == name and "scanned_at" in body and "sent_at" in body
    # The tablet now knows the new delegate by id and badge code, and as present.
    known = page.evaluate(f"""() => {{
        const d = window.door.roster.byCode.get({json.dumps(delegate["badge_code"])});
        return d && [d.id, d.full_name, window.door.roster.presence.has(d.id)]; }}""")
    assert known == [delegate["id"], name, True]


def test_a_walk_in_answered_at_once_online_is_added_once_with_a_nonce(page, live_server):
    from playwright.sync_api import expect
    sent: list[dict] = []
    page.on("requestfinished", lambda request: sent.append(json.loads(request.post_data))
            if request.method == "POST" and request.url.endswith("/api/delegates") else None)
    token = open_door(page, live_server, "Cửa 8")
    fill_walk_in(page, "Kiều Văn Trực Tuyến")
    expect_result(page, "ok", "Kiều Văn Trực Tuyến")
    expect(page.locator("#result-kicker")).to_have_text("Đã thêm và điểm danh")
    expect(page.locator("#outbox-count")).to_have_text("0")
    assert [d["full_name"] for d in delegates(live_server, token, "kieu van truc tuyen")] == ["Kiều Văn Trực Tuyến"]
    [body] = sent
    assert body["nonce"] and body["check_in"] is True


def test_an_outbox_kept_by_an_older_page_still_delivers_its_scans(page, live_server):
    """Items without a kind are scans, as an older page wrote them."""
    from playwright.sync_api import expect
    token = open_door(page, live_server, "Cửa 9")
    delegate = delegates(live_server, token, "ngo minh tuan")[0]
    live_server.kill()
    expect(page.locator("#connection")).to_have_attribute("data-state", "offline")
    page.evaluate("code => window.door.outbox.add({nonce: 'older-page-2', code, source: 'wedge'})",
                  delegate["badge_code"])
    live_server.start()
    expect(page.locator("#outbox-count")).to_have_text("0", timeout=20000)
    assert delegates(live_server, token, "ngo minh tuan")[0]["checked_in_at"]


def test_a_walk_in_still_waiting_is_simply_taken_back_by_undo(page, live_server):
    from playwright.sync_api import expect
    token = open_door(page, live_server, "Cửa 10")
    listed = len(delegates(live_server, token))
    live_server.kill()
    expect(page.locator("#connection")).to_have_attribute("data-state", "offline")
    fill_walk_in(page, "Tô Văn Nhầm")
    expect_result(page, "ok", "Tô Văn Nhầm")
    expect(page.locator("#outbox-count")).to_have_text("1")
    page.locator("#result-undo").click()
    expect_result(page, "info", "Tô Văn Nhầm")
    expect(page.locator("#outbox-count")).to_have_text("0")
    page.fill("#search", "to van nham")
    expect(page.locator("#results li")).to_have_count(0)
    live_server.start()
    expect(page.locator("#connection")).to_have_attribute("data-state", "online", timeout=20000)
    assert len(delegates(live_server, token)) == listed
