"""In a real browser: the office prepares a conference that is not active, end to end (it creates it,
opens it with the chooser, imports its delegates from an .xlsx, prints its badges and invitations,
adds an award form on the awards page),
while a paired door and the projector keep serving the active one (docs/OFFICE.md, "A conference's
year"). One server, one projector page, one door and one office tab for the whole module."""
from __future__ import annotations

import io
import re
import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.conftest import LiveServer, lanes

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DEMO = "Hội nghị Điển hình tiên tiến phường An Tân"
NEXT_YEAR = "Hội nghị tổng kết năm 2027"
NEWCOMERS = ["Lương Thị Thu Hà", "Triệu Văn Khải", "Mạc Thị Yến"]
WAIT = 15000  # ms: a loaded CI machine answers an import or a print slowly


@pytest.fixture(scope="module")
@lanes("slow")
def server(tmp_path_factory):
    running = LiveServer(tmp_path_factory.mktemp("office-year") / "instance").start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def screens(server, chromium):
    """The projector and a door paired in its browser, both on the active conference (the demo), and
    the office signed in, in a browser of its own."""
    projector = chromium.new_context(viewport={"width": 1280, "height": 720}).new_page()
    projector.goto(f"{server.url}/display")
    expect(projector.locator("#conference-title")).to_have_text(DEMO, timeout=15000)
    door = chromium.new_context(viewport={"width": 1024, "height": 768}).new_page()
    door.goto(f"{server.url}/pair/{server.pairing('door', 'Cửa chính')}")
    expect(door.locator("#attendance")).to_have_text("0/65", timeout=15000)
    office = chromium.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True).new_page()
    office.goto(f"{server.url}/login")
    office.fill("#login", "admin")
    office.fill("#password", server.admin_password)
    office.click("button[type=submit]")
    office.wait_for_url(f"{server.url}/admin")
    yield {"projector": projector, "door": door, "office": office}
    for page in (projector, door, office):
        page.context.close()


def newcomers_workbook(path):
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH ĐẠI BIỂU HỘI NGHỊ TỔNG KẾT NĂM 2027"])
    sheet.append([])
    sheet.append(["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Thành phần"])
    for number, name in enumerate(NEWCOMERS, start=1):
        sheet.append([number, name, "Tổ trưởng", f"Tổ dân phố {number}", None])
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    return path


def pdf_text(data: bytes, tmp_path, name: str) -> str:
    assert data[:5] == b"%PDF-"
    (tmp_path / name).write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(tmp_path / name), "-"], capture_output=True, text=True,
                          check=True).stdout


def printed(office, link: str, tmp_path, name: str) -> str:
    """Print from the papers page as the office does: the link's address (which must name the
    conference), then the PDF it answers, read back."""
    address = office.locator(link).get_attribute("href")
    assert parse_qs(urlsplit(address).query)["conference"] == ["2"], address
    with office.expect_download(timeout=30000) as download:
        office.click(link)
    return pdf_text(open(download.value.path(), "rb").read(), tmp_path, name)


