"""In a real browser: the projector, a paired door and the MC follow an `activate` made on the command
line (another process), without a reload and without pairing again."""
from __future__ import annotations

import subprocess
import sys

import pytest
import requests
from playwright.sync_api import expect

from tests.conftest import ROOT, bearer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DEMO = "Hội nghị Điển hình tiên tiến phường An Tân"


def cli(server, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "conference", *args], cwd=ROOT, env=server.env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def paired_door_and_mc(live_server, chromium, page):
    """A door tablet and an MC laptop paired in their browsers, and the projector (`page`), on the demo."""
    door = chromium.new_context(viewport={"width": 1024, "height": 768}).new_page()
    door.goto(f"{live_server.url}/pair/{live_server.pairing('door', 'Cửa chính')}")
    expect(door.locator("#attendance")).to_have_text("0/65", timeout=15000)
    mc = door.context.browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    mc.goto(f"{live_server.url}/pair/{live_server.pairing('mc')}")
    page.goto(f"{live_server.url}/display")
    expect(page.locator("#conference-title")).to_have_text(DEMO, timeout=15000)
    return door, mc


def test_the_projector_and_the_door_follow_an_activate_without_a_reload(live_server, chromium, page):
    token = live_server.token("door", "Cửa phụ")  # the test's own scans
    door, mc = paired_door_and_mc(live_server, chromium, page)
    for tab in (page, door, mc):
        tab.evaluate("window.notReloaded = true")

    # The rehearsal of the demo moves its version well past a new conference's.
    delegates = requests.get(f"{live_server.url}/api/delegates", headers=bearer(token), timeout=10).json()["delegates"]
    for delegate in delegates[:3]:
        requests.post(f"{live_server.url}/api/checkins", json={"code": delegate["badge_code"]},
                      headers=bearer(token), timeout=10)
    expect(door.locator("#attendance")).to_have_text("3/65", timeout=10000)
    expect(mc.locator("#attendance")).to_have_text("3/65", timeout=10000)
    expect(mc.locator("#quorum")).to_have_text("Chưa đủ số lượng đại biểu theo quy định: cần 33, có mặt 3")

    assert cli(live_server, "new-conference", "--title", "Hội nghị tổng kết năm 2026",
               "--template", "tong-ket-nam").strip().endswith("2.")
    cli(live_server, "activate", "2")
    expect(page.locator("#conference-title")).to_have_text("Hội nghị tổng kết năm 2026", timeout=15000)
    expect(door.locator("#attendance")).to_have_text("0/0", timeout=15000)
    expect(mc.locator("#attendance")).to_have_text("0/0", timeout=15000)

    # A copy of the demo: the door's roster is the copy's, with its new badge codes.
    cli(live_server, "new-conference", "--title", "Hội nghị điển hình tiên tiến lần thứ V", "--copy-from", "1")
    cli(live_server, "activate", "3")
    expect(page.locator("#conference-title")).to_have_text("Hội nghị điển hình tiên tiến lần thứ V", timeout=15000)
    expect(door.locator("#attendance")).to_have_text("0/65", timeout=15000)
    copied = requests.get(f"{live_server.url}/api/delegates", headers=bearer(token), timeout=10).json()["delegates"]
    assert not {d["badge_code"] for d in copied} & {d["badge_code"] for d in delegates}
    answer = requests.post(f"{live_server.url}/api/checkins", json={"code": copied[0]["badge_code"]},
                           headers=bearer(token), timeout=10)
    assert answer.status_code == 201
    expect(door.locator("#attendance")).to_have_text("1/65", timeout=10000)
    for tab in (page, door, mc):
        assert tab.evaluate("window.notReloaded") is True
    door.context.close()
    mc.context.close()


def test_a_door_and_an_mc_paired_before_a_switch_serve_the_activated_conference(live_server, chromium, page):
    """Paired in their browsers under the demo, then the office activates a copy: the door's scan of
    a badge of the copy checks in (green), and the MC's PageDown moves the copy's show on the projector."""
    from tests.checkin.test_door_browser import expect_result, wedge
    token = live_server.token("door", "Cửa phụ")
    door, mc = paired_door_and_mc(live_server, chromium, page)

    cli(live_server, "new-conference", "--title", "Hội nghị điển hình tiên tiến lần thứ V", "--copy-from", "1")
    cli(live_server, "activate", "2")
    expect(page.locator("#conference-title")).to_have_text("Hội nghị điển hình tiên tiến lần thứ V", timeout=15000)
    door.wait_for_function("() => window.door && window.door.roster.size > 0", timeout=15000)
    copied = requests.get(f"{live_server.url}/api/delegates", headers=bearer(token), timeout=10).json()["delegates"]
    wedge(door, copied[0]["badge_code"])
    expect_result(door, "ok")
    expect(door.locator("#attendance")).to_have_text("1/65", timeout=10000)
    state = requests.get(f"{live_server.url}/api/state", timeout=10).json()
    assert state["conference"]["id"] == 2 and state["attendance"]["present"] == 1

    mc.locator("body").click()
    mc.keyboard.press("PageDown")
    expect(page.locator("#hall")).to_have_attribute("data-mode", "flag", timeout=10000)
    assert requests.get(f"{live_server.url}/api/state", timeout=10).json()["current"] is not None
    door.context.close()
    mc.context.close()


def test_the_door_and_the_mc_name_their_conference_and_say_when_the_office_switches_it(live_server, chromium, page):
    """Each names the conference it serves in its header; an activate while the page is open shows a
    notice with the new title, which stays until the person dismisses it."""
    door, mc = paired_door_and_mc(live_server, chromium, page)
    for tab in (door, mc):
        expect(tab.locator("#conference-name")).to_have_text(DEMO)
        expect(tab.locator("#conference-switched")).to_be_hidden()

    cli(live_server, "new-conference", "--title", "Hội nghị tổng kết năm 2026", "--template", "tong-ket-nam")
    cli(live_server, "activate", "2")
    for tab in (door, mc):
        expect(tab.locator("#conference-name")).to_have_text("Hội nghị tổng kết năm 2026", timeout=15000)
        expect(tab.locator("#conference-switched")).to_be_visible()
        expect(tab.locator("#conference-switched")).to_contain_text("Đã chuyển sang hội nghị: Hội nghị tổng kết năm 2026")
    mc.wait_for_timeout(3000)  # it does not fade: the person may be looking at the hall
    for tab in (door, mc):
        expect(tab.locator("#conference-switched")).to_be_visible()
        tab.locator("#conference-switched-dismiss").click()
        expect(tab.locator("#conference-switched")).to_be_hidden()
    # The MC's clicker keys still reach the console after the dismiss.
    assert mc.evaluate("document.activeElement === document.body")
    door.context.close()
    mc.context.close()
