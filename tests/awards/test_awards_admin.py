"""Setting up the awards: forms, decisions, honourees, the import, who may do what, inert HTML."""
from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from conference.core.db import db
from conference.core.models import AwardDecision, Honouree


def version(client) -> int:
    return client.get("/api/state").get_json()["version"]


def catalogue(client, auth) -> dict:
    return client.get("/api/award-decisions", headers=auth("admin")).get_json()


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def form_id(client, auth, name_start: str) -> int:
    return next(f["id"] for f in catalogue(client, auth)["forms"] if f["name"].startswith(name_start))


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    """One app shared by the tests of refused requests: they change nothing, so they can share it."""
    from conference import create_app
    from conference.core.models import Role
    from conference.accounts.devices import create_device
    from conference.core.state import default_conference_id
    folder = tmp_path_factory.mktemp("roles")
    app = create_app({"INSTANCE_PATH": str(folder / "instance"), "TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'test.db'}"})
    with app.app_context():
        conference_id = default_conference_id()
        headers = {role.value: {"Authorization": f"Bearer {create_device(conference_id, role)[1]}"} for role in Role}
    yield app, app.test_client(), lambda role: headers[role]
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# --- forms, decisions, honourees --------------------------------------------------------------

def test_a_decision_with_its_honourees_is_added_edited_and_removed(app, client, auth):
    form = form_id(client, auth, "Bằng khen")
    made = client.post("/api/award-decisions", headers=auth("admin"), json={
        "number": "99/QĐ-UBND", "signed_on": "05/03/2020", "issuer": "Chủ tịch UBND tỉnh Gia Lai",
        "form_id": form, "reason": "có thành tích xuất sắc"})
    assert made.status_code == 201
    decision = made.get_json()["decision"]
    assert decision["signed_on"] == "2020-03-05"
    added = client.post(f"/api/award-decisions/{decision['id']}/honourees", headers=auth("admin"),
                        json={"kind": "tập thể", "name": "Hội Nông dân phường", "unit": "phường An Tân"})
    assert added.status_code == 201 and added.get_json()["honouree"]["kind"] == "collective"
    honouree_id = added.get_json()["honouree"]["id"]
    renamed = client.put(f"/api/honourees/{honouree_id}", json={"name": "Hội Nông dân phường An Tân"},
                         headers=auth("admin"))
    assert renamed.get_json()["honouree"]["name"] == "Hội Nông dân phường An Tân"
    text = client.put(f"/api/award-decisions/{decision['id']}", json={"number": "100/QĐ-UBND"},
                      headers=auth("admin")).get_json()["decision"]["text"]
    assert text.startswith("Quyết định số 100/QĐ-UBND ngày 05/03/2020 của Chủ tịch UBND tỉnh Gia Lai tặng Bằng khen")
    assert "cho 1 tập thể, vì: có thành tích xuất sắc" in text
    before = count(app, Honouree)
    assert client.delete(f"/api/award-decisions/{decision['id']}", headers=auth("admin")).status_code == 200
    assert count(app, Honouree) == before - 1


def test_an_honouree_can_move_to_another_decision(client, auth):
    decisions = catalogue(client, auth)["decisions"]
    source, target = decisions[0], decisions[1]
    moving = source["honourees"][0]
    moved = client.put(f"/api/honourees/{moving['id']}", json={"decision_id": target["id"]}, headers=auth("admin"))
    assert moved.status_code == 200 and moved.get_json()["honouree"]["decision_id"] == target["id"]
    after = {d["id"]: d for d in catalogue(client, auth)["decisions"]}
    assert len(after[source["id"]]["honourees"]) == len(source["honourees"]) - 1
    assert after[target["id"]]["honourees"][-1]["id"] == moving["id"]


def test_a_form_in_use_cannot_be_deleted_and_names_are_unique(client, auth):
    used = form_id(client, auth, "Bằng khen")
    refused = client.delete(f"/api/award-forms/{used}", headers=auth("admin"))
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "form_in_use"
    clash = client.post("/api/award-forms", json={"name": "bằng khen của chủ tịch ubnd tỉnh", "rank": 1},
                        headers=auth("admin"))
    assert clash.status_code == 409
    fresh = client.post("/api/award-forms", json={"name": "Kỷ niệm chương", "rank": 95}, headers=auth("admin"))
    assert fresh.status_code == 201
    assert catalogue(client, auth)["forms"][0]["name"] == "Kỷ niệm chương"  # highest rank first
    assert client.delete(f"/api/award-forms/{fresh.get_json()['form']['id']}", headers=auth("admin")).status_code == 200


