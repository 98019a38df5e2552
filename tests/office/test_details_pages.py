"""The office's set-up pages: who may open them, and each change is made once, published, or refused whole."""
from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from conference.core.db import db
from conference.core.models import (AgendaItem, Badge, Candidate, CheckIn, Conference, Delegate, DelegateGroup,
                                    Device, Role)

from tests.conftest import bearer, page_csrf_token

ADMIN_PAGES = ["/admin", "/admin/attendance.json", "/admin/conference", "/admin/agenda", "/admin/agenda/1",
               "/admin/groups", "/admin/delegates", "/admin/delegates/new", "/admin/delegates/1",
               "/admin/delegates/1/badge.pdf", "/admin/import", "/admin/candidates", "/admin/devices",
               "/admin/papers", "/admin/badges.pdf", "/admin/exports/attendance.xlsx",
               "/admin/exports/attendance.csv", "/admin/exports/minutes.docx"]


def version(client) -> int:
    return client.get("/api/state").get_json()["version"]


def form(client, url: str, **data):
    return client.post(url, data={"csrf_token": client.csrf_token, **data})


def one(app, statement):
    with app.app_context():
        found = db.session.scalar(statement)
        if found is not None:
            db.session.expunge(found)
        return found


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_only_the_office_may_open_admin_pages(app, admin_client, pairings, url):
    anonymous = app.test_client()
    answer = anonymous.get(url)
    assert answer.status_code == 302 and "/login?next=" in answer.headers["Location"]
    for role in ("door", "mc", "display"):
        paired = app.test_client()
        assert paired.get(f"/pair/{pairings[role]}").status_code == 302
        assert paired.get(url).status_code == 302
    assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/admin/conference", "/admin/groups", "/admin/delegates/new",
                                 "/admin/devices", "/admin/candidates", "/admin/agenda"])
def test_a_form_post_from_a_door_tablet_changes_nothing(app, pairings, url):
    paired = app.test_client()
    paired.get(f"/pair/{pairings['door']}")
    token = page_csrf_token(paired.get("/door").get_data(as_text=True))
    before = version(paired)
    answer = paired.post(url, data={"csrf_token": token, "title": "X", "name": "X", "full_name": "X",
                                    "role": "admin", "award_batch_size": "3"})
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]
    assert version(paired) == before


def test_conference_details_are_saved_and_published(admin_client, app, conference_id):
    before = version(admin_client)
    answer = form(admin_client, "/admin/conference", title="Hội nghị Điển hình tiên tiến phường An Tân",
                  edition="Lần thứ V", period="2025-2030", organiser="UBND phường An Tân", place_name="An Tân",
                  venue="Hội trường mới", date="2025-02-07", starts_at="7:45", chair="Mai Anh Hùng",
                  secretary="Lê Thị Ngọc Diệp", award_batch_size="8")
    assert answer.status_code == 303
    state = admin_client.get("/api/state").get_json()
    assert state["version"] == before + 1
    assert state["conference"]["edition"] == "Lần thứ V" and state["conference"]["date"] == "2025-02-07"
    assert state["conference"]["starts_at"] == "07:45" and state["conference"]["venue"] == "Hội trường mới"


@pytest.mark.parametrize("field, value, message", [
    ("title", "   ", "Cần nhập"), ("date", "05/03/2020", "Ngày không hợp lệ"), ("starts_at", "25:00", "giờ:phút"),
    ("award_batch_size", "0", "từ 1 đến 50"), ("award_batch_size", "sáu", "số nguyên"), ("venue", "V" * 201, "dài quá"),
])
def test_bad_conference_details_are_refused_and_nothing_changes(admin_client, app, conference_id, field, value,
                                                                 message):
    good = {"title": "Tên", "award_batch_size": "6", "date": "2020-03-05", "starts_at": "07:30"}
    before = admin_client.get("/api/state").get_json()
    answer = form(admin_client, "/admin/conference", **{**good, field: value})
    assert answer.status_code == 400
    assert message in answer.get_data(as_text=True)
    after = admin_client.get("/api/state").get_json()
    assert after["version"] == before["version"] and after["conference"] == before["conference"]


