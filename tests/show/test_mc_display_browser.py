"""The MC console and the projector in a real browser (Playwright on the system Chromium),
against the real server in its own process.

One server serves the whole module (starting one and making tokens with the real CLI costs
seconds); every test starts from the same state: before the first item, no message, the screen
live, the awards not started.
"""
from __future__ import annotations

import re
import signal
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import ADMIN_LOGIN, ADMIN_PASSWORD, LiveServer, lanes, page_csrf_token

pytestmark = [pytest.mark.browser, pytest.mark.slow]

GUARD_MS = 350  # the MC page's double-press guard (static/js/mc.js)


@pytest.fixture(scope="module")
@lanes("slow")
def server(tmp_path_factory):
    live = LiveServer(tmp_path_factory.mktemp("show") / "instance").start()
    live.admin = {"Authorization": f"Bearer {live.token('admin', 'Văn phòng')}"}
    made = post(live, live.admin, "/api/devices", {"role": "mc", "label": "MC test"})
    live.mc, live.mc_id = {"Authorization": f"Bearer {made['token']}"}, made["device"]["id"]
    yield live
    live.stop()


@pytest.fixture
def live_server(server):
    """The module's server, brought back to the start of the day."""
    if server.process.poll() is not None:
        server.start()
    post(server, server.mc, "/api/show/message", {"message": None})
    post(server, server.mc, "/api/show/screen", {"screen": "live"})
    while state(server)["award"] is not None:
        post(server, server.mc, "/api/awards/previous")
    if state(server)["current"] is not None or state(server)["finished"]:
        post(server, server.mc, "/api/show/goto", {"position": 1})
        post(server, server.mc, "/api/show/previous")
    return server


@pytest.fixture
def screens(chromium, live_server):
    """An MC page paired as the module's MC device (a laptop) and an unpaired projector page
    (1920×1080). A pairing address pairs one browser: each test's page gets a new one."""
    pairing = post(live_server, live_server.admin, f"/api/devices/{live_server.mc_id}/pairing")["pair_url"]
    mc_context = chromium.new_context(viewport={"width": 1280, "height": 800})
    hall_context = chromium.new_context(viewport={"width": 1920, "height": 1080})
    mc = mc_context.new_page()
    hall = hall_context.new_page()
    mc.goto(pairing)
    mc.wait_for_function("() => document.body.dataset.version")
    hall.goto(f"{live_server.url}/display")
    hall.wait_for_function("() => document.getElementById('hall').dataset.version")
    yield mc, hall, live_server.mc
    mc_context.close()
    hall_context.close()


def ready_for_the_next_press(mc) -> None:
    """The last command has been answered and the double-press guard has passed."""
    mc.wait_for_function("() => !document.body.dataset.busy")
    mc.wait_for_timeout(GUARD_MS)


def hall_shows(hall, mode: str, title: str | None = None, timeout: float = 5000) -> None:
    hall.wait_for_function(
        """([mode, title]) => document.getElementById('hall').dataset.mode === mode
             && (title === null || document.getElementById('item-title').textContent === title)""",
        arg=[mode, title], timeout=timeout)


def state(live_server) -> dict:
    return requests.get(live_server.url + "/api/state", timeout=5).json()


def post(live_server, headers, path, body=None) -> dict:
    response = requests.post(live_server.url + path, json=body, headers=headers, timeout=5)
    response.raise_for_status()
    return response.json()


def test_pagedown_on_the_mc_page_brings_the_next_item_to_the_projector(screens, live_server):
    mc, hall, _ = screens
    hall_shows(hall, "welcome")
    mc.keyboard.press("PageDown")
    hall_shows(hall, "flag")  # item 1: the flag salute
    assert hall.locator(".flag").is_visible()
    ready_for_the_next_press(mc)
    mc.keyboard.press("ArrowRight")
    hall_shows(hall, "item", "Khai mạc hội nghị")
    assert hall.locator("#item-speaker").text_content() == "Trình bày: Mai Anh Hùng"
    assert "3. Báo cáo tổng kết" in hall.locator("#next-up").text_content()
    mc.wait_for_function("() => document.getElementById('current-title').textContent === 'Khai mạc hội nghị'")
    ready_for_the_next_press(mc)
    mc.keyboard.press("PageUp")
    hall_shows(hall, "flag")
    assert state(live_server)["current"] == 1


