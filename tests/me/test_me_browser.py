"""The delegate's page in a real browser at a phone's size (390x844, mobile, touch), against one
real server: light on the first visit, following the MC within a second; a second phone refused
until the office releases the first in two taps; a document drawn by PDF.js on the page's canvas;
called to the stage with their awards batch, and only then; the page of the report's slides beside
the current item while the projectors show them. And the projector's standby screen, whose QR (read
back by a real decoder) opens the page."""
from __future__ import annotations

import io
import time

import pytest
import requests
import zxingcpp
from PIL import Image

from tests.conftest import ADMIN_LOGIN, LiveServer, lanes, page_csrf_token
from tests.me.helpers import pdf_bytes
from tests.show.stage_decks import deck

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
FIRST_VISIT_LIMIT = 150 * 1024


class Office(requests.Session):
    """The office, signed in at /login as a person is: its cookie and CSRF token drive the API too."""

    def __init__(self, url: str, password: str):
        super().__init__()
        self.url = url
        self.csrf = page_csrf_token(self.get(url + "/login", timeout=10).text)
        self.post(url + "/login", data={"login": ADMIN_LOGIN, "password": password, "csrf_token": self.csrf},
                  timeout=10).raise_for_status()
        self.csrf = page_csrf_token(self.get(url + "/admin", timeout=10).text)
        self.headers["X-CSRFToken"] = self.csrf

    def press(self, path: str, **body) -> dict:
        answer = self.post(self.url + path, json=body, timeout=10)
        answer.raise_for_status()
        return answer.json()


@pytest.fixture(scope="module")
@lanes("slow")
def server(tmp_path_factory):
    """One server for the module, with a two-page document the office has added."""
    live = LiveServer(tmp_path_factory.mktemp("me") / "instance").start()
    live.office = Office(live.url, live.admin_password)
    added = live.office.post(live.url + "/admin/documents", timeout=10, data={
        "csrf_token": live.office.csrf, "title": "Báo cáo tổng kết", "item": "3", "visibility": "visible"},
        files={"file": ("bao-cao.pdf", pdf_bytes("BAO CAO TONG KET", "TRANG HAI"), "application/pdf")})
    assert added.status_code == 200 and "Báo cáo tổng kết" in added.text
    yield live
    live.stop()


@pytest.fixture(scope="module")
def delegates(server) -> list[dict]:
    return server.office.get(server.url + "/api/delegates", timeout=10).json()["delegates"]


def phone(chromium):
    context = chromium.new_context(**PHONE)
    return context, context.new_page()


def shown_title(page) -> str:
    return page.locator("#now-item").text_content()


def test_the_page_is_light_readable_and_follows_the_mc_within_a_second(chromium, server, delegates):
    context, page = phone(chromium)
    weights = []
    page.on("requestfinished", lambda request: weights.append((request.url, request.sizes()["responseBodySize"]
                                                               + request.sizes()["responseHeadersSize"])))
    try:
        server.office.press("/api/show/goto", position=1)
        page.goto(f"{server.url}/me/{delegates[0]['badge_code']}")
        page.wait_for_function("() => document.getElementById('me').dataset.version")
        assert page.url == server.url + "/me"
        assert page.locator("#me-name").text_content() == delegates[0]["full_name"]
        page.wait_for_load_state("networkidle")
        total = sum(size for _, size in weights)
        assert total < FIRST_VISIT_LIMIT, sorted(weights, key=lambda w: -w[1])[:5]
        assert not any("pdf" in url for url, _ in weights)  # PDF.js waits for a document to be opened
        # Readable without zooming: nothing wider than the phone, body text of 16 px or more.
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        assert page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)") >= 16
        state = requests.get(server.url + "/api/state", timeout=10).json()
        assert shown_title(page) == state["agenda"][0]["title"]
        pressed = time.monotonic()
        server.office.press("/api/show/next", **{"from": {"position": 1, "step": None}})
        page.wait_for_function("t => document.getElementById('now-item').textContent === t",
                               arg=state["agenda"][1]["title"], timeout=1000)
        assert time.monotonic() - pressed < 1.0
        assert page.locator("#next-item").text_content().endswith(state["agenda"][2]["title"])
    finally:
        context.close()