def test_agenda_items_are_reordered_and_edited_before_the_show(admin_client, app, conference_id):
    first = one(app, sa.select(AgendaItem).where(AgendaItem.position == 1))
    second = one(app, sa.select(AgendaItem).where(AgendaItem.position == 2))
    assert form(admin_client, f"/admin/agenda/{first.id}/move", direction="down").status_code == 303
    titles = [item["title"] for item in admin_client.get("/api/state").get_json()["agenda"]]
    assert titles[:2] == [second.title, first.title]
    answer = form(admin_client, f"/admin/agenda/{first.id}", title="Chào cờ (Quốc ca)", presenter="Ban tổ chức",
                  planned_minutes="4", kind="flag", script="Kính mời {present}/{expected} đại biểu đứng dậy.")
    assert answer.status_code == 303
    moved = next(i for i in admin_client.get("/api/state").get_json()["agenda"] if i["position"] == 2)
    assert moved["title"] == "Chào cờ (Quốc ca)" and moved["planned_minutes"] == 4
    assert moved["script"] == "Kính mời {present}/{expected} đại biểu đứng dậy."


def test_once_the_show_started_the_order_is_locked_but_wording_can_be_fixed(admin_client, app, auth,
                                                                             conference_id):
    admin_client.post("/api/show/next", headers=auth("mc"))
    item = one(app, sa.select(AgendaItem).where(AgendaItem.position == 3))
    before = version(admin_client)
    for url in (f"/admin/agenda/{item.id}/move", f"/admin/agenda/{item.id}/delete"):
        refused = form(admin_client, url, direction="up")
        assert refused.status_code == 409 and "đã bắt đầu" in refused.get_data(as_text=True)
    assert form(admin_client, "/admin/agenda", title="Mục thêm").status_code == 409
    assert version(admin_client) == before
    assert form(admin_client, f"/admin/agenda/{item.id}", title="Báo cáo tổng kết (sửa lỗi chính tả)",
                kind=item.kind.value).status_code == 303
    assert admin_client.get("/api/state").get_json()["agenda"][2]["title"] == "Báo cáo tổng kết (sửa lỗi chính tả)"


def test_steps_are_added_moved_and_removed_with_positions_kept_dense(admin_client, app, conference_id):
    talks = one(app, sa.select(AgendaItem).where(AgendaItem.kind == "talks"))
    url = f"/admin/agenda/{talks.id}/steps"
    assert form(admin_client, url, title="Tham luận: Hội Nông dân", presenter="Y Blim Niê",
                planned_minutes="7").status_code == 303
    steps = lambda: next(i for i in admin_client.get("/api/state").get_json()["agenda"]  # noqa: E731
                         if i["position"] == talks.position)["steps"]
    added = steps()[-1]
    assert added["presenter"] == "Y Blim Niê" and added["position"] == len(steps())
    with app.app_context():
        from conference.core.models import AgendaStep
        step_ids = list(db.session.scalars(sa.select(AgendaStep.id).where(AgendaStep.item_id == talks.id)
                                           .order_by(AgendaStep.position)))
    assert form(admin_client, f"/admin/agenda/steps/{step_ids[-1]}/move", direction="up").status_code == 303
    assert steps()[-2]["presenter"] == "Y Blim Niê"
    assert form(admin_client, f"/admin/agenda/steps/{step_ids[0]}/delete").status_code == 303
    assert [s["position"] for s in steps()] == list(range(1, len(step_ids)))
    assert form(admin_client, f"/admin/agenda/steps/{step_ids[1]}", title="", presenter="x").status_code == 400


