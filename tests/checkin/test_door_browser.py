"""The door page in a real browser (Playwright on the system Chromium) against the real server:
keyboard-wedge scans, the green / amber / red answers, search without diacritics, one-tap check-in
and undo, noting an absence, walk-ins, the live counter, two doors at once, and no request to any other host."""
from __future__ import annotations

import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import requests

from tests.conftest import LiveServer, bearer, lanes

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VENUE_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


# ---------------------------------------------------------------------------------------------
# Helpers shared by the door's browser tests (test_door_offline.py and test_door_camera.py too).

def call(server, token: str, method: str, path: str, **kwargs) -> requests.Response:
    return requests.request(method, server.url + path, headers=bearer(token), timeout=10, **kwargs)


def delegates(server, token: str, query: str = "") -> list[dict]:
    return call(server, token, "GET", "/api/delegates", params={"q": query}).json()["delegates"]


def delegate_named(server, token: str, name: str) -> dict:
    found = [d for d in delegates(server, token) if d["full_name"] == name]
    assert len(found) == 1, name
    return found[0]


def venue_clock(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(VENUE_TZ).strftime("%H:%M")


def start_server(directory) -> LiveServer:
    """A live server with an admin token, shared by the tests of one module (they use distinct delegates)."""
    server = LiveServer(directory / "live-instance").start()
    server.admin = server.token("admin")
    return server


@pytest.fixture(scope="module")
@lanes("slow")
def door_server(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("door"))
    yield server
    server.stop()


def door_device(server, label: str) -> tuple[str, str]:
    """A door device made by the office (POST /api/devices): its token, for the test's own calls,
    and its single-use pairing code, for the tablet's browser."""
    if not hasattr(server, "admin"):
        server.admin = server.token("admin")
    answer = call(server, server.admin, "POST", "/api/devices", json={"role": "door", "label": label})
    assert answer.status_code == 201, answer.text
    return answer.json()["token"], answer.json()["pair_url"].rsplit("/pair/", 1)[1]


def open_door(page, server, label: str = "Cửa 1") -> str:
    """Pair the page as a door and wait until it is online with the roster on the tablet."""
    from playwright.sync_api import expect
    token, pairing = door_device(server, label)
    page.goto(f"{server.url}/pair/{pairing}")
    page.wait_for_function("() => window.door && window.door.roster.size > 0")
    expect(page.locator("#connection")).to_have_attribute("data-state", "online")
    return token


def wedge(page, code: str) -> None:
    """What a USB or Bluetooth scanner in keyboard mode sends: the characters, then Enter."""
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def expect_result(page, kind: str, title: str | None = None):
    from playwright.sync_api import expect
    result = page.locator("#result")
    expect(result).to_have_attribute("data-kind", kind)
    if title is not None:
        expect(page.locator("#result-title")).to_have_text(title)
    return result


def record_requests(page) -> list[str]:
    """Every request of the page, its workers and its service worker."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.context.on("request", lambda request: seen.append(request.url))
    page.on("worker", lambda worker: worker.on("request", lambda request: seen.append(request.url))
            if hasattr(worker, "on") else None)
    return seen


# ---------------------------------------------------------------------------------------------

def test_wedge_scan_shows_green_with_name_position_group_and_seat(page, door_server):
    token = open_door(page, door_server)
    delegate = delegate_named(door_server, token, "Võ Thị Thanh Tâm")
    wedge(page, delegate["badge_code"])
    expect_result(page, "ok", "Võ Thị Thanh Tâm")
    from playwright.sync_api import expect
    expect(page.locator("#result-detail")).to_contain_text(delegate["position"])
    expect(page.locator("#result-meta")).to_have_text(f"{delegate['group']} · Ghế {delegate['seat']}")
    assert page.locator("#result").get_attribute("data-pending") == "false"
    after = delegate_named(door_server, token, "Võ Thị Thanh Tâm")
    assert after["checked_in_at"] and after["checked_in_device"] == "Cửa 1"


OFFLINE_TEXTS = ("Không có trong danh sách trên máy", "chờ gửi", "Chưa gửi được")


def test_a_slow_answer_online_shows_checking_never_the_tablets_own_answer(page, door_server):
    """Under load the server answers in 1.5 s: the door, online, says it is checking until then,
    never first what the tablet alone would say (here its roster does not yet hold the second
    badge, as when the roster is still loading), then the green answer."""
    import time
    token = open_door(page, door_server)
    known = delegate_named(door_server, token, "Trương Công Bình")
    unknown = delegate_named(door_server, token, "Lâm Thị Yến")
    page.evaluate("(code) => window.door.roster.byCode.delete(code)", unknown["badge_code"])

    def slow(route):
        if route.request.method == "POST":
            time.sleep(1.5)
        route.continue_()
    page.route("**/api/checkins", slow)
    page.evaluate("""() => { window.__panels = [];
        const panel = document.getElementById('result');
        new MutationObserver(() => window.__panels.push([panel.dataset.kind, panel.dataset.pending, panel.textContent]))
          .observe(panel, {subtree: true, childList: true, characterData: true, attributes: true}); }""")
    for delegate in (known, unknown):
        wedge(page, delegate["badge_code"])
        expect_result(page, "ok", delegate["full_name"])
        assert page.locator("#result").get_attribute("data-pending") == "false"
    panels = page.evaluate("window.__panels")
    assert ["checking", "false"] in [panel[:2] for panel in panels]  # it said it was checking
    shown = [panel for panel in panels if panel[1] == "true" or any(text in panel[2] for text in OFFLINE_TEXTS)]
    assert shown == []
    assert "chờ gửi" not in page.locator("#recent").text_content().lower()


def test_second_scan_is_amber_with_the_time_and_door_of_the_first(page, door_server):
    token = open_door(page, door_server, "Cửa 2")
    delegate = delegate_named(door_server, token, "Đỗ Văn Lâm")
    first = call(door_server, token, "POST", "/api/checkins", json={"code": delegate["badge_code"]}).json()
    wedge(page, delegate["badge_code"].lower())  # a wedge in lower case is still the same badge
    expect_result(page, "warn", delegate["full_name"])
    from playwright.sync_api import expect
    when = venue_clock(first["delegate"]["checked_in_at"])
    expect(page.locator("#result-kicker")).to_have_text(f"Đã điểm danh lúc {when}, Cửa 2")


def test_wedge_enter_never_presses_the_button_that_has_focus(page, door_server):
    token = open_door(page, door_server)
    page.fill("#search", "dang thi hong")
    button = page.locator("#results li", has_text="Đặng Thị Hồng").get_by_role("button", name="Điểm danh")
    button.focus()
    other = delegate_named(door_server, token, "Nguyễn Văn Thắng")
    wedge(page, other["badge_code"])
    expect_result(page, "ok", "Nguyễn Văn Thắng")
    assert delegate_named(door_server, token, "Đặng Thị Hồng")["checked_in_at"] is None


def test_refused_badges_are_red_with_the_reason(page, door_server):
    token = open_door(page, door_server)
    admin = door_server.admin
    delegate = delegate_named(door_server, token, "Lê Đình Phúc")
    call(door_server, admin, "POST", f"/api/delegates/{delegate['id']}/reissue").raise_for_status()
    from playwright.sync_api import expect
    for scanned, reason in ((delegate["badge_code"], "Thẻ đã bị thay bằng thẻ mới"),
                            ("ZZZZZZZZZZZZZZZZZ", "Thẻ không có trong danh sách"),
                            ("https://example.com/x", "Mã không phải thẻ đại biểu")):
        wedge(page, scanned)
        expect(page.locator("#result-title")).to_have_text(reason)
        assert page.locator("#result").get_attribute("data-kind") == "error"
    assert delegate_named(door_server, token, delegate["full_name"])["checked_in_at"] is None


def test_search_without_diacritics_finds_exact_spelling_and_one_tap_checks_in_and_undoes(page, door_server):
    from playwright.sync_api import expect
    from conference.core.textnorm import name_sort_key
    token = open_door(page, door_server)
    wanted = sorted(d["full_name"] for d in delegates(door_server, token) if d["full_name"].startswith("Đặng"))
    assert len(wanted) >= 3
    for typed in ("dang", "DANG", unicodedata.normalize("NFD", "đặng"), "Đặng"):
        page.fill("#search", typed)
        names = page.locator("#results .person-name")
        expect(names.first).to_be_visible()
        shown = names.all_text_contents()
        # Name matches first (a unit such as "Đảng ủy" also folds to "dang"), in Vietnamese order.
        assert shown[:len(wanted)] == sorted(wanted, key=name_sort_key), typed
    page.fill("#search", "dang van thanh")
    row = page.locator("#results li", has_text="Đặng Văn Thành")
    row.get_by_role("button", name="Điểm danh").click()
    expect_result(page, "ok", "Đặng Văn Thành")
    expect(row.locator(".person-status")).to_contain_text("Có mặt")
    assert delegate_named(door_server, token, "Đặng Văn Thành")["checked_in_at"]
    row.get_by_role("button", name="Hoàn tác").click()
    expect_result(page, "info", "Đặng Văn Thành")
    expect(row.locator(".person-status")).to_have_text("Chưa đến")
    assert delegate_named(door_server, token, "Đặng Văn Thành")["checked_in_at"] is None
    # Away after all: the door notes why (docs/DOOR.md), the server keeps it and the row shows it.
    row.get_by_role("button", name="Ghi vắng…").click()
    page.select_option("#absence-reason", "excused")
    page.fill("#absence-note", "Đi công tác")
    page.click("#absence-save")
    expect(row.locator(".person-status")).to_have_text("Vắng có lý do · Đi công tác")
    assert delegate_named(door_server, token, "Đặng Văn Thành")["absence_note"] == "Đi công tác"


def test_search_folds_text_exactly_as_the_server_does(page, door_server):
    from conference.core.textnorm import fold
    open_door(page, door_server)
    samples = ["Đặng Văn Thành", "ĐỖ THỊ ÁNH", unicodedata.normalize("NFD", "Nguyễn Thị Thuỷ"),
               "  Lê   Đình  Phúc ", "Huỳnh Thị Mỹ Linh", "Ưng Hoàng Phúc"]
    assert page.evaluate("(samples) => samples.map((s) => window.door.fold(s))", samples) == [fold(s) for s in samples]


def test_undo_from_the_result_panel_takes_the_check_in_back(page, door_server):
    token = open_door(page, door_server)
    delegate = delegate_named(door_server, token, "Mai Anh Hùng")
    wedge(page, delegate["badge_code"])
    expect_result(page, "ok", delegate["full_name"])
    page.locator("#result-undo").click()
    expect_result(page, "info", delegate["full_name"])
    assert delegate_named(door_server, token, delegate["full_name"])["checked_in_at"] is None


def test_walk_in_is_added_checked_in_and_its_name_shown_as_text(page, door_server):
    from playwright.sync_api import expect
    token = open_door(page, door_server)
    name = "Phạm <b>Thị</b> Khách"
    page.locator("#walkin summary").click()
    page.fill("#walkin-form [name=full_name]", name)
    page.fill("#walkin-form [name=unit]", "Tổ dân phố 9")
    page.select_option("#walkin-form [name=group]", "Tổ dân phố")
    page.get_by_role("button", name="Thêm và điểm danh").click()
    expect_result(page, "ok", name)
    expect(page.locator("#result-kicker")).to_have_text("Đã thêm và điểm danh")
    assert page.locator("#result-title b").count() == 0
    added = delegate_named(door_server, token, name)
    assert added["walk_in"] and added["checked_in_at"] and added["group"] == "Tổ dân phố"
    assert added["unit"] == "Tổ dân phố 9"
    page.fill("#search", "pham thi khach")  # the tablet knows the walk-in at once
    expect(page.locator("#results .person-name")).to_have_text([name])


def test_walk_in_with_the_name_of_someone_listed_asks_before_adding(page, door_server):
    from playwright.sync_api import expect
    token = open_door(page, door_server)
    before = len(delegates(door_server, token))
    page.locator("#walkin summary").click()
    page.fill("#walkin-form [name=full_name]", "huynh thi my linh")
    page.get_by_role("button", name="Thêm và điểm danh").click()
    expect(page.locator("#walkin-message")).to_contain_text("Huỳnh Thị Mỹ Linh")
    assert len(delegates(door_server, token)) == before
    page.get_by_role("button", name="Thêm và điểm danh").click()
    expect_result(page, "ok", "huynh thi my linh")
    assert len(delegates(door_server, token)) == before + 1


def test_live_counter_shows_present_and_expected_per_group(page, door_server):
    from playwright.sync_api import expect
    token = open_door(page, door_server)
    everyone = delegates(door_server, token)
    group = "Tổ dân phố"
    members = [d for d in everyone if d["group"] == group]
    present = sum(1 for d in members if d["checked_in_at"])
    total_present = sum(1 for d in everyone if d["checked_in_at"])
    row = page.locator("#groups li", has_text=group).first
    expect(row.locator(".group-figure")).to_have_text(f"{present}/{len(members)}")
    absent = [d for d in members if not d["checked_in_at"]][:2]
    for delegate in absent:  # checked in at another door: the counter follows the snapshot
        call(door_server, token, "POST", "/api/checkins", json={"delegate_id": delegate["id"]}).raise_for_status()
    expect(row.locator(".group-figure")).to_have_text(f"{present + 2}/{len(members)}")
    expect(page.locator("#attendance")).to_have_text(f"{total_present + 2}/{len(everyone)}")


def test_two_doors_each_named_by_their_pairing_see_each_others_check_ins(chromium, door_server):
    from playwright.sync_api import expect
    doors = []
    for label in ("Cửa 1", "Cửa 2"):
        context = chromium.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        token = open_door(page, door_server, label)
        expect(page.locator("#device")).to_have_text(label)
        doors.append(page)
    try:
        delegate = delegate_named(door_server, token, "Phạm Quốc Đạt")
        wedge(doors[0], delegate["badge_code"])
        expect_result(doors[0], "ok", delegate["full_name"])
        doors[1].fill("#search", delegate["full_name"])
        expect(doors[1].locator("#results li .person-status").first).to_contain_text("Cửa 1")
        doors[1].locator("#search").blur()
        wedge(doors[1], delegate["badge_code"])
        expect_result(doors[1], "warn", delegate["full_name"])
        expect(doors[1].locator("#result-kicker")).to_contain_text(", Cửa 1")
    finally:
        for page in doors:
            page.context.close()


def test_no_request_leaves_the_server(page, door_server):
    from playwright.sync_api import expect
    seen = record_requests(page)
    token = open_door(page, door_server)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    delegate = delegate_named(door_server, token, "Trần Thị Thu Hà")
    wedge(page, delegate["badge_code"])
    expect_result(page, "ok", delegate["full_name"])
    page.fill("#search", "nguyen")
    expect(page.locator("#results li").first).to_be_visible()
    page.reload()
    page.wait_for_function("() => window.door && window.door.roster.size > 0")
    assert len(seen) > 15
    strangers = [url for url in seen if not url.startswith(door_server.url + "/")]
    assert strangers == []


SOUND_PROBE = """
window.heard = [];
window.felt = [];
navigator.vibrate = (pattern) => { window.felt.push(JSON.stringify(pattern)); return true; };
const createOscillator = BaseAudioContext.prototype.createOscillator;
BaseAudioContext.prototype.createOscillator = function () {
  const oscillator = createOscillator.call(this);
  const start = oscillator.start.bind(oscillator);
  oscillator.start = (when) => { window.heard.push([oscillator.type, oscillator.frequency.value]); return start(when); };
  return oscillator;
};
"""


def test_green_amber_and_red_each_have_their_own_sound_and_vibration(page, door_server):
    page.add_init_script(SOUND_PROBE)
    token = open_door(page, door_server)
    page.locator("#device").click()  # the first touch of the day lets the page make sounds
    page.wait_for_function("() => window.door && !document.querySelector('#result-note').textContent")
    delegate = delegate_named(door_server, token, "Ngô Thị Diễm")
    heard, felt = [], []
    for code, kind in ((delegate["badge_code"], "ok"), (delegate["badge_code"], "warn"), ("ZZZZZZZZZZZZZZZZ1", "error")):
        before = page.evaluate("window.heard.length")
        wedge(page, code)
        expect_result(page, kind)
        page.wait_for_function(f"() => window.heard.length > {before}")
        heard.append(tuple(map(tuple, page.evaluate(f"window.heard.slice({before})"))))
        felt.append(page.evaluate("window.felt.at(-1)"))
    assert len(set(heard)) == 3 and all(len(tones) >= 2 for tones in heard)
    assert len(set(felt)) == 3
    assert heard[0][0][1] < heard[0][1][1]  # green rises
    assert heard[2][0][1] > heard[2][1][1] and heard[2][1][1] < 300  # red falls, low