def test_a_second_phone_is_refused_until_the_office_releases_the_first_in_two_taps(chromium, server, delegates):
    from playwright.sync_api import expect
    delegate = delegates[1]
    first_context, first = phone(chromium)
    second_context, second = phone(chromium)
    office_context = chromium.new_context(viewport={"width": 1280, "height": 800})
    office = office_context.new_page()
    try:
        first.goto(f"{server.url}/me/{delegate['badge_code']}")
        expect(first.locator("#me-name")).to_have_text(delegate["full_name"])
        second.goto(f"{server.url}/me/{delegate['badge_code']}")
        expect(second.locator("#refused")).to_contain_text("đang mở trên một điện thoại khác")
        office_context.add_cookies([{"name": cookie.name, "value": cookie.value, "url": server.url}
                                    for cookie in server.office.cookies])  # the office, signed in
        office.goto(f"{server.url}/admin/delegates/{delegate['id']}")
        office.once("dialog", lambda dialog: dialog.accept())  # the second tap: the confirmation
        office.click("#phone button")  # the first tap
        expect(office.locator(".flash-ok")).to_contain_text("Đã giải phóng")
        second.goto(f"{server.url}/me/{delegate['badge_code']}")
        expect(second.locator("#me-name")).to_have_text(delegate["full_name"])
        expect(first.locator("#code")).to_be_visible()  # the released phone is back at the code form, by itself
    finally:
        for context in (first_context, second_context, office_context):
            context.close()


def test_a_document_is_drawn_on_the_page_s_canvas_by_pdf_js(chromium, server, delegates):
    from playwright.sync_api import expect
    context, page = phone(chromium)
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    try:
        page.goto(f"{server.url}/me/{delegates[2]['badge_code']}")
        page.click("#documents a")
        expect(page.locator("#viewer")).to_have_attribute("data-state", "ready", timeout=15000)
        expect(page.locator("#page-number")).to_have_text("Trang 1 / 2")
        inked = """() => { const c = document.getElementById('page');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let dark = 0;
            for (let i = 0; i < d.length; i += 4) if (d[i] < 100 && d[i + 1] < 100 && d[i + 2] < 100) dark++;
            return [c.width, dark]; }"""
        width, dark = page.evaluate(inked)
        assert width >= 300 * 2 and dark > 500  # the page's width on the phone, with its heading drawn
        page.tap("#next")
        expect(page.locator("#page-number")).to_have_text("Trang 2 / 2")
        page.wait_for_function("() => document.getElementById('page').dataset.rendered === '2'")
        assert refused == []
    finally:
        context.close()


def state(server) -> dict:
    return requests.get(server.url + "/api/state", timeout=10).json()


def batch_now(server) -> frozenset[int]:
    """The honouree ids of the awards batch being called (its decision, then its names), or none."""
    award = state(server)["award"]
    return frozenset(h["id"] for h in (award or {}).get("honourees", []))


def back_before_the_first_item(server) -> None:
    while state(server)["award"] is not None:
        server.office.press("/api/awards/previous")
    server.office.press("/api/show/goto", position=1)
    server.office.press("/api/show/previous")


def go_to_the_awards(server) -> None:
    awards = next(item for item in state(server)["agenda"] if item["kind"] == "awards")
    server.office.press("/api/show/goto", position=awards["position"])


def next_batch(server) -> frozenset[int]:
    """Press Next in the awards until another batch is called; its honouree ids (empty at their end)."""
    here = batch_now(server)
    for _ in range(3):  # the decision, its names, then the next batch's decision
        server.office.press("/api/awards/next")
        called = batch_now(server)
        if called != here:
            return called
    return frozenset()


def awards_batches(server) -> list[frozenset[int]]:
    """Each batch's honouree ids, in the order the MC calls them; the show is put back before its start."""
    go_to_the_awards(server)
    batches = []
    while batch := next_batch(server):
        batches.append(batch)
    back_before_the_first_item(server)
    return batches