def test_a_double_press_of_the_clicker_advances_once(screens, live_server):
    mc, hall, _ = screens
    before = state(live_server)["version"]
    mc.keyboard.press("PageDown")
    mc.keyboard.press("PageDown")  # a bounce: well within the guard
    mc.wait_for_function(f"() => Number(document.body.dataset.version) > {before}")
    ready_for_the_next_press(mc)
    snapshot = state(live_server)
    assert (snapshot["current"], snapshot["version"]) == (1, before + 1)


def test_space_in_the_message_field_types_a_space_and_does_not_advance(screens, live_server):
    mc, hall, _ = screens
    before = state(live_server)["version"]
    mc.click("#message-input")
    mc.keyboard.type("Mời đại biểu")
    mc.keyboard.press("Enter")
    hall.wait_for_function("() => document.getElementById('message-text').textContent === 'Mời đại biểu'")
    snapshot = state(live_server)
    assert snapshot["current"] is None and snapshot["version"] == before + 1


def test_the_projector_and_the_mc_catch_up_after_a_server_restart_without_reloading(screens, live_server):
    mc, hall, headers = screens
    navigations = []
    for page in (mc, hall):
        page.on("framenavigated", lambda frame: navigations.append(frame.url))
        page.evaluate("window.__sameDocument = 'still here'")
    live_server.restart()
    post(live_server, headers, "/api/show/goto", {"position": 3})  # changed while the pages reconnect
    title = "Báo cáo tổng kết phong trào thi đua và công tác khen thưởng 5 năm (2015-2020), phương hướng, nhiệm vụ 5 năm tới"
    # 30 s: a restart on a loaded machine, and the pages' reconnect backing off meanwhile (up to 5 s a try)
    hall_shows(hall, "item", title, timeout=30000)
    mc.wait_for_function(f"() => document.getElementById('current-title').textContent === {title!r}", timeout=30000)
    for page in (mc, hall):
        assert page.evaluate("window.__sameDocument") == "still here"
        page.wait_for_function("() => document.getElementById('connection').dataset.state === 'online'")
    assert navigations == []


# Every page that follows the show checks in with the server every WATCH_EVERY_MS (static/js/timing.js);
# this init script keeps those checks so a test can run one at a moment of its choosing.
KEEP_THE_CHECK = """
window.__checks = [];
const setEvery = window.setInterval;
window.setInterval = (callback, ms, ...rest) => {
  if (ms === 10000) window.__checks.push(callback);
  return setEvery(callback, ms, ...rest);
};
"""


def test_a_screen_whose_check_was_waiting_when_the_server_died_comes_back_with_it(chromium, live_server):
    """The check's answer times out with the connection: the screen must still reconnect by itself
    (forcing a reconnect from inside socket.io's own close left its manager stuck, offline for good)."""
    context = chromium.new_context(viewport={"width": 1920, "height": 1080})
    context.add_init_script(KEEP_THE_CHECK)
    hall = context.new_page()
    hall.goto(f"{live_server.url}/display")
    hall.wait_for_function("() => document.getElementById('connection').dataset.state === 'online'")
    live_server.process.send_signal(signal.SIGSTOP)  # alive but silent: the check waits for its answer
    hall.evaluate("() => window.__checks.forEach((check) => check())")
    hall.wait_for_timeout(300)
    live_server.kill()  # the connection closes with the check still waiting
    hall.wait_for_function("() => document.getElementById('connection').dataset.state === 'offline'")
    live_server.start()
    hall.wait_for_function("() => document.getElementById('connection').dataset.state === 'online'", timeout=20000)
    context.close()


def test_while_the_server_is_down_the_screens_say_so_and_the_clock_keeps_running(screens, live_server):
    mc, hall, headers = screens
    live_server.kill()
    for page in (mc, hall):
        page.wait_for_function("() => document.getElementById('connection').dataset.state === 'offline'")
    hall.wait_for_function("() => getComputedStyle(document.getElementById('connection')).opacity === '1'")
    ticking = mc.locator("#clock").text_content()
    mc.wait_for_function(f"() => document.getElementById('clock').textContent !== {ticking!r}")
    mc.keyboard.press("PageDown")
    mc.wait_for_selector("#alert:not([hidden])")
    assert "mất kết nối" in mc.locator("#alert").text_content()
    live_server.start()
    for page in (mc, hall):
        page.wait_for_function("() => document.getElementById('connection').dataset.state === 'online'", timeout=30000)  # reconnect backs off up to 5 s a try, on a loaded machine
    assert state(live_server)["current"] is None  # the press made offline was not replayed


