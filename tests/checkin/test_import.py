"""Importing delegates as offices write their lists: .xlsx or .csv, Vietnamese or English headers,
title rows above the table; every row valid or nothing imported, each bad row named."""
from __future__ import annotations

import io
import unicodedata

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from conference.checkin.importer import ImportFailed, import_delegates, parse_rows
from conference.core.db import db
from conference.core.models import Badge, Delegate


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def delegates_named(app, conference_id) -> dict[str, Delegate]:
    with app.app_context():
        found = db.session.scalars(sa.select(Delegate).where(Delegate.conference_id == conference_id)).all()
        return {d.full_name: (d.position, d.unit, d.group.name if d.group else None) for d in found}


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def run_import(app, conference_id, name, content):
    with app.app_context():
        return import_delegates(conference_id, name, content)


OFFICE_SHEET = [
    ["ỦY BAN NHÂN DÂN PHƯỜNG AN TÂN", None, None, None, None],
    ["DANH SÁCH ĐẠI BIỂU DỰ HỘI NGHỊ ĐIỂN HÌNH TIÊN TIẾN", None, None, None, None],
    [None, None, None, None, None],
    ["STT", "HỌ VÀ TÊN", "Chức vụ", "Đơn vị", "Thành phần"],
    [1, "Nguyễn Thị Mai", "Tổ trưởng", "Tổ dân phố 10", "Tổ dân phố"],
    [None, None, None, None, None],
    [2, "  Trần   Văn Bảy ", None, "Tổ dân phố 11", "to dan pho"],
    [3, "Đinh Văn Chín", "Cán bộ", None, None],
]


def test_an_office_xlsx_with_title_rows_and_an_stt_column_imports_every_row(app, conference_id):
    before = count(app, Delegate)
    assert run_import(app, conference_id, "danh-sach.xlsx", xlsx(OFFICE_SHEET)) == 3
    named = delegates_named(app, conference_id)
    assert named["Nguyễn Thị Mai"] == ("Tổ trưởng", "Tổ dân phố 10", "Tổ dân phố")
    assert named["Trần Văn Bảy"] == (None, "Tổ dân phố 11", "Tổ dân phố")
    assert named["Đinh Văn Chín"] == ("Cán bộ", None, None)
    assert count(app, Delegate) == before + 3 and count(app, Badge) == before + 3


@pytest.mark.parametrize("text, encoding", [
    ("Full name,Position,Unit,Group\nLê Văn Mười,Tổ phó,Tổ dân phố 9,Tổ dân phố\n", "utf-8"),
    ("\ufeffHọ và tên;Chức vụ;Đơn vị\nLê Văn Mười;Tổ phó;Tổ dân phố 9\n", "utf-8"),
    ("Danh sách kèm theo\n\nho va ten\tdon vi\nLê Văn Mười\tTổ dân phố 9\n", "utf-8"),
    ("Họ và tên,Đơn vị\n" + unicodedata.normalize("NFD", "Lê Văn Mười") + ",Tổ dân phố 9\n", "utf-8"),
])
def test_a_csv_with_vietnamese_or_english_headers_imports_with_names_as_written(app, conference_id, text, encoding):
    assert run_import(app, conference_id, "list.csv", csv_bytes(text, encoding)) == 1
    named = delegates_named(app, conference_id)
    assert "Lê Văn Mười" in named and named["Lê Văn Mười"][1] == "Tổ dân phố 9"


