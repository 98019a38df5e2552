"""The attendance export (.xlsx / .csv), read back and checked against the check-ins that happened."""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from conference.core.db import db
from conference.core.models import CheckIn, Delegate, DelegateGroup
from conference.core.textnorm import name_sort_key

from tests.conftest import ROOT

HEADERS = ["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Thành phần", "Điểm danh", "Giờ đến", "Cửa"]
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def check_in_some(client, app, auth, conference_id) -> dict[str, tuple[datetime, str]]:
    """Check in every fourth delegate through two doors; returns name -> (local time, door)."""
    with app.app_context():
        ids = list(db.session.scalars(sa.select(Delegate.id).where(Delegate.conference_id == conference_id)
                                      .order_by(Delegate.id)))[::4]
    for number, delegate_id in enumerate(ids):
        door = "Cửa 1" if number % 2 else "Cửa 2"
        assert client.post("/api/checkins", json={"delegate_id": delegate_id, "device": door},
                           headers=auth("door")).status_code == 201
    with app.app_context():
        rows = db.session.execute(sa.select(Delegate.full_name, CheckIn.checked_in_at, CheckIn.device)
                                  .join(CheckIn, CheckIn.delegate_id == Delegate.id)).all()
    return {name: (moment.astimezone(HANOI).replace(tzinfo=None), device) for name, moment, device in rows}


def sheet_rows(data: bytes) -> tuple[list[list], list[str]]:
    """The table rows of the first sheet (under its header row) and the lines above it."""
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r[:len(HEADERS)] == HEADERS)
    above = [r[0] for r in rows[:header] if r[0]]
    return [r for r in rows[header + 1:] if any(v is not None for v in r)], above


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode()), "Excel needs the BOM to read UTF-8"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == HEADERS
    return rows[1:]


def expected_order(app, conference_id) -> list[str]:
    with app.app_context():
        delegates = list(db.session.scalars(sa.select(Delegate).where(Delegate.conference_id == conference_id)))
        return [d.full_name for d in sorted(delegates, key=lambda d: (d.group.position if d.group else 10**6,
                                                                      name_sort_key(d.full_name), d.id))]


def test_the_xlsx_export_lists_every_delegate_once_with_the_time_and_door_of_arrival(
        admin_client, app, auth, conference_id):
    arrived = check_in_some(admin_client, app, auth, conference_id)
    answer = admin_client.get("/admin/exports/attendance.xlsx")
    assert answer.status_code == 200 and answer.headers["Content-Disposition"].endswith("diem-danh.xlsx")
    rows, above = sheet_rows(answer.data)
    assert [r[1] for r in rows] == expected_order(app, conference_id)
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert f"Có mặt {len(arrived)}/{len(rows)} đại biểu" in above
    for number, name, _position, _unit, _group, status, at, door, _seat in rows:  # the seat: test_seating.py
        if name in arrived:
            assert (status, door) == ("Có mặt", arrived[name][1])
            assert at == arrived[name][0].replace(microsecond=0)  # local time, to the second
        else:
            assert (status, at, door) == ("Vắng", None, None)
    summary = load_workbook(io.BytesIO(answer.data))["Tổng hợp"]
    total = [r for r in summary.iter_rows(values_only=True) if r[0] == "Tổng cộng"][0]
    assert total[1:] == (len(arrived), len(rows), len(rows) - len(arrived))


def test_the_csv_export_says_the_same_as_the_xlsx(admin_client, app, auth, conference_id):
    arrived = check_in_some(admin_client, app, auth, conference_id)
    rows = csv_rows(admin_client.get("/admin/exports/attendance.csv").data)
    xlsx, _ = sheet_rows(admin_client.get("/admin/exports/attendance.xlsx").data)
    assert [r[1] for r in rows] == [r[1] for r in xlsx]
    for row in rows:
        if row[1] in arrived:
            local, door = arrived[row[1]]
            assert row[5:] == ["Có mặt", f"{local:%d/%m/%Y %H:%M}", door]
        else:
            assert row[5:] == ["Vắng", "", ""]


