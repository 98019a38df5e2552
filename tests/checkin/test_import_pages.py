"""The office's import page: real-looking Excel and CSV files, broken ones, HTML in names; preview, then
all or nothing."""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from conference.core.db import db
from conference.core.models import Delegate


def office_workbook(rows, heading=True) -> bytes:
    """A sheet as a ward office makes it: titles above the table, an STT column, Vietnamese headers."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    if heading:
        sheet.append(["ỦY BAN NHÂN DÂN PHƯỜNG AN TÂN"])
        sheet.append(["DANH SÁCH ĐẠI BIỂU DỰ HỘI NGHỊ ĐIỂN HÌNH TIÊN TIẾN"])
        sheet.merge_cells("A2:E2")
        sheet.append([])
    sheet.append(["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Thành phần"])
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row])
    sheet.append([])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def excel_csv(rows) -> bytes:
    """What Excel's "CSV UTF-8" writes: a BOM, commas, CRLF line ends."""
    lines = ["STT,Họ và tên,Chức vụ,Đơn vị,Thành phần"]
    lines += [",".join([str(n), *(f'"{v}"' if "," in v else v for v in row)]) for n, row in enumerate(rows, 1)]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def delegate_count(app, conference_id) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Delegate.id)).where(Delegate.conference_id == conference_id))


def names(app, conference_id) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(sa.select(Delegate.full_name).where(Delegate.conference_id == conference_id)))


