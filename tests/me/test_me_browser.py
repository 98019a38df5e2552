"""The delegate's page in a real browser at a phone's size (390x844, mobile, touch), against one
real server: light on the first visit, following the MC within a second; a second phone refused
until the office releases the first in two taps; a document drawn by PDF.js on the page's canvas;
the page of the report's slides beside the current item while the projectors show them."""
from __future__ import annotations

import time

import pytest
import requests

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