def test_groups_are_added_renamed_reordered_and_only_an_empty_one_removed(admin_client, app, conference_id):
    assert form(admin_client, "/admin/groups", name="Khách mời", color="#1E88E5").status_code == 303
    guests = one(app, sa.select(DelegateGroup).where(DelegateGroup.name == "Khách mời"))
    assert guests.color == "#1e88e5"
    duplicate = form(admin_client, "/admin/groups", name="KHACH MOI", color="#000000")
    assert duplicate.status_code == 409 and "Đã có thành phần" in duplicate.get_data(as_text=True)
    assert form(admin_client, "/admin/groups", name="X", color="red").status_code == 400
    assert form(admin_client, f"/admin/groups/{guests.id}/move", direction="up").status_code == 303
    names = [g["name"] for g in admin_client.get("/api/state").get_json()["attendance"]["groups"]]
    assert names[-2] == "Khách mời"
    full = one(app, sa.select(DelegateGroup).where(DelegateGroup.position == 1))
    refused = form(admin_client, f"/admin/groups/{full.id}/delete")
    assert refused.status_code == 409 and "còn" in refused.get_data(as_text=True)
    assert form(admin_client, f"/admin/groups/{guests.id}/delete").status_code == 303
    with app.app_context():
        positions = list(db.session.scalars(sa.select(DelegateGroup.position).order_by(DelegateGroup.position)))
    assert positions == list(range(1, len(positions) + 1))


def test_a_delegate_is_added_and_edited_and_found_by_the_new_unit_without_diacritics(
        admin_client, app, auth, conference_id):
    group = one(app, sa.select(DelegateGroup).where(DelegateGroup.position == 6))
    added = form(admin_client, "/admin/delegates/new", full_name="  Đinh   Thị Hoa ", position="Tổ trưởng",
                 unit="Tổ dân phố 4", group_id=str(group.id), seat="B5-8")
    assert added.status_code == 303
    delegate = one(app, sa.select(Delegate).where(Delegate.full_name == "Đinh Thị Hoa"))
    assert delegate.group_id == group.id and delegate.seat == "B5-8"  # a free seat of the demo's hall
    assert form(admin_client, f"/admin/delegates/{delegate.id}", full_name="Đinh Thị Hoa", unit="Hợp tác xã Đồng Tâm",
                group_id="").status_code == 303
    found = admin_client.get("/api/delegates?q=hop tac xa dong tam", headers=auth("door")).get_json()["delegates"]
    assert [d["full_name"] for d in found] == ["Đinh Thị Hoa"] and found[0]["group"] is None
    bad = form(admin_client, f"/admin/delegates/{delegate.id}", full_name="", unit="x")
    assert bad.status_code == 400 and "Cần nhập “Họ và tên”" in bad.get_data(as_text=True)
    assert form(admin_client, f"/admin/delegates/{delegate.id}", full_name="A", group_id="99999").status_code == 404
    assert one(app, sa.select(Delegate).where(Delegate.id == delegate.id)).unit == "Hợp tác xã Đồng Tâm"


def test_a_reissued_badge_is_refused_at_the_door_and_the_reprint_carries_the_new_code(
        admin_client, app, auth, conference_id):
    from pypdf import PdfReader
    delegate = one(app, sa.select(Delegate).order_by(Delegate.id).limit(1))
    answer = form(admin_client, f"/admin/delegates/{delegate.id}/reissue")
    assert answer.status_code == 303 and "reissued=1" in answer.headers["Location"]
    page = admin_client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "In lại thẻ (PDF)" in page
    new_code = one(app, sa.select(Delegate).where(Delegate.id == delegate.id)).badge_code
    assert new_code != delegate.badge_code
    old = admin_client.post("/api/checkins", json={"code": delegate.badge_code}, headers=auth("door"))
    assert old.status_code == 410
    pdf = admin_client.get(f"/admin/delegates/{delegate.id}/badge.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert new_code in text and delegate.badge_code not in text and delegate.full_name in text
    assert admin_client.post("/api/checkins", json={"code": new_code}, headers=auth("door")).status_code == 201


def test_badges_for_a_group_hold_exactly_that_group(admin_client, app, conference_id):
    from pypdf import PdfReader
    group = one(app, sa.select(DelegateGroup).where(DelegateGroup.position == 1))
    with app.app_context():
        members = set(db.session.scalars(sa.select(Delegate.badge_code).where(Delegate.group_id == group.id)))
        others = set(db.session.scalars(sa.select(Delegate.badge_code).where(Delegate.group_id != group.id)))
    pdf = admin_client.get(f"/admin/badges.pdf?group={group.id}")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert all(code in text for code in members) and not any(code in text for code in others)
    assert admin_client.get("/admin/badges.pdf?group=abc").status_code == 400
    assert admin_client.get("/admin/badges.pdf?group=99999").status_code == 404


def test_removing_a_delegate_removes_their_badges_and_check_in_and_the_count(admin_client, app, auth,
                                                                             conference_id):
    delegate = one(app, sa.select(Delegate).order_by(Delegate.id.desc()).limit(1))
    admin_client.post("/api/checkins", json={"delegate_id": delegate.id}, headers=auth("door"))
    before = admin_client.get("/api/state").get_json()["attendance"]
    assert form(admin_client, f"/admin/delegates/{delegate.id}/delete").status_code == 303
    after = admin_client.get("/api/state").get_json()["attendance"]
    assert (after["present"], after["expected"]) == (before["present"] - 1, before["expected"] - 1)
    with app.app_context():
        assert db.session.get(Delegate, delegate.id) is None
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Badge)
                                 .where(Badge.delegate_id == delegate.id)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)
                                 .where(CheckIn.delegate_id == delegate.id)) == 0
    assert form(admin_client, f"/admin/delegates/{delegate.id}/delete").status_code == 404


