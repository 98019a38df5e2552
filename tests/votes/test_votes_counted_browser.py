"""The votes the MC counts, in real browsers: on the MC console's vote card, a show of hands is
opened, its counts entered and closed, and the projector shows the result; paper ballots are
entered twice, the close refuses two entries that differ, naming the choice, and takes them once
they agree; an election tied at its last place says so on the console, the projector and the phones."""
from __future__ import annotations

import pytest
import requests

from tests.conftest import LiveServer, lanes
from tests.votes.helpers import checked_in_on_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PRESENT = 6


@pytest.fixture(scope="module")
@lanes("slow")
def server(tmp_path_factory):
    live = LiveServer(tmp_path_factory.mktemp("votes") / "instance").start()
    live.codes = checked_in_on_server(live, PRESENT)
    mc = {"Authorization": f"Bearer {live.token('mc')}"}
    # The vote is tied to the item running: the projector shows its result while that item runs.
    requests.post(f"{live.url}/api/show/goto", json={"position": 1}, headers=mc, timeout=10).raise_for_status()
    yield live
    live.stop()


@pytest.fixture
def screens(chromium, server):
    """The MC console (a laptop) and the projector (1920x1080)."""
    console_context = chromium.new_context(viewport={"width": 1440, "height": 900})
    hall_context = chromium.new_context(viewport={"width": 1920, "height": 1080})
    console, hall = console_context.new_page(), hall_context.new_page()
    console.goto(f"{server.url}/pair/{server.pairing('mc')}")
    hall.goto(f"{server.url}/display")
    yield console, hall
    console_context.close()
    hall_context.close()


def open_on_the_card(console, question: str, method: str, candidates: int | None = None) -> None:
    console.fill("#vote-question", question)
    console.select_option("#vote-method", method)
    if candidates is not None:
        console.check("#vote-candidates")
        console.fill("#vote-max", str(candidates))
    console.click("#vote-open-button")


def enter(console, *counts: int) -> None:
    """Type a count per choice, in the choices' order, and send them."""
    fields = console.locator("#vote-hands-fields input")
    for index, count in enumerate(counts):
        fields.nth(index).fill(str(count))
    console.locator("#vote-hands button[type=submit]").click()


def test_a_show_of_hands_from_the_card_to_the_projector(screens):
    from playwright.sync_api import expect
    console, hall = screens
    open_on_the_card(console, "Thông qua chương trình hội nghị", "hands")
    expect(console.locator("#vote-cast")).to_have_text(
        f"Giơ tay: nhập số cho từng phương án, trên {PRESENT} đại biểu có mặt")
    expect(hall.locator("#vote-progress")).to_have_text("Biểu quyết bằng giơ tay")
    expect(console.locator("#vote-entry")).to_be_hidden()  # one entry for a show of hands
    expect(console.locator("#vote-hands-fields input")).to_have_count(3)
    console.click("#vote-close")  # before the counts: refused, and the vote stays open
    expect(console.locator("#vote-error")).to_have_text("Chưa nhập số giơ tay cho cuộc biểu quyết này.")
    enter(console, 7, 0, 0)  # more hands than delegates present
    expect(console.locator("#vote-error")).to_contain_text(str(PRESENT))
    enter(console, 4, 1, 1)
    expect(console.locator("#vote-error")).to_have_text("")
    expect(console.locator("#vote-hands-fields input").first).to_have_value("4")  # kept for a correction
    expect(hall.locator("#vote-results")).to_have_count(0)  # nothing on the projector before the close
    console.click("#vote-close")
    expect(console.locator("#vote-outcome")).to_have_text("Thông qua")
    expect(console.locator("#vote-result li").first).to_have_text(f"Tán thành: 4/{PRESENT} (66,7%)")
    expect(console.locator("#vote-hands")).to_be_hidden()
    expect(hall.locator("#vote-outcome")).to_have_text("Thông qua")
    expect(hall.locator("#vote-results li")).to_have_count(3)
    expect(hall.locator("#vote-results li").first).to_contain_text(f"4/{PRESENT}")
    expect(hall.locator("#vote-results li").first).to_contain_text("66,7%")
    expect(hall.locator("#vote-results li").nth(1)).to_contain_text(f"1/{PRESENT}")


