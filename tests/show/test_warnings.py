"""Warnings before mistakes: "received in person" for someone the door has not admitted asks first;
a go-to back over what already ran says what it does to the recorded times; the MC and the office
are told when today is not the conference's date."""
from __future__ import annotations

from datetime import date

import pytest
import requests

from conference.core.db import db, utcnow, write_transaction
from conference.core.models import Conference
from conference.core.dates import local_zone

from tests.conftest import bearer


def absent_individual(client, auth) -> dict:
    announcements = client.get("/api/awards", headers=auth("mc")).get_json()["announcements"]
    return next(h for a in announcements for h in a["honourees"] if h["present"] is False and h["kind"] == "individual")


def record(client, auth, honouree_id, **extra):
    return client.post("/api/awards/presentations", headers=auth("mc"),
                       json={"honouree_id": honouree_id, "outcome": "received", **extra})


def test_received_for_someone_not_admitted_asks_first(client, auth):
    person = absent_individual(client, auth)
    before = client.get("/api/state").get_json()["version"]
    refused = record(client, auth, person["id"])
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "not_checked_in"
    assert client.get("/api/state").get_json()["version"] == before  # nothing recorded
    assert record(client, auth, person["id"], confirm="yes").get_json()["error"]["code"] == "invalid_confirm"
    confirmed = record(client, auth, person["id"], confirm=True)
    assert confirmed.status_code == 200 and confirmed.get_json()["honouree"]["outcome"] == "received"


def test_received_for_someone_admitted_needs_no_question(client, auth):
    person = absent_individual(client, auth)
    assert client.post("/api/checkins", json={"delegate_id": person["delegate_id"]},
                       headers=auth("door")).status_code == 201
    assert record(client, auth, person["id"]).status_code == 200
    absent = client.post("/api/awards/presentations", headers=auth("mc"),
                         json={"honouree_id": absent_individual(client, auth)["id"], "outcome": "absent"})
    assert absent.status_code == 200  # only "received" asks


def set_date(app, conference_id, day: date | None) -> None:
    with app.app_context(), write_transaction():
        db.session.get(Conference, conference_id).date = day


def venue_today(app) -> date:
    with app.app_context():
        return utcnow().astimezone(local_zone()).date()


@pytest.mark.parametrize("lang, text", [("vi", "Hôm nay không phải ngày hội nghị (05/03/2020)"),
                                        ("en", "Today is not the conference's date (05/03/2020)")])
def test_the_mc_and_the_office_are_told_when_today_is_not_the_day(app, admin_client, conference_id, lang, text):
    set_date(app, conference_id, date(2020, 3, 5))
    for path in ("/mc", "/admin", "/admin/delegates"):
        page = admin_client.get(f"{path}?lang={lang}").get_data(as_text=True)
        assert 'id="day-notice"' in page and text in page, path
    set_date(app, conference_id, venue_today(app))
    assert 'id="day-notice"' not in admin_client.get("/mc").get_data(as_text=True)
    set_date(app, conference_id, None)  # no date set: nothing to compare with
    assert 'id="day-notice"' not in admin_client.get("/admin").get_data(as_text=True)


@pytest.mark.browser
def test_a_goto_back_says_what_it_does_to_the_times_and_received_asks(page, live_server):
    mc = bearer(live_server.token("mc", "MC 1"))
    requests.post(live_server.url + "/api/show/goto", json={"position": 3}, headers=mc, timeout=5).raise_for_status()
    page.goto(f"{live_server.url}/pair/{live_server.pairing('mc', 'MC 2')}")
    page.wait_for_function("() => document.body.dataset.version")
    items = page.locator("#agenda > li")
    back = items.nth(1).locator(":scope > .agenda-line")
    back.locator(".goto").click()
    warning = back.locator(".goto-warning")
    assert warning.is_visible()
    assert warning.text_content().startswith("Lùi về 2: 3 kết thúc bây giờ, 2 chạy lại từ bây giờ")
    forward = items.nth(5).locator(":scope > .agenda-line")
    forward.locator(".goto").click()
    assert not forward.locator(".goto-warning").is_visible()  # forward: nothing to warn about
    back.locator(".goto").click()
    page.wait_for_function("() => document.getElementById('current-title').textContent.length > 0 && "
                           "!document.body.dataset.busy")
    state = requests.get(live_server.url + "/api/state", timeout=5).json()
    assert state["current"] == 2 and state["agenda"][2]["started_at"] is not None  # item 3's run is kept
    assert state["agenda"][2]["ended_at"] is not None

    # The awards: "Đã nhận" for someone the door has not admitted opens a question first.
    requests.post(live_server.url + "/api/show/goto", json={"position": 5}, headers=mc, timeout=5)
    for _ in range(2):
        requests.post(live_server.url + "/api/awards/next", headers=mc, timeout=5)
    page.wait_for_selector("#award-panel .aw-row.aw-not-in-hall")
    row = page.locator("#award-panel .aw-row.aw-not-in-hall").first
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    row.get_by_role("button", name="Đã nhận", exact=True).click()
    page.wait_for_timeout(300)
    assert asked and "Cửa chưa ghi nhận" in asked[0]
    honouree_id = int(row.get_attribute("data-honouree-id"))
    award = requests.get(live_server.url + "/api/state", timeout=5).json()["award"]
    assert next(h for h in award["honourees"] if h["id"] == honouree_id)["outcome"] is None  # declined
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Đã nhận", exact=True).click()
    page.wait_for_function(f"() => document.querySelector('[data-honouree-id=\"{honouree_id}\"] .done-received')")