def test_the_office_prepares_a_conference_while_the_screens_serve_the_active_one(server, screens, tmp_path):
    office, door, projector = screens["office"], screens["door"], screens["projector"]
    errors = []
    office.on("pageerror", lambda error: errors.append(str(error)))

    # Prepare: a new conference, opened with the chooser; the frame says it is not active.
    office.goto(f"{server.url}/admin/conferences")
    office.fill("#new-conference input[name=title]", NEXT_YEAR)
    office.click("#new-conference button[type=submit]")
    office.select_option("#conference-chooser", "2")
    office.click(".conference-chooser button[type=submit]")
    expect(office.locator("#working-title")).to_have_text(NEXT_YEAR, timeout=WAIT)
    expect(office.locator("#working-preparing")).to_be_visible(timeout=WAIT)
    assert "conference=2" in office.url

    # Import its delegates from a spreadsheet, reached through the menu (the tab stays on it).
    office.click(".admin-nav a[href^='/admin/import']")
    office.set_input_files("#upload-form input[type=file]", str(newcomers_workbook(tmp_path / "dai-bieu-2027.xlsx")))
    office.click("#upload-form button[type=submit]")
    expect(office.locator("#import-ready")).to_contain_text("3", timeout=WAIT)
    office.click("#import-confirm")
    expect(office.locator("#working-title")).to_have_text(NEXT_YEAR, timeout=WAIT)
    for name in NEWCOMERS:
        expect(office.locator("main")).to_contain_text(name, timeout=WAIT)
    office.fill("input[name=q]", "Khải")  # the search (a GET form) stays on the conference too
    office.press("input[name=q]", "Enter")
    office.wait_for_url(re.compile(r"[?&]q=Kh"), timeout=WAIT)
    assert parse_qs(urlsplit(office.url).query)["conference"] == ["2"], office.url
    expect(office.locator("main")).to_contain_text("Triệu Văn Khải", timeout=WAIT)
    expect(office.locator("main")).not_to_contain_text("Mạc Thị Yến", timeout=WAIT)
    expect(office.locator("#working-title")).to_have_text(NEXT_YEAR, timeout=WAIT)

    # Its papers: badges and invitations of its delegates, none of the active conference's.
    office.click(".admin-nav a[href^='/admin/papers']")
    badges = printed(office, "#badges-all", tmp_path, "the.pdf")
    invitations = printed(office, "#invitations-all", tmp_path, "giay-moi.pdf")
    for text in (badges, invitations):
        assert all(name in text for name in NEWCOMERS), text[:500]
        assert "Nguyễn" not in text  # the demo's delegates (many a Nguyễn) are not in them

    # Its awards, set up on the awards page, whose script works through /api on the page's conference.
    # The page's script asks for its lists once it handles the forms (before, a submit is a plain GET).
    with office.expect_response(lambda response: "/api/award-decisions" in response.url, timeout=WAIT):
        office.click(".admin-nav a[href^='/admin/awards']")
    expect(office.locator("#working-preparing")).to_be_visible(timeout=WAIT)
    office.fill("#aw-form-new input[name=name]", "Giấy khen năm 2027")
    office.fill("#aw-form-new input[name=rank]", "2")
    office.click("#aw-form-new button[type=submit]")
    expect(office.locator("#aw-status")).to_have_class(re.compile(r"\bok\b"), timeout=WAIT)
    expect(office.locator("#aw-forms input[name=name]").last).to_have_value("Giấy khen năm 2027", timeout=WAIT)
    listed = {conference: [form["name"] for form in office.request.get(
        f"{server.url}/api/award-forms?conference={conference}").json()["forms"]] for conference in (1, 2)}
    assert "Giấy khen năm 2027" in listed[2] and "Giấy khen năm 2027" not in listed[1]

    # Meanwhile the screens serve the active one: the door checks in a demo badge, the projector
    # still shows the demo's title, and the demo's roster did not grow.
    from tests.checkin.test_door_browser import expect_result, wedge
    demo_delegates = office.request.get(f"{server.url}/api/delegates").json()["delegates"]  # no conference named
    assert len(demo_delegates) == 65 and not {d["full_name"] for d in demo_delegates} & set(NEWCOMERS)
    door.wait_for_function("() => window.door && window.door.roster.size > 0", timeout=15000)
    wedge(door, demo_delegates[0]["badge_code"])
    expect_result(door, "ok")
    expect(door.locator("#attendance")).to_have_text("1/65", timeout=10000)
    expect(projector.locator("#conference-title")).to_have_text(DEMO, timeout=WAIT)
    state = requests.get(f"{server.url}/api/state", timeout=10).json()
    assert state["conference"]["title"] == DEMO and state["attendance"]["present"] == 1
    assert errors == []
