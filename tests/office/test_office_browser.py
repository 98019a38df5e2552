"""The office in a real browser: importing a spreadsheet, and the dashboard following a check-in live."""
from __future__ import annotations

import io

import pytest
import requests
from openpyxl import Workbook

from tests.conftest import bearer

pytestmark = [pytest.mark.browser, pytest.mark.slow]
HOSTILE = "<img src=x onerror=alert(1)> Hà"


def sign_in(server, page) -> None:
    page.goto(server.url + "/login")
    page.fill("#login", "admin")
    page.fill("#password", server.admin_password)
    page.click("button[type=submit]")
    page.wait_for_url(server.url + "/admin")


def workbook_file(path):
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH ĐẠI BIỂU BỔ SUNG"])
    sheet.append([])
    sheet.append(["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Thành phần"])
    sheet.append([1, "Võ Thị Bích Ngọc", "Tổ phó", "Tổ dân phố 6", "Tổ dân phố"])
    sheet.append([2, " Đoàn  Văn Đạt ", "Đội trưởng", "Đội dân phòng", "Tổ dân phố"])
    sheet.append([3, HOSTILE, None, "Tổ dân phố 7", None])
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    return path


def expected(server) -> int:
    return requests.get(server.url + "/api/state", timeout=5).json()["attendance"]["expected"]


def test_the_office_previews_then_imports_a_spreadsheet_in_the_browser(live_server, page, tmp_path):
    from playwright.sync_api import expect
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: errors.append("dialog: " + dialog.message))  # an injected alert()
    before = expected(live_server)
    sign_in(live_server, page)
    page.goto(live_server.url + "/admin/import")
    page.set_input_files("#upload-form input[type=file]", str(workbook_file(tmp_path / "bo-sung.xlsx")))
    page.click("#upload-form button[type=submit]")
    expect(page.locator("#import-ready")).to_contain_text("3")
    rows = page.locator("table.import-rows tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(1)).to_contain_text("Đoàn Văn Đạt")
    expect(rows.nth(2).locator("td").nth(1)).to_have_text(HOSTILE)
    assert expected(live_server) == before  # the preview wrote nothing

    page.click("#import-confirm")
    expect(page.locator(".flash-ok")).to_contain_text("Đã nhập 3 đại biểu")
    expect(page.locator("table.delegates")).to_contain_text("Võ Thị Bích Ngọc")
    expect(page.locator("table.delegates td a", has_text="onerror")).to_have_text(HOSTILE)
    assert expected(live_server) == before + 3
    assert not errors


def test_a_broken_spreadsheet_shows_each_bad_row_in_the_browser(live_server, page, tmp_path):
    from playwright.sync_api import expect
    before = expected(live_server)
    sign_in(live_server, page)
    broken = tmp_path / "loi.csv"
    broken.write_bytes("\ufeffHọ và tên,Thành phần\r\nNguyễn Văn A,Không có nhóm này\r\n,Tổ dân phố\r\n".encode())
    page.goto(live_server.url + "/admin/import")
    page.set_input_files("#upload-form input[type=file]", str(broken))
    page.click("#upload-form button[type=submit]")
    expect(page.locator("#import-errors-title")).to_contain_text("2")
    expect(page.locator("table.import-errors tbody tr")).to_have_count(2)
    expect(page.locator("#import-confirm")).to_have_count(0)
    assert expected(live_server) == before


def test_the_dashboard_follows_a_check_in_without_a_reload(live_server, page):
    from playwright.sync_api import expect
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    door = live_server.token("door", "Cửa 1")
    sign_in(live_server, page)
    expect(page.locator("#connection")).to_have_attribute("data-state", "online")
    page.wait_for_function("() => document.getElementById('dashboard').dataset.version !== undefined")
    expect(page.locator("#arrivals-chart")).to_have_attribute("data-state", "empty")
    present = int(page.text_content("#present"))
    missing = page.locator("#missing tr[data-id]")
    count = missing.count()
    first = missing.first
    delegate_id = first.get_attribute("data-id")

    answer = requests.post(live_server.url + "/api/checkins", json={"delegate_id": int(delegate_id)},
                           headers=bearer(door), timeout=5)
    assert answer.status_code == 201
    group = answer.json()["delegate"]["group"]

    expect(page.locator("#present")).to_have_text(str(present + 1))
    expect(page.locator("#quorum")).to_have_text(  # the quorum line follows too (docs/OFFICE.md)
        f"Chưa đủ số lượng đại biểu theo quy định: cần 33, có mặt {present + 1}")
    expect(page.locator(f"#missing tr[data-id='{delegate_id}']")).to_have_count(0)
    expect(page.locator("#missing-count")).to_have_text(str(count - 1))
    expect(page.locator("#arrivals-chart")).to_have_attribute("data-state", "drawn")
    expect(page.locator("#arrivals-chart .uplot canvas")).to_have_count(1)
    expect(page.locator("#groups tr", has_text=group).locator("td.num")).to_contain_text("1/")

    # The missing list filters without diacritics (đ as d), all on the page.
    second = page.locator("#missing tr[data-id]").first.locator("td").first.text_content()
    page.fill("#missing-filter", second.split()[-1].lower().replace("đ", "d"))
    expect(page.locator("#missing tr[data-id]").first).to_contain_text(second)
    assert not errors