def test_candidates_come_from_a_delegate_or_a_typed_name_and_stay_numbered(admin_client, app, conference_id):
    delegate = one(app, sa.select(Delegate).where(Delegate.position.is_not(None)).order_by(Delegate.id).limit(1))
    assert form(admin_client, "/admin/candidates", delegate_id=str(delegate.id)).status_code == 303
    assert form(admin_client, "/admin/candidates", full_name="Rơ Lan Hiếu", title="Già làng").status_code == 303
    listed = admin_client.get("/api/state").get_json()["candidates"]
    assert listed[-2] == {"position": len(listed) - 1, "full_name": delegate.full_name, "title": delegate.position,
                          "unit": delegate.unit}
    assert listed[-1]["full_name"] == "Rơ Lan Hiếu"
    assert form(admin_client, "/admin/candidates", full_name="", delegate_id="").status_code == 400
    last = one(app, sa.select(Candidate).order_by(Candidate.position.desc()).limit(1))
    assert form(admin_client, f"/admin/candidates/{last.id}/move", direction="up").status_code == 303
    first = one(app, sa.select(Candidate).where(Candidate.position == 1))
    assert form(admin_client, f"/admin/candidates/{first.id}/delete").status_code == 303
    listed = admin_client.get("/api/state").get_json()["candidates"]
    assert [c["position"] for c in listed] == list(range(1, len(listed) + 1))
    assert listed[-2]["full_name"] == "Rơ Lan Hiếu"


def test_a_new_device_shows_its_pairing_qr_once_and_that_address_signs_the_tablet_in(admin_client, app,
                                                                                    conference_id):
    created = form(admin_client, "/admin/devices", role="door", label="Cửa chính")
    assert created.status_code == 303
    page = admin_client.get("/admin/devices").get_data(as_text=True)
    address = re.search(r'<code id="pairing-address">([^<]+)</code>', page).group(1)
    assert 'src="data:image/svg+xml;base64,' in page
    code = address.rsplit("/pair/", 1)[1]
    tablet = app.test_client()
    assert tablet.get(f"/pair/{code}").headers["Location"].endswith("/door")
    assert "pairing-address" not in admin_client.get("/admin/devices").get_data(as_text=True)  # shown once
    device = one(app, sa.select(Device).where(Device.label == "Cửa chính"))
    assert form(admin_client, f"/admin/devices/{device.id}", label="Cửa phụ").status_code == 303
    assert form(admin_client, f"/admin/devices/{device.id}", label=" ").status_code == 400
    assert form(admin_client, f"/admin/devices/{device.id}/revoke").status_code == 303
    assert one(app, sa.select(Device).where(Device.id == device.id)).label == "Cửa phụ"
    assert tablet.get("/door").status_code == 302  # revoked: signed out


