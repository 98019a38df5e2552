"""Asking to speak in real browsers against one real server: two phones (390x844, mobile, touch) ask
from /me, the MC console sees them in the order asked and calls the first, the projector shows who
speaks (with their turn's time), and each phone's page follows: the first is invited, the second
moves up to first place."""
from __future__ import annotations

import re

import pytest
import requests

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
MARKUP = "<b>An ninh</b> trật tự"  # the delegate's own words: shown as text everywhere
TURN_TIME = re.compile(r"^\d+:\d\d$")  # the turn's time as the projector writes it: "0:03", "1:12"


def test_two_phones_ask_the_mc_calls_the_first_and_the_projector_shows_them(chromium, live_server):
    from playwright.sync_api import expect
    door = {"Authorization": f"Bearer {live_server.token('door')}"}
    delegates = requests.get(live_server.url + "/api/delegates", headers=door, timeout=10).json()["delegates"][:2]
    for delegate in delegates:
        requests.post(live_server.url + "/api/checkins", json={"delegate_id": delegate["id"]}, headers=door,
                      timeout=10).raise_for_status()
    contexts = [chromium.new_context(**PHONE) for _ in delegates]
    mc_context = chromium.new_context(viewport={"width": 1280, "height": 800})
    hall_context = chromium.new_context(viewport={"width": 1920, "height": 1080})
    lectern_context = chromium.new_context(viewport={"width": 1280, "height": 720})
    try:
        phones = [context.new_page() for context in contexts]
        for page, delegate, subject in zip(phones, delegates, (MARKUP, "")):
            page.goto(f"{live_server.url}/me/{delegate['badge_code']}")
            page.wait_for_function("() => document.getElementById('me').dataset.version")
            page.fill("#speak-subject-input", subject)
            page.tap("#speak-ask")
            expect(page.locator("#speak-waiting")).to_be_visible()
            expect(page.locator("#speak-form")).to_be_hidden()  # one waiting request: no second form
        expect(phones[0].locator("#speak-place")).to_contain_text("vị trí thứ 1 ")
        expect(phones[1].locator("#speak-place")).to_contain_text("vị trí thứ 2 ")

        mc = mc_context.new_page()
        mc.goto(f"{live_server.url}/pair/{live_server.pairing('mc')}")
        mc.wait_for_function("() => document.body.dataset.version")
        rows = mc.locator("#speakers-queue li")
        expect(rows).to_have_count(2)
        expect(rows.nth(0).locator(".speaker-name")).to_contain_text(delegates[0]["full_name"])
        expect(rows.nth(0).locator(".speaker-subject")).to_have_text(MARKUP)
        expect(rows.nth(1).locator(".speaker-name")).to_contain_text(delegates[1]["full_name"])

        hall = hall_context.new_page()
        hall.goto(f"{live_server.url}/display")
        hall.wait_for_function("() => document.getElementById('hall').dataset.version")
        lectern = lectern_context.new_page()
        lectern.goto(f"{live_server.url}/display/timer")
        lectern.wait_for_function("() => document.getElementById('lectern').dataset.version")
        expect(hall.locator("#speaker-now")).to_be_hidden()
        rows.nth(0).locator(".speaker-call").click()

        expect(hall.locator("#speaker-now")).to_be_visible()
        expect(hall.locator("#speaker-now-name")).to_contain_text(delegates[0]["full_name"])
        expect(hall.locator("#speaker-now-subject")).to_have_text(MARKUP)
        expect(hall.locator("#speaker-now-time")).to_have_text(TURN_TIME)
        expect(lectern.locator("#lectern-speaker")).to_contain_text(delegates[0]["full_name"])  # with any danh xưng
        expect(lectern.locator("#lectern-time")).to_have_text(TURN_TIME)  # the lectern counts the same turn
        expect(mc.locator("#speakers-now-name")).to_contain_text(delegates[0]["full_name"])
        expect(rows).to_have_count(1)
        expect(phones[0].locator("#speak-speaking")).to_be_visible()
        expect(phones[1].locator("#speak-place")).to_contain_text("vị trí thứ 1 ")
    finally:
        for context in (*contexts, mc_context, hall_context, lectern_context):
            context.close()