def test_a_sheet_with_bad_rows_names_each_and_imports_nothing(app, conference_id):
    sheet = OFFICE_SHEET[:5] + [
        [2, None, "Tổ phó", "Tổ dân phố 11", "Tổ dân phố"],
        [3, "Võ Văn Mười Một", None, "Tổ dân phố 12", "Khách mời nước ngoài"],
        [4, "N" * 121, None, None, None],
        [5, "nguyen thi mai", None, "TỔ DÂN PHỐ 10", None],
        [6, "Phạm Văn Đúng", None, "Tổ dân phố 13", "Tổ dân phố"],
    ]
    before = count(app, Delegate)
    with pytest.raises(ImportFailed) as failure:
        run_import(app, conference_id, "danh-sach.xlsx", xlsx(sheet))
    rows = {error.row: error.message for error in failure.value.errors}
    assert sorted(rows) == [6, 7, 8, 9]
    assert "họ và tên" in rows[6].lower()
    assert "Khách mời nước ngoài" in rows[7]
    assert "120" in rows[8]
    assert "dòng 5" in rows[9]  # the same person as row 5: folded name and unit agree
    assert count(app, Delegate) == before
    assert failure.value.status == 422 and failure.value.to_dict()["error"]["rows"][0] == {"row": 6,
                                                                                         "message": rows[6]}


def test_a_row_for_a_delegate_already_in_the_database_is_refused_with_its_row_number(app, conference_id):
    with app.app_context():
        existing = db.session.scalars(sa.select(Delegate).where(Delegate.conference_id == conference_id)
                                      .where(Delegate.unit.is_not(None)).limit(1)).one()
        name, unit = existing.full_name, existing.unit
    sheet = ("Họ và tên,Đơn vị\n"
             "Hồ Văn Mới,Tổ dân phố 15\n"
             f"{unicodedata.normalize('NFD', name.upper())},{unit.lower()}\n")
    before = count(app, Delegate)
    with app.app_context():
        preview = parse_rows(conference_id, "list.csv", sheet.encode())
    assert [(e.row, name in e.message) for e in preview.errors] == [(3, True)]
    with pytest.raises(ImportFailed):
        run_import(app, conference_id, "list.csv", sheet.encode())
    assert count(app, Delegate) == before
    # the same name in another unit is another person
    assert run_import(app, conference_id, "list.csv", f"Họ và tên,Đơn vị\n{name},Đơn vị khác\n".encode()) == 1


def test_importing_the_same_file_twice_adds_nobody_the_second_time(app, conference_id):
    content = xlsx(OFFICE_SHEET)
    assert run_import(app, conference_id, "danh-sach.xlsx", content) == 3
    before = count(app, Delegate)
    with pytest.raises(ImportFailed) as failure:
        run_import(app, conference_id, "danh-sach.xlsx", content)
    assert [e.row for e in failure.value.errors] == [5, 7, 8]
    assert count(app, Delegate) == before


@pytest.mark.parametrize("name, content, code", [
    ("list.txt", b"Full name\nA\n", "unsupported_file"),
    ("list.xlsx", b"PK\x03\x04broken", "unreadable_file"),
    ("list.xlsx", b"", "unreadable_file"),
    ("list.csv", "Họ và tên\nĐặng\n".encode("utf-16"), "unreadable_file"),
    ("list.csv", b"Name of the dog,Colour\nRex,brown\n", "missing_header"),
    ("list.csv", b"", "missing_header"),
    ("list.csv", "Họ và tên,Đơn vị\n,\n\n".encode(), "import_failed"),
])
def test_a_file_that_is_not_a_delegate_list_is_refused_with_a_code(app, conference_id, name, content, code):
    from conference.core.errors import ConferenceError
    before = count(app, Delegate)
    with pytest.raises(ConferenceError) as refused:
        run_import(app, conference_id, name, content)
    assert refused.value.code == code and 400 <= refused.value.status < 500
    assert count(app, Delegate) == before


def test_a_newly_imported_delegate_is_found_without_diacritics_and_can_check_in(app, client, auth, conference_id):
    run_import(app, conference_id, "danh-sach.xlsx", xlsx(OFFICE_SHEET))
    found = client.get("/api/delegates", query_string={"q": "dinh van chin"}, headers=auth("door")).get_json()
    [delegate] = found["delegates"]
    assert delegate["full_name"] == "Đinh Văn Chín"
    assert client.post("/api/checkins", json={"code": delegate["badge_code"]}, headers=auth("door")).status_code == 201