def test_groups_come_in_protocol_order_and_names_in_vietnamese_order_within_them(admin_client, app,
                                                                                    conference_id):
    rows, _ = sheet_rows(admin_client.get("/admin/exports/attendance.xlsx").data)
    with app.app_context():
        protocol = list(db.session.scalars(sa.select(DelegateGroup.name).order_by(DelegateGroup.position)))
    seen = list(dict.fromkeys(r[4] for r in rows))
    assert seen == [g for g in protocol if g in seen]
    for group in seen:
        names = [r[1] for r in rows if r[4] == group]
        assert names == sorted(names, key=name_sort_key)


def test_a_name_that_looks_like_a_formula_stays_text(admin_client, app, conference_id):
    from conference.office.details import create_delegate
    formula = '=HYPERLINK("http://x.example","Bấm")'
    with app.app_context():
        create_delegate(conference_id, formula, "@chức vụ", "+đơn vị")
    book = load_workbook(io.BytesIO(admin_client.get("/admin/exports/attendance.xlsx").data))
    cells = [row for row in book.worksheets[0].iter_rows() if row[1].value == formula]
    assert len(cells) == 1 and cells[0][1].data_type == "s" and cells[0][2].value == "@chức vụ"
    row = [r for r in csv_rows(admin_client.get("/admin/exports/attendance.csv").data) if formula in r[1]][0]
    assert row[1:4] == ["'" + formula, "'@chức vụ", "'+đơn vị"]


@pytest.mark.slow
def test_export_commands_write_the_files_and_refuse_other_formats(app, auth, client, conference_id, tmp_path):
    check_in_some(client, app, auth, conference_id)
    env = {**os.environ, "CONFERENCE_INSTANCE": app.config["INSTANCE_PATH"],
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"]}
    run = lambda *args: subprocess.run([sys.executable, "-m", "conference", *args], cwd=ROOT, env=env,  # noqa: E731
                                       capture_output=True, text=True, timeout=60)
    xlsx, docx = tmp_path / "diem-danh.xlsx", tmp_path / "bien-ban.docx"
    done = run("export-attendance", str(xlsx))
    assert done.returncode == 0, done.stderr
    rows, _ = sheet_rows(xlsx.read_bytes())
    assert len(rows) == len(expected_order(app, conference_id))
    assert run("export-minutes", str(docx)).returncode == 0 and docx.stat().st_size > 0
    for args, message in ((("export-attendance", str(tmp_path / "a.pdf")), ".xlsx hoặc .csv"),
                          (("export-minutes", str(tmp_path / "b.xlsx")), ".docx"),
                          (("export-minutes", str(tmp_path / "missing" / "b.docx")), "Không ghi được")):
        refused = run(*args)
        assert refused.returncode == 1 and message in refused.stderr and "Traceback" not in refused.stderr


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_export_with_nobody_checked_in_marks_everyone_absent(admin_client, fmt):
    data = admin_client.get(f"/admin/exports/attendance.{fmt}").data
    statuses = [r[5] for r in (sheet_rows(data)[0] if fmt == "xlsx" else csv_rows(data))]
    assert statuses and set(statuses) == {"Vắng"}


def test_every_cell_of_the_workbook_names_its_font_and_each_sheet_prints_on_a4_fitted_to_its_width(
        admin_client):
    book = load_workbook(io.BytesIO(admin_client.get("/admin/exports/attendance.xlsx").data))
    for sheet, header_row in ((book["Điểm danh"], 5), (book["Tổng hợp"], 1)):
        cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
        assert cells and {cell.font.name for cell in cells} == {"Times New Roman"}, sheet.title
        assert sheet.cell(1, 1).font.name == "Times New Roman"  # the title too
        setup = sheet.page_setup
        assert (int(setup.paperSize), setup.fitToWidth, setup.fitToHeight) == (int(sheet.PAPERSIZE_A4), 1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == f"${header_row}:${header_row}"
        assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
    assert book["Điểm danh"].page_setup.orientation == "landscape"