def preview(client, filename: str, content: bytes):
    return client.post("/admin/import", data={"csrf_token": client.csrf_token,
                                              "file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


def confirm(client):
    with client.session_transaction() as session:
        token = session.get("import", {}).get("token", "")
    return client.post("/admin/import/confirm", data={"csrf_token": client.csrf_token, "token": token})


NFD_NAME = unicodedata.normalize("NFD", "Nguyễn Thị Hồng Nhung")
GOOD_ROWS = [
    (f"  {NFD_NAME}  ", "Bí thư Chi bộ", "Tổ dân phố 3", "Tổ dân phố"),
    ("Trần   Văn Đức", "Công chức Tư pháp", "UBND phường An Tân", "cán bộ, công chức phường"),
    ("Y Blim Niê", None, "Tổ dân phố 9", "TO DAN PHO"),
]


def clean_rows(rows):
    return [tuple("" if v is None else v for v in row) for row in rows]


@pytest.mark.parametrize("filename, make", [("danh-sach.xlsx", office_workbook), ("danh-sach.csv", excel_csv)])
def test_an_office_file_is_previewed_then_imported_with_names_cleaned(admin_client, app, conference_id,
                                                                       filename, make):
    before = delegate_count(app, conference_id)
    content = make(clean_rows(GOOD_ROWS) if filename.endswith(".csv") else GOOD_ROWS)
    shown = preview(admin_client, filename, content)
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200
    assert "Nguyễn Thị Hồng Nhung" in page and "Trần Văn Đức" in page  # NFC, single spaces
    assert 'id="import-confirm"' in page
    assert delegate_count(app, conference_id) == before  # the preview writes nothing

    done = confirm(admin_client)
    assert done.status_code == 303
    assert delegate_count(app, conference_id) == before + 3
    with app.app_context():
        added = {d.full_name: d for d in db.session.scalars(sa.select(Delegate).where(
            Delegate.full_name.in_(["Nguyễn Thị Hồng Nhung", "Trần Văn Đức", "Y Blim Niê"])))}
        assert set(added) == {"Nguyễn Thị Hồng Nhung", "Trần Văn Đức", "Y Blim Niê"}
        assert added["Trần Văn Đức"].group.name == "Cán bộ, công chức phường"  # matched ignoring case
        assert added["Y Blim Niê"].group.name == "Tổ dân phố"  # and diacritics
    listing = admin_client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Đã nhập 3 đại biểu" in listing and "Nguyễn Thị Hồng Nhung" in listing


def test_a_file_with_bad_rows_names_each_row_and_imports_none(admin_client, app, conference_id):
    before = names(app, conference_id)
    rows = [
        ("Lê Văn Tốt", "Tổ trưởng", "Tổ dân phố 1", "Tổ dân phố"),           # row 5 (titles, blank, header above)
        (None, "Tổ phó", "Tổ dân phố 2", "Tổ dân phố"),                      # row 6: no name
        ("Phạm Thị Lạ", "Hội viên", "Hội Phụ nữ", "Thành phần không có"),     # row 7: unknown group
        ("Lê Văn Tốt", "Tổ trưởng", "Tổ dân phố 1", "Tổ dân phố"),           # row 8: same as row 5
        ("X" * 121, None, None, None),                                          # row 9: name too long
    ]
    shown = preview(admin_client, "loi.xlsx", office_workbook(rows))
    page = shown.get_data(as_text=True)
    assert shown.status_code == 422
    assert 'id="import-confirm"' not in page and "Traceback" not in page
    for row, reason in ((6, "Cần nhập “Họ và tên”"), (7, "Thành phần không có"), (8, "trùng với dòng 5"),
                        (9, "dài quá 120")):
        assert re.search(rf'<tr><td class="num">{row}</td><td>[^<]*{reason}', page), (row, reason)
    assert "Có 4 dòng lỗi" in page or "có 4 dòng lỗi" in page
    assert names(app, conference_id) == before
    # Nothing was kept for a later confirm either.
    assert confirm(admin_client).status_code == 409
    assert names(app, conference_id) == before


def damaged_workbook(part: str, xml: bytes) -> bytes:
    """A real workbook with one of its XML parts broken, as a failed copy or a bad e-mail attachment leaves it."""
    source = zipfile.ZipFile(io.BytesIO(office_workbook(GOOD_ROWS)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            target.writestr(name, xml if name == part else source.read(name))
    return out.getvalue()


UNREADABLE = [
    ("hong.xlsx", b"PK\x03\x04 not really a workbook", 400, "Không đọc được tệp Excel"),
    ("cat-doi.xlsx", damaged_workbook("xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row>"), 400,
     "Không đọc được tệp"),
    ("loai-khac.xlsx", damaged_workbook("[Content_Types].xml", b"garbage<"), 400, "Không đọc được tệp"),
    ("latin1.csv", "Họ và tên\nNguyễn Văn A\n".encode("cp1258", errors="replace") + b"\xff\xfe", 400, "UTF-8"),
    ("danh-sach.txt", b"Ho va ten\nA\n", 400, "Chỉ nhận tệp .xlsx hoặc .csv"),
    ("khong-tieu-de.csv", "Tên gọi,Nơi ở\nA,B\n".encode(), 422, "Họ và tên"),
    ("rong.csv", b"", 422, "Họ và tên"),
]


# Named by the file: a generated workbook's bytes (its time stamps) would name the case differently
# in each test worker.
@pytest.mark.parametrize("filename, content, status, message", UNREADABLE, ids=[case[0] for case in UNREADABLE])
def test_an_unreadable_or_unsuitable_file_gets_a_clear_message_and_no_traceback(
        admin_client, app, conference_id, filename, content, status, message):
    before = delegate_count(app, conference_id)
    shown = preview(admin_client, filename, content)
    page = shown.get_data(as_text=True)
    assert shown.status_code == status
    assert message in page and "Traceback" not in page
    assert delegate_count(app, conference_id) == before


def test_names_that_are_html_are_kept_exactly_and_shown_as_text(admin_client, app, conference_id):
    hostile = '<script>alert("x")</script>'
    bold = "<b>Trần</b> Văn <img src=x onerror=alert(1)>"
    shown = preview(admin_client, "html.xlsx", office_workbook([(hostile, "<i>Chức</i>", "Đơn vị", None),
                                                                (bold, None, None, None)]))
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200
    assert hostile not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert confirm(admin_client).status_code == 303
    assert {hostile, bold} <= names(app, conference_id)
    listing = admin_client.get("/admin/delegates?q=script").get_data(as_text=True)
    assert hostile not in listing and "&lt;script&gt;" in listing


def test_the_import_is_checked_again_on_confirm_and_refused_whole_if_the_groups_changed(
        admin_client, app, conference_id):
    before = delegate_count(app, conference_id)
    assert preview(admin_client, "ok.xlsx", office_workbook(GOOD_ROWS)).status_code == 200
    with app.app_context():
        from conference.core.models import DelegateGroup
        from conference.office.details import update_group
        group = db.session.scalar(sa.select(DelegateGroup).where(DelegateGroup.name == "Tổ dân phố"))
        update_group(conference_id, group.id, "Tổ dân phố (đã đổi tên)", group.color)
    answer = confirm(admin_client)
    assert answer.status_code == 422
    assert "Không có thành phần đại biểu" in answer.get_data(as_text=True)
    assert delegate_count(app, conference_id) == before


def test_an_oversized_upload_is_refused_with_the_limit(admin_client, app, conference_id):
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    before = delegate_count(app, conference_id)
    answer = preview(admin_client, "to.csv", excel_csv([("Nguyễn Văn A", "", "", "")]) + b"x" * 100_000)
    assert answer.status_code == 413
    assert "Tệp quá lớn" in answer.get_data(as_text=True)
    assert delegate_count(app, conference_id) == before


def test_confirm_needs_the_preview_of_the_same_session(admin_client, app, conference_id):
    before = delegate_count(app, conference_id)
    assert preview(admin_client, "ok.xlsx", office_workbook(GOOD_ROWS)).status_code == 200
    forged = admin_client.post("/admin/import/confirm", data={"csrf_token": admin_client.csrf_token,
                                                              "token": "0" * 32})
    assert forged.status_code == 409
    other = app.test_client()
    assert other.post("/admin/import/confirm", data={"token": "x"}).status_code in (302, 303, 400)
    assert delegate_count(app, conference_id) == before


def test_an_import_form_without_the_csrf_token_is_refused(admin_client, app, conference_id):
    before = delegate_count(app, conference_id)
    answer = admin_client.post("/admin/import", data={"file": (io.BytesIO(office_workbook(GOOD_ROWS)), "a.xlsx")},
                               content_type="multipart/form-data")
    assert answer.status_code == 400
    assert delegate_count(app, conference_id) == before