def test_the_phone_calls_its_delegate_to_the_stage_with_their_batch_and_no_other(chromium, server, delegates):
    from playwright.sync_api import expect
    catalogue = server.office.get(server.url + "/api/award-decisions", timeout=10).json()
    receiver = {h["id"]: h["delegate_id"] for decision in catalogue["decisions"] for h in decision["honourees"]}
    batches = awards_batches(server)
    in_batch = [{receiver[h] for h in batch if receiver[h] is not None} for batch in batches]
    first = next(i for i, found in enumerate(in_batch) if found)
    later = next(i for i in range(first + 1, len(batches)) if in_batch[i] - in_batch[first])
    honoured = min(in_batch[first] - in_batch[later])  # called with the first batch, not the later one
    other = min(in_batch[later] - in_batch[first])  # called with the later batch only
    code = {delegate["id"]: delegate["badge_code"] for delegate in delegates}
    (honoured_context, honoured_phone), (other_context, other_phone) = phone(chromium), phone(chromium)
    try:
        for page, delegate in ((honoured_phone, honoured), (other_phone, other)):
            page.goto(f"{server.url}/me/{code[delegate]}")
            page.wait_for_function("() => document.getElementById('me').dataset.version")
            expect(page.locator("#me-call")).to_be_hidden()
        go_to_the_awards(server)
        for index in range(later + 1):
            assert next_batch(server) == batches[index]
            if index not in (first, later):
                continue
            called, passed_over = (honoured_phone, other_phone) if index == first else (other_phone, honoured_phone)
            expect(called.locator("#me-call-you")).to_be_visible()
            expect(called.locator("#me-call-you")).to_have_text("Mời đồng chí lên nhận khen thưởng.")
            expect(called.locator("#me-call")).to_have_attribute("data-mine", "true")
            expect(passed_over.locator("#me-call")).to_have_attribute("data-mine", "false")  # the batch, not them
            expect(passed_over.locator("#me-call")).to_be_visible()
            expect(passed_over.locator("#me-call-you")).to_be_hidden()
    finally:
        back_before_the_first_item(server)
        honoured_context.close()
        other_context.close()


def projector_qr(page) -> list[str]:
    """The standby screen's phone QR, as a phone's camera would read it off the projector."""
    page.wait_for_function("() => { const img = document.querySelector('#me-qr img');"
                           " return img.complete && img.naturalWidth > 0; }")
    shot = Image.open(io.BytesIO(page.locator("#me-qr img").screenshot()))
    return [found.text for found in zxingcpp.read_barcodes(shot, formats=zxingcpp.BarcodeFormat.QRCode)]


def set_venue(server, address: str) -> None:
    answer = server.office.post(server.url + "/admin/documents/venue-address", timeout=10,
                                data={"csrf_token": server.office.csrf, "address": address}, allow_redirects=False)
    assert answer.status_code == 303, answer.text


def test_the_standby_screen_shows_the_qr_of_the_delegates_page_at_the_venue_s_address(chromium, server):
    from playwright.sync_api import expect
    context = chromium.new_context(viewport={"width": 1920, "height": 1080})
    hall = context.new_page()
    try:
        hall.goto(f"{server.url}/display")
        hall.wait_for_function("() => document.getElementById('hall').dataset.mode !== 'loading'")
        expect(hall.locator("#me-qr")).to_be_hidden()  # live: the programme only
        server.office.press("/api/show/screen", screen="standby")
        expect(hall.locator("#hall")).to_have_attribute("data-screen", "standby")
        expect(hall.locator("#me-qr")).to_be_visible()
        # No venue's address yet: the page at the address the projector opened.
        assert projector_qr(hall) == [f"{server.url}/me"]
        expect(hall.locator("#me-qr strong")).to_have_text(f"{server.url.split('://', 1)[1]}/me")
        set_venue(server, "192.168.1.10:5000")
        hall.reload()
        expect(hall.locator("#hall")).to_have_attribute("data-screen", "standby")
        assert projector_qr(hall) == ["http://192.168.1.10:5000/me"]
        expect(hall.locator("#me-qr strong")).to_have_text("192.168.1.10:5000/me")
    finally:
        set_venue(server, "")
        server.office.press("/api/show/screen", screen="live")
        context.close()


def test_the_page_up_of_the_report_s_slides_shows_beside_the_item_while_the_projectors_show_it(
        chromium, server, delegates):
    from playwright.sync_api import expect
    attached = server.office.post(server.url + "/admin/stage/decks", timeout=20, data={
        "csrf_token": server.office.csrf, "place": "6"}, files={"file": ("bao-cao.pdf", deck(12), "application/pdf")})
    assert "bao-cao.pdf" in attached.text
    context, page = phone(chromium)
    try:
        server.office.press("/api/show/goto", position=5)
        page.goto(f"{server.url}/me/{delegates[3]['badge_code']}")
        expect(page.locator("#now-kicker")).to_have_text("Mục 5")
        expect(page.locator("#now-slide")).to_be_hidden()
        server.office.press("/api/show/goto", position=6)
        expect(page.locator("#now-slide")).to_have_text("Trang 1 / 12")
        expect(page.locator("#now-slide")).to_be_visible()
        server.office.press("/api/stage/slide/next", **{"from": 1})
        expect(page.locator("#now-slide")).to_have_text("Trang 2 / 12")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        server.office.press("/api/stage/slides", shown=False)  # the agenda screen: no page to follow
        expect(page.locator("#now-slide")).to_be_hidden()
    finally:
        context.close()
