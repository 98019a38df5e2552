"""The audit trail: each change names its author (account or device), what, when and from where, in
the change's own transaction; reads, refusals and sign-ins add nothing; /admin/audit filters and exports."""
from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from tests.conftest import bearer, sign_in


def trail(app) -> list:
    from conference.core.db import db
    from conference.core.models import AuditEntry
    with app.app_context():
        rows = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
        db.session.expunge_all()
        db.session.rollback()
    return rows


def a_delegate(client, tokens) -> dict:
    return client.get("/api/delegates", headers=bearer(tokens["door"])).get_json()["delegates"][0]


def test_an_office_change_names_the_account_and_its_address(app, admin_client):
    answer = admin_client.post("/admin/groups", data={"csrf_token": admin_client.csrf_token, "name": "Khách mời",
                                                      "color": "#123456"}, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert answer.status_code == 303
    [entry] = trail(app)
    assert entry.user_id is not None and entry.device_id is None and entry.actor.startswith("Quản trị")
    assert (entry.action, entry.target, entry.ip) == ("admin.add_group", "POST /admin/groups", "10.1.2.3")
    assert "+delegate_group" in entry.detail


def test_check_in_undo_and_walk_in_name_the_door(app, client, tokens):
    door = bearer(tokens["door"])
    delegate = a_delegate(client, tokens)
    assert client.post("/api/checkins", json={"code": delegate["badge_code"]}, headers=door).status_code == 201
    assert client.delete(f"/api/checkins/{delegate['id']}", headers=door).status_code == 200
    walk_in = client.post("/api/delegates", headers=door, json={"full_name": "Phan Văn Mới", "check_in": True})
    assert walk_in.status_code in (200, 201)
    entries = trail(app)
    assert [entry.action for entry in entries] == ["api.create_checkin", "api.delete_checkin", "api.create_delegate"]
    assert all(entry.actor.startswith("door test") and entry.device_id for entry in entries)
    assert "+checkin" in entries[0].detail and "-checkin" in entries[1].detail and "+delegate" in entries[2].detail


def test_a_show_move_names_the_mc(app, client, tokens):
    assert client.post("/api/show/next", headers=bearer(tokens["mc"])).status_code == 200
    [entry] = trail(app)
    assert entry.action == "api.show_next" and entry.actor.startswith("mc test")


def test_reads_refusals_and_signing_in_and_out_add_nothing(app, client, tokens, admin_client):
    door = bearer(tokens["door"])
    client.get("/api/delegates", headers=door)
    client.post("/api/delegates", headers=door, json={"full_name": ""})  # refused: nothing changed
    assert client.post("/api/checkins", json={"code": "0123456789ABCDEFG"}, headers=door).status_code == 404  # logged
    admin_client.post("/admin/groups", data={"csrf_token": admin_client.csrf_token, "name": ""})
    admin_client.get("/admin/audit")
    other = sign_in(app.test_client())
    other.post("/logout", data={"csrf_token": other.csrf_token})
    assert trail(app) == []


def test_the_entry_is_written_in_the_changes_transaction(app, admin_client, monkeypatch):
    """If the audit row cannot be written, the change is not made either."""
    from conference.accounts import audit
    from conference.checkin import roster

    def broken(_principal):
        raise RuntimeError("the audit row could not be made")
    monkeypatch.setattr(audit, "_actor", broken)
    with app.app_context():
        before = len(roster.groups(1))
    answer = admin_client.post("/admin/groups", data={"csrf_token": admin_client.csrf_token, "name": "Khách mời"})
    assert answer.status_code == 500
    with app.app_context():
        assert len(roster.groups(1)) == before
    assert trail(app) == []


def test_the_trail_page_filters_and_exports(app, admin_client, client, tokens):
    delegate = a_delegate(client, tokens)
    client.post("/api/checkins", json={"code": delegate["badge_code"]}, headers=bearer(tokens["door"]))
    admin_client.post("/admin/groups", data={"csrf_token": admin_client.csrf_token, "name": "<b>Khách</b>"})
    page = admin_client.get("/admin/audit").get_data(as_text=True)
    assert "api.create_checkin" in page and "admin.add_group" in page
    filtered = admin_client.get("/admin/audit?q=CHECKIN").get_data(as_text=True)
    assert "api.create_checkin" in filtered and "admin.add_group" not in filtered
    assert "Chưa có thay đổi nào." in admin_client.get("/admin/audit?q=%25").get_data(as_text=True)  # literal %
    rows = list(csv.reader(io.StringIO(admin_client.get("/admin/audit.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][1] == "Ai" and {row[2] for row in rows[1:]} == {"api.create_checkin", "admin.add_group"}
    book = load_workbook(io.BytesIO(admin_client.get("/admin/audit.xlsx?q=door").data))
    values = [[cell.value for cell in row] for row in book.active.iter_rows(min_row=2)]
    assert [row[2] for row in values] == ["api.create_checkin"] and values[0][1].startswith("door test")


@pytest.mark.parametrize("role", ["staff", "secretary"])
def test_only_administrators_read_the_trail(app, role):
    from conference.accounts.users import create_user
    with app.app_context():
        create_user("lan", role, password="lan-password")
    lan = sign_in(app.test_client(), "lan", "lan-password")
    assert lan.get("/admin/audit").status_code == 403 and lan.get("/admin/audit.csv").status_code == 403


def test_the_trail_survives_a_kill_like_the_check_in_it_records(live_server):
    import re

    import requests
    door = bearer(live_server.token("door", "Cửa chính"))
    delegate = requests.get(live_server.url + "/api/delegates", headers=door, timeout=10).json()["delegates"][0]
    answer = requests.post(live_server.url + "/api/checkins", json={"code": delegate["badge_code"]},
                           headers=door, timeout=10)
    assert answer.status_code == 201  # acknowledged: from here on it must survive
    live_server.restart()  # kill -9, then start again
    office = requests.Session()
    page = office.get(live_server.url + "/login", timeout=10).text
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    office.post(live_server.url + "/login", timeout=10,
                data={"csrf_token": token, "login": "admin", "password": live_server.admin_password})
    exported = office.get(live_server.url + "/admin/audit.csv", timeout=10).text.lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(exported)))
    assert [(row[1].split(" (")[0], row[2]) for row in rows[1:]] == [("Cửa chính", "api.create_checkin")]