def test_the_device_list_shows_when_each_device_was_last_connected(admin_client, app, conference_id):
    from conference.accounts.devices import create_device, mark_seen
    with app.app_context():
        seen = create_device(conference_id, Role.DISPLAY, "Màn chiếu hội trường")[0].id
        never = create_device(conference_id, Role.DOOR, "Cửa chưa dùng")[0].id
        mark_seen([seen])
    page = admin_client.get("/admin/devices").get_data(as_text=True)
    assert "Kết nối lần cuối" in page

    def cells(device_id: int) -> list[str]:
        row = re.search(rf'<tr data-id="{device_id}".*?</tr>', page, re.S).group(0)
        return re.findall(r"<td>([^<]*)</td>", row)

    stamp = r"\d\d:\d\d \d\d/\d\d/\d{4}"
    assert re.fullmatch(stamp, cells(seen)[1]) and re.fullmatch(stamp, cells(seen)[2])
    assert cells(never)[2] == "–"
    assert form(admin_client, "/admin/devices", role="root").status_code == 400


def test_the_pairing_address_uses_the_lan_address_when_the_office_browses_on_the_server(admin_client, app,
                                                                                       monkeypatch):
    from conference.accounts import device_pages as admin_devices
    monkeypatch.setattr(admin_devices, "lan_address", lambda: "192.168.1.20")
    form(admin_client, "/admin/devices", role="door", label="Cửa 2")
    page = admin_client.get("/admin/devices", base_url="http://localhost:5000").get_data(as_text=True)
    assert re.search(r'<code id="pairing-address">http://192\.168\.1\.20:5000/pair/[\w-]+</code>', page)


def test_an_unknown_id_gets_a_404_page_not_an_error(admin_client):
    for url in ("/admin/agenda/9999", "/admin/delegates/9999", "/admin/delegates/9999/badge.pdf"):
        assert admin_client.get(url).status_code == 404
    for url in ("/admin/agenda/9999/move", "/admin/groups/9999", "/admin/candidates/9999/delete",
                "/admin/devices/9999/revoke", "/admin/agenda/steps/9999", "/admin/delegates/9999/reissue"):
        assert form(admin_client, url, name="x", title="x", label="x").status_code == 404


def test_the_conference_row_is_not_touched_by_a_refused_form(admin_client, app, conference_id):
    before = one(app, sa.select(Conference).where(Conference.id == conference_id))
    form(admin_client, "/admin/conference", title="Mới", award_batch_size="999")
    after = one(app, sa.select(Conference).where(Conference.id == conference_id))
    assert (after.title, after.award_batch_size) == (before.title, before.award_batch_size)


@pytest.mark.parametrize("url, data", [
    ("/admin/agenda/99999999999999999999999/move", {"direction": "up"}),
    ("/admin/agenda/steps/99999999999999999999999", {"title": "x"}),
    ("/admin/groups/2147483648", {"name": "x", "color": "#000000"}),
    ("/admin/candidates/2147483648/delete", {}),
    ("/admin/devices/99999999999999999999/revoke", {}),
    ("/admin/delegates/99999999999999999999/reissue", {}),
    ("/admin/delegates/new", {"full_name": "A", "group_id": "99999999999999999999"}),
    ("/admin/delegates/new", {"full_name": "A", "group_id": "²"}),
    ("/admin/candidates", {"delegate_id": "99999999999999999999"}),
    ("/admin/agenda", {"title": "A", "planned_minutes": "1e3"}),
    ("/admin/agenda", {"title": "A", "kind": "party"}),
])
def test_out_of_range_or_odd_ids_and_numbers_get_a_4xx_and_change_nothing(admin_client, url, data):
    before = version(admin_client)
    answer = form(admin_client, url, **data)
    assert 400 <= answer.status_code < 500
    assert version(admin_client) == before


@pytest.mark.parametrize("url", ["/admin/agenda/99999999999999999999999", "/admin/delegates/2147483648",
                                 "/admin/delegates/99999999999999999999/badge.pdf",
                                 "/admin/badges.pdf?group=99999999999999999999", "/admin/badges.pdf?group=²",
                                 "/admin/delegates?group=²&q=" + "x" * 300])
def test_odd_addresses_get_a_page_not_an_error(admin_client, url):
    assert admin_client.get(url).status_code in (200, 400, 404)