@pytest.mark.parametrize("method, path, payload, status", [
    ("post", "/api/award-decisions", {"issuer": "UBND", "form_id": "FORM"}, 400),
    ("post", "/api/award-decisions", {"number": "1/QĐ", "issuer": "UBND", "form_id": 999999}, 404),
    ("post", "/api/award-decisions", {"number": "1/QĐ", "issuer": "UBND", "form_id": "FORM", "signed_on": "31/02/2020"}, 400),
    ("post", "/api/award-decisions", {"number": "1/QĐ", "issuer": "UBND", "form_id": "FORM", "reason": {"a": 1}}, 400),
    ("post", "/api/award-decisions", ["not", "an", "object"], 400),
    ("post", "/api/award-decisions/DECISION/honourees", {"kind": "nhóm", "name": "X"}, 400),
    ("post", "/api/award-decisions/DECISION/honourees", {"kind": "cá nhân", "name": "   "}, 400),
    ("post", "/api/award-decisions/DECISION/honourees", {"kind": "cá nhân", "name": "X" * 201}, 400),
    ("post", "/api/award-decisions/DECISION/honourees", {"kind": "cá nhân", "name": "X", "delegate_id": 999999}, 404),
    ("post", "/api/award-decisions/999999/honourees", {"kind": "cá nhân", "name": "X"}, 404),
    ("put", "/api/honourees/HONOUREE", {"decision_id": 999999}, 404),
    ("put", "/api/honourees/HONOUREE", {"proxy_name": ["x"]}, 400),
    ("post", "/api/award-forms", {"name": "Bằng khen mới", "rank": "cao"}, 400),
    ("post", "/api/award-forms", {"name": "Bằng khen mới", "rank": 1, "kind": "medal"}, 400),
    ("put", "/api/awards/batch-size", {"batch_size": 0}, 400),
    ("put", "/api/awards/batch-size", {"batch_size": 41}, 400),
])
def test_bad_set_up_input_gets_a_4xx_and_changes_nothing(guarded, method, path, payload, status):
    app, client, auth = guarded
    decision = catalogue(client, auth)["decisions"][0]
    names = {"FORM": decision["form"]["id"], "DECISION": decision["id"], "HONOUREE": decision["honourees"][0]["id"]}
    path = re.sub(r"FORM|DECISION|HONOUREE", lambda m: str(names[m.group()]), path)
    if isinstance(payload, dict):
        payload = {k: names.get(v, v) if isinstance(v, str) else v for k, v in payload.items()}
    before, honourees, decisions = version(client), count(app, Honouree), count(app, AwardDecision)
    response = getattr(client, method)(path, json=payload, headers=auth("admin"))
    assert response.status_code == status, response.get_json()
    assert "code" in response.get_json()["error"]
    assert (version(client), count(app, Honouree), count(app, AwardDecision)) == (before, honourees, decisions)


# --- import ----------------------------------------------------------------------------------

HEADER = "Quyết định số,Hình thức,Loại,Tên,Đơn vị,Thành tích,Đại biểu nhận,Cấp ban hành,Ngày ký\n"