def test_html_in_a_message_stays_text_on_the_projector(screens, live_server):
    mc, hall, headers = screens
    hostile = '<img src=x onerror="window.__pwned = 1">Mời <b>đại biểu</b> vào hội trường'
    post(live_server, headers, "/api/show/message", {"message": hostile})
    hall.wait_for_function("() => !document.getElementById('message').hidden")
    assert hall.locator("#message-text").text_content() == hostile
    assert hall.locator("#message-text *").count() == 0
    assert hall.evaluate("window.__pwned") is None
    mc.wait_for_function("() => document.getElementById('message-current').textContent.includes('<img')")
    assert mc.evaluate("window.__pwned") is None


def fits(page, selector: str) -> bool:
    return page.evaluate(
        """(selector) => { const box = document.querySelector(selector);
             return box.scrollHeight <= box.clientHeight + 1 && box.scrollWidth <= box.clientWidth + 1; }""",
        selector)


def font_px(page, selector: str) -> float:
    return page.evaluate("(s) => parseFloat(getComputedStyle(document.querySelector(s)).fontSize)", selector)


def test_long_text_shrinks_to_fit_its_box_and_the_page_never_scrolls(screens, live_server):
    mc, hall, headers = screens
    post(live_server, headers, "/api/show/goto", {"position": 4, "step": 4})
    hall_shows(hall, "item")
    long_message = ("Đề nghị quý vị đại biểu giữ trật tự, tắt chuông điện thoại và ổn định chỗ ngồi để hội nghị "
                    "tiếp tục chương trình theo đúng kế hoạch đã đề ra. ") * 4
    post(live_server, headers, "/api/show/message", {"message": long_message[:500]})
    hall.wait_for_function("() => !document.getElementById('message').hidden")
    assert fits(hall, "#message-text") and font_px(hall, "#message-text") < 68
    assert fits(hall, "#item-title") and fits(hall, "#item-kicker")
    post(live_server, headers, "/api/show/message", {"message": "Giải lao 10 phút"})
    hall.wait_for_function("() => document.getElementById('message-text').textContent === 'Giải lao 10 phút'")
    assert font_px(hall, "#message-text") == 68  # short text goes back to full size
    # A projector at 1280x720 opens the same page: it fits without scrolling.
    small = hall.context.browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        projector = small.new_page()
        projector.goto(hall.url)
        projector.wait_for_function("() => document.getElementById('message-text')?.textContent === 'Giải lao 10 phút'")
        page_fits = """() => document.documentElement.scrollWidth <= innerWidth
                             && document.documentElement.scrollHeight <= innerHeight"""
        try:
            projector.wait_for_function(page_fits, timeout=5000)
        except PlaywrightTimeout:
            page_size = projector.evaluate("""() => [document.documentElement.scrollWidth,
                                                     document.documentElement.scrollHeight, innerWidth, innerHeight]""")
            raise AssertionError(f"the page scrolls at 1280x720: {page_size}") from None
    finally:
        small.close()
    assert hall.evaluate("getComputedStyle(document.body).cursor") == "none"


def test_blackout_hides_everything_and_standby_shows_only_the_backdrop(screens, live_server):
    mc, hall, headers = screens
    post(live_server, headers, "/api/show/goto", {"position": 2})
    hall_shows(hall, "item", "Khai mạc hội nghị")
    mc.click(".screen-modes button[data-screen='blackout']")
    hall.wait_for_function("() => document.getElementById('hall').dataset.screen === 'blackout'")
    assert hall.evaluate("getComputedStyle(document.getElementById('conference-title')).visibility") == "hidden"
    assert hall.evaluate("getComputedStyle(document.getElementById('item-title')).visibility") == "hidden"
    ready_for_the_next_press(mc)
    mc.keyboard.press("b")  # a clicker's black-screen key toggles back
    hall.wait_for_function("() => document.getElementById('hall').dataset.screen === 'live'")
    mc.click(".screen-modes button[data-screen='standby']")
    hall.wait_for_function("() => document.getElementById('hall').dataset.screen === 'standby'")
    assert hall.locator("#conference-title").is_visible() and not hall.locator("#item-title").is_visible()
    assert mc.locator(".screen-modes button[data-screen='standby']").get_attribute("aria-pressed") == "true"


