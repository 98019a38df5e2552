"""The awards in a real browser: the projector follows the MC through every batch; the MC records a proxy."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CONGRATULATIONS = "Xin chúc mừng các tập thể, cá nhân được khen thưởng"
HOSTILE = '<img src=x onerror="window.__pwned=1"> Tổ <b>bảo vệ</b> dân phố'


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def post(server, path, headers, **body):
    response = requests.post(server.url + path, json=body or None, headers=headers, timeout=10)
    assert response.status_code < 300, response.text
    return response.json()


def test_stepping_through_the_announcements_brings_each_batch_to_the_projector(live_server, page):
    from playwright.sync_api import expect
    admin = mc = bearer(live_server.token("admin", "Văn phòng"))  # one CLI call: the office may do both
    decisions = requests.get(live_server.url + "/api/award-decisions", headers=admin, timeout=10).json()["decisions"]
    post(live_server, f"/api/award-decisions/{decisions[-1]['id']}/honourees", admin, kind="tập thể", name=HOSTILE)
    announcements = requests.get(live_server.url + "/api/awards", headers=mc, timeout=10).json()["announcements"]
    assert len(announcements) >= 3
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    post(live_server, "/api/show/goto", mc, position=5)
    page.goto(live_server.url + "/display")

    for announcement in announcements:
        post(live_server, "/api/awards/next", mc)
        expect(page.locator(".aw-decision")).to_have_text(announcement["decision"]["text"])
        expect(page.locator(".aw-form")).to_have_text(announcement["form"])
        post(live_server, "/api/awards/next", mc)
        names = [h["name"] for h in announcement["honourees"]]
        expect(page.locator(".aw-name")).to_have_text(names)
        assert page.locator(".aw-name").all_text_contents() == names  # exactly as spelled
        for honouree, card in zip(announcement["honourees"], page.locator(".aw-card").all()):
            if honouree["kind"] == "collective" and honouree["representative"]:
                expect(card.locator(".aw-receiver")).to_have_text(f"Đại diện: {honouree['representative']}")
        overflowing = page.evaluate("""() => [...document.querySelectorAll('.aw-card')]
            .filter(c => c.scrollHeight > c.clientHeight + 1 || c.scrollWidth > c.clientWidth + 1).length""")
        assert overflowing == 0

    post(live_server, "/api/awards/next", mc)
    expect(page.locator(".aw-congrats")).to_have_text(CONGRATULATIONS)
    assert page.evaluate("window.__pwned") is None and dialogs == []
    assert page.locator(".aw-stage img, .aw-stage b").count() == 0


def test_the_mc_sees_presence_live_and_records_a_proxy_typed_inline(live_server, page):
    from playwright.sync_api import expect
    mc, door = bearer(live_server.token("mc")), bearer(live_server.token("door"))
    announcements = requests.get(live_server.url + "/api/awards", headers=mc, timeout=10).json()["announcements"]
    target = next(a for a in announcements if sum(1 for h in a["honourees"] if h["delegate_id"]) >= 2)
    first, second = [h for h in target["honourees"] if h["delegate_id"]][:2]
    post(live_server, "/api/show/goto", mc, position=5)
    for _ in range(2 * target["index"] + 2):
        award = post(live_server, "/api/awards/next", mc)["award"]
    assert (award["index"], award["reveal"]) == (target["index"], True)
    page.goto(live_server.url + "/pair/" + live_server.pairing("mc"))
    page.goto(live_server.url + "/mc")
    row = page.locator(f'.aw-row[data-honouree-id="{first["id"]}"]')
    expect(row.locator(".aw-badge.absent")).to_be_visible()
    post(live_server, "/api/checkins", door, delegate_id=first["delegate_id"])
    expect(row.locator(".aw-badge.present")).to_be_visible()

    row.get_by_role("button", name="Nhận thay…").click()
    field = row.locator(".aw-proxy-form input")
    field.fill("")
    field.press_sequentially("Bùi Thị")  # the space must not step the program
    post(live_server, "/api/checkins", door, delegate_id=second["delegate_id"])  # a snapshot mid-typing
    other = page.locator(f'.aw-row[data-honouree-id="{second["id"]}"]')
    expect(other.locator(".aw-badge.present")).to_be_visible()
    expect(field).to_be_focused()
    field.press_sequentially(" Hoa")
    field.press("Enter")
    expect(row.locator(".aw-badge.done-proxy")).to_have_text("Nhận thay: Bùi Thị Hoa")
    state = requests.get(live_server.url + "/api/state", timeout=10).json()
    assert state["current"] == 5 and (state["award"]["index"], state["award"]["reveal"]) == (target["index"], True)
    recorded = next(h for h in state["award"]["honourees"] if h["id"] == first["id"])
    assert (recorded["outcome"], recorded["received_by"]) == ("proxy", "Bùi Thị Hoa")


def test_the_vote_time_on_the_mc_console_is_the_conferences_not_the_laptops(live_server, chromium):
    """A laptop set to UTC beside a conference in Asia/Ho_Chi_Minh: "lúc …" is read beside the
    console's clock, so it is the conference's time of day too."""
    from playwright.sync_api import expect
    mc = bearer(live_server.token("mc"))
    agenda = requests.get(live_server.url + "/api/state", timeout=10).json()["agenda"]
    post(live_server, "/api/show/goto", mc, position=next(i["position"] for i in agenda if i["kind"] == "vote"))
    recorded_at = post(live_server, "/api/vote", mc, agreed=0)["vote"]["recorded_at"]
    hanoi = ZoneInfo("Asia/Ho_Chi_Minh")
    expected = datetime.fromisoformat(recorded_at).astimezone(hanoi).strftime("%H:%M")
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, timezone_id="UTC")
    page = context.new_page()
    page.goto(live_server.url + "/pair/" + live_server.pairing("mc"))
    page.goto(live_server.url + "/mc")
    expect(page.locator(".aw-vote-recorded")).to_contain_text(f"lúc {expected}")
    clock = page.locator("#clock").text_content()  # and the console's clock is the conference's
    assert clock[:5] in {(datetime.now(hanoi) + timedelta(seconds=d)).strftime("%H:%M") for d in (-60, 0, 60)}
    context.close()


def test_the_vote_time_in_the_offices_awards_log_is_the_conferences_not_the_computers(live_server, chromium):
    from playwright.sync_api import expect
    admin = bearer(live_server.token("admin"))
    recorded_at = post(live_server, "/api/vote", admin, agreed=0)["vote"]["recorded_at"]
    expected = datetime.fromisoformat(recorded_at).astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%H:%M")
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, timezone_id="UTC",
                                   extra_http_headers=admin)
    page = context.new_page()
    page.goto(live_server.url + "/admin/awards")
    expect(page.locator("#aw-vote")).to_contain_text(f"({expected})")
    context.close()