def upload(client, auth, text: str, name: str = "khen-thuong.csv", preview: bool = False):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post("/api/honourees/import" + ("?preview=1" if preview else ""), headers=auth("admin"),
                       data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


GOOD = HEADER + (
    "12/QĐ-UBND,Giấy khen của Chủ tịch UBND phường,cá nhân,Nguyễn Thị Lan,Tổ dân phố 3,Giúp đỡ hộ nghèo,,,\n"
    "77/QĐ-UBND,Giấy khen của Chủ tịch UBND thị xã,tập thể,Hội Người cao tuổi phường,phường An Tân,"
    "Làm tốt công tác chăm sóc người cao tuổi,Trần Đình Khoa,Chủ tịch UBND thị xã An Khê,10/02/2020\n"
    "77/QĐ-UBND,,Cá nhân,Lê Văn Toàn,Tổ dân phố 4,Gương mẫu,,,\n")


def test_import_adds_every_row_links_representatives_and_creates_missing_decisions(app, client, auth):
    before = count(app, Honouree)
    response = upload(client, auth, GOOD)
    assert response.status_code == 201, response.get_json()
    assert response.get_json() == {"imported": 3, "decisions_created": 1}
    assert count(app, Honouree) == before + 3
    decisions = {d["number"]: d for d in catalogue(client, auth)["decisions"]}
    new = decisions["77/QĐ-UBND"]
    assert new["issuer"] == "Chủ tịch UBND thị xã An Khê" and new["signed_on"] == "2020-02-10"
    collective, individual = new["honourees"]
    assert collective["representative"] == "Trần Đình Khoa"
    assert individual["delegate_name"] == "Lê Văn Toàn"  # an individual is linked by exact name
    assert decisions["12/QĐ-UBND"]["honourees"][-1]["name"] == "Nguyễn Thị Lan"


def test_import_preview_checks_without_writing(app, client, auth):
    before, version_before = count(app, Honouree), version(client)
    response = upload(client, auth, GOOD, preview=True)
    assert response.status_code == 200
    body = response.get_json()
    assert [row["row"] for row in body["rows"]] == [2, 3, 4] and body["errors"] == []
    assert body["new_decisions"] == [{"number": "77/QĐ-UBND", "issuer": "Chủ tịch UBND thị xã An Khê",
                                      "form": "Giấy khen của Chủ tịch UBND thị xã"}]
    assert (count(app, Honouree), version(client)) == (before, version_before)


def test_import_with_one_bad_row_imports_nothing_and_names_each_bad_row(app, client, auth):
    text = GOOD + (
        "12/QĐ-UBND,,nhóm,Ai đó,,,,,\n"
        "12/QĐ-UBND,,cá nhân,Người thứ hai,,,Không Có Ai,,\n"
        "12/QĐ-UBND,Bằng khen của Chủ tịch UBND tỉnh,cá nhân,Người thứ ba,,,,,\n"
        "88/QĐ-UBND,Giấy khen của Chủ tịch UBND thị xã,cá nhân,Người thứ tư,,,,,\n"
        "12/QĐ-UBND,,cá nhân,Nguyễn Thị Lan,,,,,\n"
        ",,cá nhân,Không số,,,,,\n")
    before, version_before = count(app, Honouree), version(client)
    response = upload(client, auth, text)
    assert response.status_code == 422
    rows = {e["row"]: e["message"] for e in response.get_json()["error"]["rows"]}
    assert sorted(rows) == [5, 6, 7, 8, 9, 10]
    assert "tập thể" in rows[5] and "Không Có Ai" in rows[6] and "Giấy khen" in rows[7]
    assert "Cấp ban hành" in rows[8] and "dòng 2" in rows[9] and "số quyết định" in rows[10]
    assert (count(app, Honouree), count(app, AwardDecision), version(client)) == (before, 3, version_before)


def test_importing_the_same_file_twice_is_refused_the_second_time(app, client, auth):
    assert upload(client, auth, GOOD).status_code == 201
    again = upload(client, auth, GOOD)
    assert again.status_code == 422 and len(again.get_json()["error"]["rows"]) == 3


def test_import_reads_xlsx_with_a_title_above_the_header(app, client, auth):
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH KHEN THƯỞNG"])
    sheet.append([])
    sheet.append(["STT", "QUYẾT ĐỊNH SỐ", "Loại (tập thể/cá nhân)", "Tên tập thể, cá nhân", "Đơn vị", "Thành tích"])
    sheet.append([1, "12/QĐ-UBND", "Cá nhân", "Ksor H'Bia", "Tổ dân phố 8", "Vận động chị em"])
    content = io.BytesIO()
    book.save(content)
    response = upload(client, auth, content.getvalue(), name="ds.xlsx")
    assert response.status_code == 201 and response.get_json()["imported"] == 1
    names = [h["name"] for d in catalogue(client, auth)["decisions"] for h in d["honourees"]]
    assert "Ksor H'Bia" in names


@pytest.mark.parametrize("content, name, status, code", [
    ("Họ,Tên\nA,B\n", "x.csv", 422, "missing_header"),
    (HEADER, "x.csv", 422, "import_failed"),
    ("irrelevant", "x.pdf", 400, "unsupported_file"),
    (b"PK\x03\x04broken", "x.xlsx", 400, "unreadable_file"),
    (b"\xff\xfe\x00bad", "x.csv", 400, "unreadable_file"),
])
def test_unreadable_or_empty_files_are_refused(guarded, content, name, status, code):
    app, client, auth = guarded
    before = count(app, Honouree)
    response = upload(client, auth, content, name=name)
    assert response.status_code == status and response.get_json()["error"]["code"] == code
    assert count(app, Honouree) == before


def test_import_without_a_file_is_a_clear_400(client, auth):
    response = client.post("/api/honourees/import", headers=auth("admin"), data={},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "missing_file"


# --- who may do what ---------------------------------------------------------------------------

ADMIN_ONLY = [
    ("get", "/api/award-decisions"), ("post", "/api/award-decisions"), ("put", "/api/award-decisions/1"),
    ("delete", "/api/award-decisions/1"), ("post", "/api/award-decisions/1/honourees"),
    ("put", "/api/honourees/1"), ("delete", "/api/honourees/1"), ("put", "/api/awards/order"),
    ("put", "/api/awards/batch-size"), ("post", "/api/honourees/import"), ("get", "/api/award-forms"),
    ("post", "/api/award-forms"), ("put", "/api/award-forms/1"), ("delete", "/api/award-forms/1"),
]
CONTROL = [("post", "/api/awards/presentations"), ("delete", "/api/awards/presentations/1"),
           ("post", "/api/vote"), ("get", "/api/awards/log")]


@pytest.mark.parametrize("method, path", ADMIN_ONLY + CONTROL)
@pytest.mark.parametrize("role, status", [("display", 403), ("door", 403), (None, 401)])
def test_screens_and_doors_may_not_touch_the_awards(guarded, method, path, role, status):
    _, client, auth = guarded
    response = getattr(client, method)(path, json={}, headers=auth(role) if role else {})
    assert response.status_code == status


@pytest.mark.parametrize("method, path", ADMIN_ONLY)
def test_the_mc_may_not_change_the_set_up(guarded, method, path):
    _, client, auth = guarded
    assert getattr(client, method)(path, json={}, headers=auth("mc")).status_code == 403


@pytest.mark.parametrize("method, path", CONTROL)
def test_the_mc_may_record_the_day(guarded, method, path):
    _, client, auth = guarded
    assert getattr(client, method)(path, json={}, headers=auth("mc")).status_code not in (401, 403)


def test_the_awards_page_is_for_the_office_only(client, auth, tokens):
    assert client.get("/admin/awards").status_code == 302
    assert client.get("/admin/awards", headers=auth("mc")).status_code == 302
    page = client.get("/admin/awards", headers=auth("admin"))
    assert page.status_code == 200 and "admin-awards.js" in page.get_data(as_text=True)


def test_a_cookie_signed_in_office_needs_the_csrf_header(client, auth, pairings):
    client.get(f"/pair/{pairings['admin']}")
    form = catalogue(client, auth)["forms"][0]["id"]
    payload = {"number": "5/QĐ", "issuer": "UBND", "form_id": form}
    assert client.post("/api/award-decisions", json=payload).status_code == 400
    page = client.get("/admin/awards").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    assert client.post("/api/award-decisions", json=payload, headers={"X-CSRFToken": token}).status_code == 201


def test_names_full_of_html_are_kept_exactly_and_never_put_into_the_page(client, auth):
    decision = catalogue(client, auth)["decisions"][0]
    name = '<img src=x onerror="alert(1)"> Tổ <b>dân</b> phố'
    made = client.post(f"/api/award-decisions/{decision['id']}/honourees", headers=auth("admin"),
                       json={"kind": "tập thể", "name": name})
    assert made.get_json()["honouree"]["name"] == name
    assert name in [h["name"] for a in client.get("/api/awards", headers=auth("mc")).get_json()["announcements"]
                    for h in a["honourees"]]
    page = client.get("/admin/awards", headers=auth("admin")).get_data(as_text=True)
    assert "<img src=x" not in page and "onerror" not in page


def test_an_imported_honouree_loses_direction_overrides_and_zero_width_characters(app, client, auth):
    from tests.checkin.test_names import HIDDEN
    row = ("12/QĐ-UBND,Giấy khen của Chủ tịch UBND phường,cá nhân,Đinh\u202e Thị\u200b Hoa\u2066,"
           "Tổ dân\ufeff phố 9,Giúp\u200f đỡ hộ nghèo,,,\n")
    assert upload(client, auth, HEADER + row).status_code == 201
    honouree = catalogue(client, auth)["decisions"][0]["honourees"][-1]
    assert (honouree["name"], honouree["unit"], honouree["citation"]) == ("Đinh Thị Hoa", "Tổ dân phố 9",
                                                                          "Giúp đỡ hộ nghèo")
    assert not any(ch in str(catalogue(client, auth)) for ch in HIDDEN)
