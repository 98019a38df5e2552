"""Two MC consoles in a real browser press PageDown at the same instant: the show moves one place,
every screen agrees, and the run-of-show log (the minutes' source) keeps item 3."""
from __future__ import annotations

import time

import pytest
import requests

from tests.conftest import bearer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def state(server) -> dict:
    return requests.get(server.url + "/api/state", timeout=5).json()


def console(chromium, server, label: str):
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{server.url}/pair/{server.pairing('mc', label)}")
    page.wait_for_function("() => document.body.dataset.version")
    return context, page


def shows_version(page, version: int) -> None:
    page.wait_for_function(f"() => Number(document.body.dataset.version) === {version}", timeout=5000)


def test_two_consoles_pressing_at_once_move_the_show_one_place(chromium, live_server):
    mc = bearer(live_server.token("mc", "Script"))
    requests.post(live_server.url + "/api/show/goto", json={"position": 2}, headers=mc, timeout=5).raise_for_status()
    on_two = state(live_server)
    first_context, first = console(chromium, live_server, "MC 1")
    second_context, second = console(chromium, live_server, "MC 2")
    hall_context = chromium.new_context(viewport={"width": 1920, "height": 1080})
    hall = hall_context.new_page()
    hall.goto(f"{live_server.url}/display")
    try:
        for page in (first, second):
            shows_version(page, on_two["version"])
            page.wait_for_function("() => document.getElementById('drivers').textContent.includes('MC 1, MC 2')")
        # Both pages press at the same wall-clock instant, scheduled inside each page.
        at = int(time.time() * 1000) + 600
        for page in (first, second):
            page.evaluate("""at => setTimeout(() => document.dispatchEvent(
                new KeyboardEvent('keydown', {key: 'PageDown', bubbles: true})), at - Date.now())""", at)
        first.wait_for_timeout(600)
        for page in (first, second):
            page.wait_for_function("() => !document.body.dataset.busy")
        after = state(live_server)
        assert (after["current"], after["version"]) == (3, on_two["version"] + 1)
        for page in (first, second):
            shows_version(page, after["version"])
            assert page.locator("#current-title").text_content() == after["agenda"][2]["title"]
        hall.wait_for_function("t => document.getElementById('item-title').textContent === t",
                               arg=after["agenda"][2]["title"], timeout=5000)
        refused = [page for page in (first, second) if page.locator("#notice").is_visible()]
        assert len(refused) == 1
        assert refused[0].locator("#notice").text_content() in ("Đã chuyển bởi MC 1", "Đã chuyển bởi MC 2")
        # On purpose, twice: the console now carries the new place, so the press applies.
        first.wait_for_timeout(400)
        first.keyboard.press("PageDown")
        shows_version(first, after["version"] + 1)
        final = state(live_server)
        assert final["current"] == 4
        started = [item["position"] for item in final["agenda"] if item["started_at"]]
        assert started == [2, 3, 4]  # item 3 was not skipped
        assert final["agenda"][2]["ended_at"] and final["agenda"][2]["started_by"] in ("MC 1", "MC 2")
        first.wait_for_function("() => [...document.querySelectorAll('.agenda-times')].some("
                                "e => e.textContent.includes('bắt đầu bởi MC 1'))")
    finally:
        for context in (first_context, second_context, hall_context):
            context.close()