def test_the_opening_shows_the_attendance_and_the_mc_script_reads_the_live_figure(screens, live_server):
    mc, hall, headers = screens
    door = {"Authorization": f"Bearer {live_server.token('door')}"}
    delegates = requests.get(live_server.url + "/api/delegates", headers=door, timeout=5).json()["delegates"]
    absent = [delegate for delegate in delegates if delegate["checked_in_at"] is None]
    present = len(delegates) - len(absent)
    for delegate in absent[:3]:
        post(live_server, door, "/api/checkins", {"delegate_id": delegate["id"]})
    expected = len(delegates)
    post(live_server, headers, "/api/show/goto", {"position": 2})
    hall_shows(hall, "item", "Khai mạc hội nghị")
    assert hall.locator("#attendance").is_visible()
    assert hall.locator("#attendance-count").text_content() == f"{present + 3}/{expected}"
    mc.wait_for_function(
        f"() => document.getElementById('script').textContent.includes('có mặt {present + 3}/{expected} đại biểu')")
    post(live_server, door, "/api/checkins", {"delegate_id": absent[3]["id"]})  # a late arrival
    mc.wait_for_function(
        f"() => document.getElementById('script').textContent.includes('có mặt {present + 4}/{expected} đại biểu')")
    hall.wait_for_function(
        f"() => document.getElementById('attendance-count').textContent === '{present + 4}/{expected}'")
    post(live_server, headers, "/api/show/goto", {"position": 3})
    # Both places are items, so wait for the next one's title to be drawn, not only for the mode.
    hall.wait_for_function("() => document.getElementById('item-title').textContent !== 'Khai mạc hội nghị'")
    hall_shows(hall, "item")
    assert not hall.locator("#attendance").is_visible()


def test_a_tham_luan_step_has_its_speaker_countdown_and_script(screens, live_server):
    mc, hall, headers = screens
    post(live_server, headers, "/api/show/goto", {"position": 4, "step": 2})
    hall_shows(hall, "item", "Trạm Y tế phường An Tân nâng cao chất lượng chăm sóc sức khỏe ban đầu cho nhân dân")
    assert hall.locator("#item-kicker").text_content().endswith("· Tham luận 2/4")
    assert hall.locator("#item-speaker").text_content() == "Trình bày: Hồ Thị Thu Trang"
    mc.wait_for_selector("#step-timer:not([hidden])")
    mc.wait_for_function("() => /^[89]:\\d\\d$/.test(document.getElementById('step-remaining').textContent)")
    assert mc.locator("#step-timer").get_attribute("data-phase") == "normal"
    script = mc.locator("#script").text_content()
    assert script.startswith("Xin cảm ơn Đặng Ngọc Thạch.") and "Hồ Thị Thu Trang" in script
    ready_for_the_next_press(mc)
    mc.keyboard.press("PageDown")  # the next speaker, the same key
    hall.wait_for_function("() => document.getElementById('item-speaker').textContent === 'Trình bày: Trần Văn Hiếu'")
    assert state(live_server)["current_step"] == 3


def test_in_the_awards_item_the_clicker_steps_through_the_awards(screens, live_server):
    mc, hall, headers = screens
    post(live_server, headers, "/api/show/goto", {"position": 5})
    mc.wait_for_selector("#award-panel:not([hidden])")

    def press_and_wait(key: str) -> dict:
        before = state(live_server)["version"]
        mc.keyboard.press(key)
        mc.wait_for_function(f"() => Number(document.body.dataset.version) > {before}")
        ready_for_the_next_press(mc)
        return state(live_server)

    first = press_and_wait("PageDown")  # /api/awards/next: the first decision
    assert first["current"] == 5 and first["award"]["index"] == 0 and first["award"]["reveal"] is False
    hall.wait_for_function("() => document.getElementById('hall').dataset.mode === 'awards'")
    revealed = press_and_wait("PageDown")  # its names
    assert revealed["current"] == 5 and revealed["award"]["reveal"] is True
    back = press_and_wait("PageUp")  # /api/awards/previous
    assert back["current"] == 5 and (back["award"]["index"], back["award"]["reveal"]) == (0, False)
    out = press_and_wait("PageUp")  # at the first decision, back leaves the item
    assert (out["current"], out["current_step"]) == (4, 4)