def test_paper_ballots_entered_twice_close_only_when_both_entries_agree(screens):
    from playwright.sync_api import expect
    console, hall = screens
    open_on_the_card(console, "Thông qua danh sách đại biểu đi dự hội nghị cấp trên", "paper")
    expect(hall.locator("#vote-progress")).to_have_text("Biểu quyết bằng phiếu giấy")
    expect(console.locator("#vote-cast")).to_contain_text("đã nhập 0/2 lần")
    expect(console.locator("#vote-entry")).to_be_visible()
    enter(console, 5, 1, 0)  # the first person's count
    expect(console.locator("#vote-cast")).to_contain_text("đã nhập 1/2 lần")
    for field in console.locator("#vote-hands-fields input").all():  # emptied: the second enters blind
        expect(field).to_have_value("")
    console.click("#vote-close")  # one entry is not enough
    expect(console.locator("#vote-error")).to_have_text("Chưa nhập đủ hai lần số phiếu giấy.")
    console.select_option("#vote-entry", "2")
    enter(console, 5, 0, 1)  # the second person's count differs on the second and third choices
    expect(console.locator("#vote-cast")).to_contain_text("đã nhập 2/2 lần")
    console.click("#vote-close")
    expect(console.locator("#vote-error")).to_contain_text("Hai lần nhập không khớp ở phương án “Không tán thành”")
    expect(console.locator("#vote-close")).to_be_visible()  # still open
    expect(hall.locator("#vote-progress")).to_have_text("Biểu quyết bằng phiếu giấy")
    enter(console, 5, 1, 0)  # the ballots counted again: the second entry now agrees
    expect(console.locator("#vote-error")).to_have_text("")
    console.click("#vote-close")
    expect(console.locator("#vote-outcome")).to_have_text("Thông qua")
    expect(console.locator("#vote-error")).to_have_text("")
    expect(hall.locator("#vote-outcome")).to_have_text("Thông qua")
    expect(hall.locator("#vote-results li").first).to_contain_text(f"5/{PRESENT}")
    expect(hall.locator("#vote-results li").nth(1)).to_contain_text(f"1/{PRESENT}")


def test_an_election_tied_at_its_last_place_says_so_on_the_card_the_projector_and_a_phone(chromium, server, screens):
    from playwright.sync_api import expect
    console, hall = screens
    phone_context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone = phone_context.new_page()
    phone.goto(f"{server.url}/me/{server.codes[0]}")
    open_on_the_card(console, "Bầu đại biểu đi dự hội nghị cấp trên", "hands", candidates=2)
    fields = console.locator("#vote-hands-fields input")
    expect(fields.first).to_be_visible()
    names = [label.strip() for label in console.locator("#vote-hands-fields label").all_inner_texts()]
    enter(console, 5, 4, 4, *[0] * (len(names) - 3))  # the second place tied between two, both over half
    expect(console.locator("#vote-error")).to_have_text("")
    console.click("#vote-close")
    tied = (f"Bằng phiếu ở vị trí trúng cử cuối cùng: {names[1]}, {names[2]}. Chưa ai trong số này trúng cử; "
            "cần bầu lại giữa những người này cho 1 chỗ còn lại.")
    expect(console.locator("#vote-outcome")).to_have_text(f"Trúng cử: {names[0]}")
    expect(console.locator("#vote-tied")).to_have_text(tied)
    expect(hall.locator("#vote-outcome")).to_have_text(f"Trúng cử: {names[0]}")
    expect(hall.locator("#vote-tied")).to_have_text(tied)
    expect(hall.locator("#vote-tied")).to_be_in_viewport(ratio=1)  # below the results, still on the screen
    expect(phone.locator("#vote-outcome")).to_have_text(f"Trúng cử: {names[0]}")
    expect(phone.locator("#vote-tied")).to_have_text(tied)
    phone_context.close()
