"""The door's search puts name matches first, then matches on the unit (docs/DOOR.md): on the
server (GET /api/delegates) and on the tablet (the roster kept offline), ranked the same way."""
from __future__ import annotations

import pytest

from conference.checkin.roster import match_rank

from tests.conftest import bearer

# Vietnamese name order alone would put "Âu Văn Bảo" (unit "Xuyên Mộc") before "Lê Thị Xuyến".
PEOPLE = [("Âu Văn Bảo", "Hợp tác xã Xuyên Mộc"), ("Trần Xuân Xuyên", "Tổ dân phố 3"),
          ("Hà Thị Xuyên", "Tổ dân phố 4"), ("Nguyễn Văn Xuyên", "Trường Mầm non Xuyên Á")]
# The three name matches in Vietnamese name order (given name, middle, family), then the unit match.
EXPECTED = ["Hà Thị Xuyên", "Nguyễn Văn Xuyên", "Trần Xuân Xuyên", "Âu Văn Bảo"]


def add_people(post) -> None:
    for name, unit in PEOPLE:
        answer = post({"full_name": name, "unit": unit})
        assert answer in (200, 201), answer


@pytest.mark.parametrize("name, words, rank", [
    ("Lê Thị Xuyến", ["le", "thi", "xuyen"], 0), ("Lê Thị Xuyến", ["xuy"], 1), ("Lê Thị Xuyến", ["uye"], 2),
    ("Âu Văn Bảo", ["xuyen"], 3), ("Âu Văn Bảo", [], 0)])
def test_the_rank_of_a_match(name, words, rank):
    assert match_rank(name, words) == rank


def test_the_server_lists_name_matches_before_unit_matches(client, auth):
    add_people(lambda body: client.post("/api/delegates", json=body, headers=auth("admin")).status_code)
    for query in ("xuyen", "uyen"):  # (demo names such as Nguyễn match "uyen" too) the start of a word of the name, or inside it
        found = client.get("/api/delegates", query_string={"q": query}, headers=auth("door")).get_json()["delegates"]
        assert [d["full_name"] for d in found if d["full_name"] in EXPECTED] == EXPECTED, query


@pytest.mark.browser
def test_the_tablet_lists_name_matches_before_unit_matches(page, live_server):
    import requests
    from playwright.sync_api import expect
    admin = bearer(live_server.token("admin"))
    add_people(lambda body: requests.post(live_server.url + "/api/delegates", json=body, headers=admin,
                                          timeout=10).status_code)
    page.goto(f"{live_server.url}/pair/{live_server.pairing('door', 'Cửa 1')}")
    page.wait_for_function("() => window.door && window.door.roster.size > 0")
    for query in ("xuyen", "uyen"):
        page.fill("#search", query)
        names = page.locator("#results .person-name")
        expect(names.first).to_be_visible()
        page.wait_for_function("() => document.querySelectorAll('#results .person-name').length >= 4")
        assert [name for name in names.all_text_contents() if name in EXPECTED] == EXPECTED, query