def test_going_to_an_item_from_the_agenda_takes_a_second_tap(screens, live_server):
    mc, hall, _ = screens
    button = mc.locator("#agenda > li").nth(5).locator(".agenda-line .goto")
    button.click()
    assert button.text_content() == "Chạm lần nữa để chuyển"
    assert state(live_server)["current"] is None
    button.click()
    hall_shows(hall, "item", "Phát động phong trào thi đua giai đoạn 2020-2025")
    assert state(live_server)["current"] == 6


def test_the_projector_clock_is_the_servers_even_when_the_computers_clock_is_wrong(chromium, live_server):
    context = chromium.new_context(viewport={"width": 1920, "height": 1080})
    hall = context.new_page()
    hall.clock.set_system_time(datetime.now() + timedelta(hours=3, minutes=7))  # a projector PC set wrong
    hall.goto(f"{live_server.url}/display")
    hall.wait_for_function("() => document.getElementById('hall').dataset.version")
    hanoi = ZoneInfo("Asia/Ho_Chi_Minh")
    around = {(datetime.now(hanoi) + timedelta(seconds=delta)).strftime("%H:%M") for delta in (-2, 0, 2)}
    hall.wait_for_function(f"() => {sorted(around)!r}.includes(document.getElementById('clock').textContent)")
    assert hall.evaluate("document.documentElement.dataset.wakeLock") == "on"  # localhost is a secure page
    context.close()


def test_the_foyer_screen_lists_the_whole_program_with_the_current_item(chromium, live_server):
    """Its rows are sized in em (fractional pixels): shrink-to-fit must still come to an end."""
    context = chromium.new_context(viewport={"width": 1920, "height": 1080})
    foyer = context.new_page()
    foyer.goto(f"{live_server.url}/display/agenda")
    foyer.wait_for_function("() => document.getElementById('hall').dataset.mode === 'agenda'")
    for position in (1, 2, 3):
        post(live_server, live_server.mc, "/api/show/goto", {"position": position})
    foyer.wait_for_function("() => document.querySelectorAll('.agenda-row')[2].dataset.state === 'current'")
    rows = foyer.locator(".agenda-row")
    assert rows.count() == len(state(live_server)["agenda"])
    states = [rows.nth(n).get_attribute("data-state") for n in range(rows.count())]
    # Items after the current one are upcoming, or done if an earlier test of this server ran them
    # (a run is never lost, docs/SHOW.md §7).
    assert states[:3] == ["done", "done", "current"] and set(states[3:]) <= {"upcoming", "done"}
    assert rows.nth(0).locator(".agenda-time").text_content()  # the actual start of a done item
    assert fits(foyer, "#agenda-list")  # its rows, shrunk as a whole if they must
    context.close()


def rename_item(live_server, position: int, title: str) -> str:
    """Give an item another title through the office's agenda page (signed in as `admin`);
    returns the old title."""
    office = requests.Session()
    token = page_csrf_token(office.get(live_server.url + "/login", timeout=10).text)
    office.post(live_server.url + "/login", timeout=10,
                data={"login": ADMIN_LOGIN, "password": ADMIN_PASSWORD, "csrf_token": token})
    listing = office.get(live_server.url + "/admin/agenda", timeout=10).text
    ids = list(dict.fromkeys(re.findall(r'href="/admin/agenda/(\d+)"', listing)))  # in program order
    item = state(live_server)["agenda"][position - 1]
    answer = office.post(f"{live_server.url}/admin/agenda/{ids[position - 1]}", timeout=10, data={
        "title": title, "presenter": item["presenter"] or "", "kind": item["kind"],
        "planned_minutes": item["planned_minutes"] or "", "script": item["script"] or "",
        "csrf_token": page_csrf_token(listing)})
    assert answer.ok and state(live_server)["agenda"][position - 1]["title"] == title
    return item["title"]


