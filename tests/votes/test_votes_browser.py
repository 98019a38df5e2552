"""The vote in real browsers: ten phone-sized pages (390x844, mobile, touch) open /me and vote while
the MC console watches the count and the projector shows "x/y đã biểu quyết"; the MC closes, and
the phones and the projector show the result."""
from __future__ import annotations

import pytest
import requests

from tests.conftest import LiveServer, lanes
from tests.votes.helpers import checked_in_on_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
PHONES = 10


@pytest.fixture
@lanes("slow")
def server(tmp_path):
    live = LiveServer(tmp_path / "instance", env={"CONFERENCE_ME_LIMIT_PER_ADDRESS": "10000 per minute"}).start()
    yield live
    live.stop()


def test_ten_phones_vote_while_the_mc_watches_then_everyone_sees_the_result(chromium, server):
    from playwright.sync_api import expect
    codes = checked_in_on_server(server, PHONES)
    mc_token = {"Authorization": f"Bearer {server.token('mc')}"}
    requests.post(f"{server.url}/api/show/goto", json={"position": 1}, headers=mc_token, timeout=10).raise_for_status()
    contexts = []
    try:
        console_context = chromium.new_context(viewport={"width": 1440, "height": 900})
        hall_context = chromium.new_context(viewport={"width": 1920, "height": 1080})
        contexts += [console_context, hall_context]
        console, hall = console_context.new_page(), hall_context.new_page()
        console.goto(f"{server.url}/pair/{server.pairing('mc')}")
        hall.goto(f"{server.url}/display")
        phones = []
        for code in codes:
            context = chromium.new_context(**PHONE)
            contexts.append(context)
            phone = context.new_page()
            phone.goto(f"{server.url}/me/{code}")
            phones.append(phone)
        console.fill("#vote-question", "Thông qua danh sách đại biểu đi dự hội nghị cấp trên")
        console.click("#vote-open-button")
        expect(phones[-1].locator("#vote-question")).to_have_text(  # on the phones within a second
            "Thông qua danh sách đại biểu đi dự hội nghị cấp trên", timeout=1000)
        expect(console.locator("#vote-cast")).to_have_text(f"0/{PHONES} đại biểu có mặt đã biểu quyết")
        expect(hall.locator("#vote-progress")).to_have_text(f"0/{PHONES} đã biểu quyết")
        for index, phone in enumerate(phones):
            expect(phone.locator("#vote-question")).to_have_text("Thông qua danh sách đại biểu đi dự hội nghị cấp trên")
            phone.locator("#vote-choices input").nth(0 if index < 7 else 1).tap()
            phone.tap("#vote-send")
            expect(phone.locator("#vote-note")).to_contain_text("Đã ghi nhận lá phiếu của bạn")
            expect(phone.locator("#vote-ballot")).to_be_hidden()
            if index == 4:  # the console and the projector follow the count
                expect(console.locator("#vote-cast")).to_have_text(f"5/{PHONES} đại biểu có mặt đã biểu quyết")
                expect(hall.locator("#vote-progress")).to_have_text(f"5/{PHONES} đã biểu quyết")
        expect(console.locator("#vote-cast")).to_have_text(f"{PHONES}/{PHONES} đại biểu có mặt đã biểu quyết")
        console.click("#vote-close")
        expect(console.locator("#vote-outcome")).to_have_text("Thông qua")
        expect(hall.locator("#vote-outcome")).to_have_text("Thông qua")
        expect(hall.locator("#vote-results li").first).to_contain_text("7/10")
        expect(hall.locator("#vote-results li").first).to_contain_text("70%")
        for phone in phones:
            expect(phone.locator("#vote-outcome")).to_have_text("Thông qua")
            expect(phone.locator("#vote-result li").nth(1)).to_contain_text("Không tán thành: 3/10 (30%)")
        assert phones[0].evaluate("() => document.documentElement.scrollWidth") <= 390  # no sideways scroll
    finally:
        for context in contexts:
            context.close()
