"""Decompression bombs: a real workbook whose sheet inflates to hundreds of megabytes is refused
from its zip directory, fast, by the roster import and the honourees' import alike, nothing changed and
the server's memory unmoved. Ordinary workbooks still pass."""
from __future__ import annotations

import io
import re
import time
import zipfile

import pytest
import requests
import sqlalchemy as sa

from conference.core.db import db
from conference.core.errors import ConferenceError
from conference.core.models import Delegate, Honouree
from conference.core.uploads import MAX_PARTS, check_workbook
from tests.conftest import LiveServer, bearer, page_csrf_token
from tests.checkin.test_import_pages import office_workbook, preview

MB = 1024 * 1024
BOMB_SIZE = 300 * MB  # inflates a thousand times; enough to prove the rule (the had 1.5 GB)
SHEET = "xl/worksheets/sheet1.xml"
ROW = [("Lê Văn Tám", "Tổ trưởng", "Tổ dân phố 1", "Tổ dân phố")]


def workbook_with_huge_cell(inflated: int) -> bytes:
    """A valid workbook whose sheet gains one cell of `inflated` letters, streamed into its deflated
    entry a megabyte at a time (never held in memory)."""
    plain = office_workbook(ROW)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for part in source.infolist():
            if part.filename != SHEET:
                bomb.writestr(part, source.read(part))
        head, tail = source.read(SHEET).rsplit(b"</sheetData>", 1)
        with bomb.open(SHEET, "w", force_zip64=True) as sheet:
            sheet.write(head + b'<row r="99"><c r="A99" t="inlineStr"><is><t>')
            chunk = b"A" * MB
            for _ in range(inflated // MB):
                sheet.write(chunk)
            sheet.write(b"</t></is></c></row></sheetData>" + tail)
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return workbook_with_huge_cell(BOMB_SIZE)


def zip_of(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def refused(content: bytes) -> bool:
    try:
        check_workbook(content)
    except ConferenceError as error:
        assert error.code == "workbook_too_large" and error.status == 413
        return True
    return False


def test_the_bomb_is_small_and_a_real_workbook(bomb):
    assert len(bomb) < 2 * MB
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert archive.getinfo(SHEET).file_size > BOMB_SIZE and "xl/workbook.xml" in archive.namelist()


def test_each_rule_refuses_on_its_own_and_ordinary_workbooks_pass(bomb):
    assert refused(bomb)
    assert refused(zip_of({"xl/x.xml": bytes(2 * MB)}))  # 2 MB at a thousand to one: the ratio
    assert refused(zip_of({f"xl/{n}.xml": bytes(MB) for n in range(60)}))  # 1 MB parts, 60 MB in all
    assert refused(zip_of({f"xl/{n}.xml": b"<a/>" for n in range(MAX_PARTS + 1)}))  # too many parts
    assert not refused(zip_of({"xl/x.xml": bytes(MB)}))  # small parts may compress as they like
    rows = [(f"Nguyễn Văn {n}", "Tổ viên", f"Tổ dân phố {n % 40}", "Tổ dân phố") for n in range(3000)]
    assert not refused(office_workbook(rows))


def test_a_zip_cannot_inflate_past_what_its_directory_declares():
    """Why the declared sizes are enough: zipfile stops at the declared size and the CRC then fails."""
    honest = zip_of({"xl/x.xml": bytes(4 * MB)})
    size = (4 * MB).to_bytes(4, "little")
    lying = honest.replace(size, (1000).to_bytes(4, "little"))  # local header and directory both
    with zipfile.ZipFile(io.BytesIO(lying)) as archive:
        assert archive.getinfo("xl/x.xml").file_size == 1000 and not refused(lying)
        with pytest.raises(zipfile.BadZipFile, match="CRC"):
            archive.read("xl/x.xml")


def delegate_count(app, conference_id) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Delegate.id)).where(Delegate.conference_id == conference_id))


def test_the_office_import_page_refuses_the_bomb_and_imports_nothing(admin_client, app, conference_id, bomb):
    before = delegate_count(app, conference_id)
    started = time.perf_counter()
    answer = preview(admin_client, "danh-sach.xlsx", bomb)
    assert time.perf_counter() - started < 1
    assert answer.status_code == 413
    assert "khi giải nén lớn bất thường" in answer.get_data(as_text=True)
    assert delegate_count(app, conference_id) == before
    with admin_client.session_transaction() as session:
        assert "import" not in session  # nothing kept for a confirm
    admin_client.get("/admin/import?lang=en")
    assert "would grow abnormally large" in preview(admin_client, "list.xlsx", bomb).get_data(as_text=True)


def test_the_awards_import_refuses_the_bomb_with_the_stable_code(client, auth, app, bomb):
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count(Honouree.id)))
    for suffix in ("?preview=1", ""):
        started = time.perf_counter()
        answer = client.post("/api/honourees/import" + suffix, headers=auth("admin"),
                             data={"file": (io.BytesIO(bomb), "khen-thuong.xlsx")}, content_type="multipart/form-data")
        assert time.perf_counter() - started < 1
        assert answer.status_code == 413 and answer.get_json()["error"]["code"] == "workbook_too_large"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Honouree.id))) == before


def peak_memory_mb(pid: int) -> float:
    status = open(f"/proc/{pid}/status", encoding="ascii").read()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


@pytest.mark.slow
def test_a_live_server_refuses_bombs_fast_with_its_memory_unmoved(tmp_path, bomb):
    server = LiveServer(tmp_path / "instance").start()
    try:
        token = server.token("admin", "Văn phòng")
        office = requests.Session()
        office.get(f"{server.url}/pair/{server.pairing('admin', 'Văn phòng')}", timeout=5).raise_for_status()
        csrf = page_csrf_token(office.get(server.url + "/admin/import", timeout=5).text)

        def upload(content: bytes) -> tuple[requests.Response, requests.Response]:
            page = office.post(server.url + "/admin/import", data={"csrf_token": csrf},
                               files={"file": ("danh-sach.xlsx", content)}, timeout=30)
            awards = requests.post(server.url + "/api/honourees/import?preview=1", headers=bearer(token),
                                   files={"file": ("khen-thuong.xlsx", content)}, timeout=30)
            return page, awards

        ordinary = upload(office_workbook(ROW))  # warms the readers up: only the bombs are measured
        assert ordinary[0].status_code == 200 and "Lê Văn Tám" in ordinary[0].text
        version = requests.get(server.url + "/api/state", timeout=5).json()["version"]
        before = peak_memory_mb(server.process.pid)
        slowest = 0.0
        for _ in range(3):
            started = time.perf_counter()
            page, awards = upload(bomb)
            slowest = max(slowest, (time.perf_counter() - started) / 2)
            assert page.status_code == 413 and "khi giải nén lớn bất thường" in page.text
            assert awards.status_code == 413 and awards.json()["error"]["code"] == "workbook_too_large"
        grown = peak_memory_mb(server.process.pid) - before
        assert slowest < 1, f"{slowest:.2f} s per upload"  # unguarded: 4.5 s and 700 MB for each
        assert grown < 10, f"peak memory grew by {grown:.0f} MB"
        assert requests.get(server.url + "/api/state", timeout=5).json()["version"] == version
    finally:
        server.stop()
