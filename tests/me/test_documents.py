"""The conference's documents: the office adds a PDF (or the command line does), delegates read it
on their page; what is not a PDF, is broken, carries a script or is over the limit is refused with
a clear message and nothing is kept; held documents wait for their item, internal ones never show."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from conference.core.db import db
from conference.core.models import ConferenceDocument
from tests.me.helpers import decoded_first_page, delegates, pdf_bytes, pdf_with_script_in_an_object_stream, phone


def upload(admin_client, content: bytes, title: str = "Báo cáo tổng kết", **fields):
    from io import BytesIO
    return admin_client.post("/admin/documents", data={"csrf_token": admin_client.csrf_token, "title": title,
                                                       "file": (BytesIO(content), "bao-cao.pdf"), **fields},
                             content_type="multipart/form-data")


def kept(app) -> tuple[int, list[Path]]:
    with app.app_context():
        rows = db.session.scalar(sa.select(sa.func.count()).select_from(ConferenceDocument))
    folder = Path(app.instance_path) / "documents"
    return rows, sorted(folder.glob("*")) if folder.exists() else []


def test_a_pdf_the_office_adds_is_read_by_a_delegate_byte_for_byte(app, conference_id, admin_client):
    content = pdf_bytes("Bao cao tong ket", "Trang hai")
    assert upload(admin_client, content, item="3").status_code == 303
    listed = admin_client.get("/admin/documents").get_data(as_text=True)
    assert "Báo cáo tổng kết" in listed
    (_, code, _), _ = delegates(app, conference_id)
    device = phone(app, code)
    page = device.get("/me").get_data(as_text=True)
    assert "Báo cáo tổng kết" in page and "mục 3" in page
    document_id = int(re.search(r'href="/me/documents/(\d+)"', page).group(1))
    viewer = device.get(f"/me/documents/{document_id}").get_data(as_text=True)
    assert "pdf.min.mjs" in viewer  # PDF.js is named by the viewer only, never by /me itself
    assert "pdf.min.mjs" not in page
    served = device.get(f"/me/documents/{document_id}.pdf")
    assert served.status_code == 200 and served.mimetype == "application/pdf" and served.data == content
    assert "sandbox" in served.headers["Content-Security-Policy"]
    assert app.test_client().get(f"/me/documents/{document_id}.pdf").status_code == 302  # no phone: the code form


@pytest.mark.parametrize("content, code_words", [
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 200, "không phải một tệp PDF"),
    (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ngarbage with no trailer", "không phải một tệp PDF"),
    (pdf_bytes("Hello", javascript="app.alert('hi');"), "mã lệnh (JavaScript)"),
], ids=["png-named-pdf", "broken-pdf", "pdf-with-javascript"])
def test_what_is_not_a_clean_pdf_is_refused_and_nothing_is_kept(app, admin_client, content, code_words):
    answer = upload(admin_client, content)
    assert answer.status_code == 415 and code_words in answer.get_data(as_text=True)
    assert kept(app) == (0, [])


def test_a_script_hidden_in_a_compressed_object_stream_is_found(app, admin_client):
    """Inside a Flate-compressed object stream the raw bytes never show /JavaScript; the parsed
    objects still do, and the upload is refused."""
    hidden = pdf_with_script_in_an_object_stream("app.alert('hidden');")
    assert b"/JavaScript" not in hidden and b"/JS" not in hidden
    answer = upload(admin_client, hidden)
    assert answer.status_code == 415 and "mã lệnh (JavaScript)" in answer.get_data(as_text=True)
    assert kept(app) == (0, [])


def test_a_document_over_its_limit_is_refused_before_it_is_read_whole(app, admin_client):
    app.config["DOCUMENT_MAX_BYTES"] = 2000
    answer = upload(admin_client, pdf_bytes(*["Trang"] * 40))
    assert answer.status_code == 413 and "tối đa" in answer.get_data(as_text=True)
    assert kept(app) == (0, [])


def test_a_held_document_waits_for_its_item_and_an_internal_one_never_shows(app, conference_id, admin_client,
                                                                           auth, client):
    upload(admin_client, pdf_bytes("Tham luan"), title="Tham luận", item="4", visibility="held")
    upload(admin_client, pdf_bytes("Noi bo"), title="Nội bộ", visibility="internal")
    (_, code, _), _ = delegates(app, conference_id)
    device = phone(app, code)
    assert "Tham luận" not in device.get("/me").get_data(as_text=True)
    with app.app_context():
        ids = {d.title: d.id for d in db.session.scalars(sa.select(ConferenceDocument))}
    assert device.get(f"/me/documents/{ids['Tham luận']}.pdf").status_code == 404
    assert client.post("/api/show/goto", json={"position": 4}, headers=auth("mc")).status_code == 200
    page = device.get("/me").get_data(as_text=True)
    assert "Tham luận" in page and "Nội bộ" not in page
    assert device.get(f"/me/documents/{ids['Tham luận']}.pdf").status_code == 200
    assert device.get(f"/me/documents/{ids['Nội bộ']}.pdf").status_code == 404
    assert admin_client.get(f"/admin/documents/{ids['Nội bộ']}.pdf").status_code == 200


def test_the_venue_address_is_checked_and_puts_the_phone_qr_address_on_the_poster(app, admin_client, tmp_path):
    before = admin_client.get("/admin/documents/poster.pdf")  # no venue yet: the address this was asked on
    assert before.status_code == 200 and decoded_first_page(before.data, tmp_path) == ["http://localhost/me"]
    bad = admin_client.post("/admin/documents/venue-address", data={"csrf_token": admin_client.csrf_token,
                                                                   "address": "ftp://x/y?z"})
    assert bad.status_code == 400 and "http(s)://" in bad.get_data(as_text=True)
    good = admin_client.post("/admin/documents/venue-address", data={"csrf_token": admin_client.csrf_token,
                                                                    "address": " 192.168.1.10:5000 "})
    assert good.status_code == 303
    assert 'value="http://192.168.1.10:5000"' in admin_client.get("/admin/documents").get_data(as_text=True)
    poster = admin_client.get("/admin/documents/poster.pdf")
    assert poster.status_code == 200 and poster.data.startswith(b"%PDF-")
    assert decoded_first_page(poster.data, tmp_path) == ["http://192.168.1.10:5000/me"]  # read by a real decoder


def test_add_document_on_the_command_line_adds_a_checked_pdf_and_refuses_a_wrong_item(app, tmp_path, monkeypatch):
    from conference.cli.commands import cli
    monkeypatch.setenv("CONFERENCE_INSTANCE", app.instance_path)
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    report = tmp_path / "bao-cao.pdf"
    report.write_bytes(pdf_bytes("Bao cao", "Hai"))
    runner = CliRunner()
    added = runner.invoke(cli, ["add-document", str(report), "--title", "Báo cáo", "--item", "3"])
    assert added.exit_code == 0, added.output
    assert "(2 trang)" in added.output
    wrong = runner.invoke(cli, ["add-document", str(report), "--title", "Báo cáo", "--item", "99"])
    assert wrong.exit_code == 1 and "Không có mục 99" in wrong.output
    assert kept(app)[0] == 1