LONG_TITLE = ("Báo cáo kết quả thực hiện Nghị quyết Đại hội, chương trình công tác thi đua, khen thưởng năm 2025 "
              "và phương hướng, nhiệm vụ trọng tâm năm 2026 của Hội đồng Thi đua – Khen thưởng các cấp")


def test_a_long_title_on_the_foyer_screen_stays_within_its_row(chromium, live_server):
    """A title of two or three lines wraps inside its own row, which grows to hold it: no text
    reaches the next row or is cut at its edge."""
    old = rename_item(live_server, 6, LONG_TITLE)
    context = chromium.new_context(viewport={"width": 1920, "height": 1080})
    try:
        foyer = context.new_page()
        foyer.goto(f"{live_server.url}/display/agenda")
        foyer.wait_for_function("() => document.getElementById('hall').dataset.mode === 'agenda'")
        foyer.evaluate("document.fonts.ready")
        foyer.wait_for_timeout(300)  # the titles fitted once the font is in
        boxes = foyer.evaluate("""() => [...document.querySelectorAll('.agenda-row')].map((row) => {
            const text = document.createRange();
            text.selectNodeContents(row.querySelector('.agenda-title'));  // the lines themselves
            const [r, t] = [row.getBoundingClientRect(), text.getBoundingClientRect()];
            const title = row.querySelector('.agenda-title');
            return {row: [r.top, r.bottom], text: [t.top, t.bottom], title: title.textContent,
                    px: parseFloat(getComputedStyle(title).fontSize)};
        })""")
        assert boxes[5]["title"] == LONG_TITLE
        # Readable from across the foyer: the long title is not shrunk alone to a footnote.
        assert {box["px"] for box in boxes} == {boxes[0]["px"]} and boxes[0]["px"] >= 24
        for box, below in zip(boxes, boxes[1:]):
            assert box["row"][1] <= below["row"][0], box  # rows never overlap
        for box in boxes:
            assert box["row"][0] - 0.5 <= box["text"][0] and box["text"][1] <= box["row"][1] + 0.5, box
    finally:
        context.close()
        rename_item(live_server, 6, old)


def seconds_of(text: str) -> int:
    """"0:04" or "1:02:05" as seconds."""
    total = 0
    for part in text.split(":"):
        total = total * 60 + int(part)
    return total


def test_an_item_back_for_a_second_run_times_its_runs_not_the_items_between(screens, live_server):
    mc, hall, headers = screens
    run_seconds = "async ([node, now]) => (await import('/static/js/timing.js')).runSeconds(node, now)"
    node = {"started_at": "2020-03-05T00:35:00+00:00", "closed_run_seconds": 600,
            "open_run_started_at": "2020-03-05T01:01:00+00:00"}
    now = datetime.fromisoformat("2020-03-05T01:05:30+00:00").timestamp() * 1000
    assert mc.evaluate(run_seconds, [node, now]) == 600 + 270  # not the 30:30 since its first start
    assert mc.evaluate(run_seconds, [{**node, "open_run_started_at": None}, now]) == 600  # closed
    assert mc.evaluate(run_seconds, [{"started_at": None, "closed_run_seconds": 0}, now]) is None

    post(live_server, headers, "/api/show/goto", {"position": 2})
    mc.wait_for_timeout(1000)
    post(live_server, headers, "/api/show/goto", {"position": 3})
    mc.wait_for_timeout(3000)  # item 3 runs
    post(live_server, headers, "/api/show/goto", {"position": 4})
    back = post(live_server, headers, "/api/show/goto", {"position": 2})  # item 3 ran since: a second run
    mc.wait_for_function(f"() => Number(document.body.dataset.version) >= {back['version']}")
    mc.wait_for_timeout(600)  # a tick of the timers
    item2 = back["agenda"][1]
    since_first_start = (datetime.fromisoformat(back["server_time"])
                         - datetime.fromisoformat(item2["started_at"])).total_seconds()
    assert item2["closed_run_seconds"] >= 1
    assert datetime.fromisoformat(item2["open_run_started_at"]) > datetime.fromisoformat(item2["started_at"])
    shown = seconds_of(mc.locator("#item-elapsed").text_content())
    assert item2["closed_run_seconds"] <= shown <= item2["closed_run_seconds"] + 2
    assert shown <= since_first_start - 2  # the 3 seconds of item 3 are not counted
