"""The seating chart page in a real browser: pick a delegate, click an empty seat of the hall's grid,
and the delegate sits there; the × of a seat frees it. Plain forms (the seat buttons belong to the
assign form through their form attribute): no script is needed, and none fails."""
from __future__ import annotations

import pytest

from tests.office.test_office_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_delegate_is_seated_by_clicking_an_empty_seat_and_the_seat_is_freed_by_its_cross(live_server, page):
    from playwright.sync_api import expect
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    sign_in(live_server, page)
    page.goto(live_server.url + "/admin/seating")
    seat = page.locator('[data-seat="A5-3"]')
    expect(seat).to_contain_text("trống")
    option = page.locator("#assign-delegate option", has_text="Lê Văn Toàn")
    before = option.inner_text().split("(")[1].rstrip(")")  # "Lê Văn Toàn (C2-2)": the seat they have
    page.select_option("#assign-delegate", value=option.get_attribute("value"))
    seat.locator(".seat-pick").click()
    expect(page.locator(".flash-ok")).to_contain_text("Lê Văn Toàn: Khu A · Hàng 5 · Ghế 3")
    expect(page.locator('[data-seat="A5-3"] .seat-name')).to_have_text("Lê Văn Toàn")
    expect(page.locator(f'[data-seat="{before}"]')).to_contain_text("trống")  # the seat they left is free
    page.locator('[data-seat="A5-3"] .seat-clear').click()
    expect(page.locator(".flash-ok")).to_contain_text("Lê Văn Toàn chưa có ghế")
    expect(page.locator('[data-seat="A5-3"]')).to_contain_text("trống")
    expect(page.locator("#unseated")).to_contain_text("Lê Văn Toàn")
    assert not errors
