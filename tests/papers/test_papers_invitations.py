"""Giấy mời (PDF): one A4 page per delegate in the administrative layout, read back word by word, with
the badge's own QR code, decoded by a real decoder and admitted at the door."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
import sqlalchemy as sa
import zxingcpp
from pypdf import PdfReader

from conference.core.db import db
from conference.core.models import Delegate, DelegateGroup

from tests.conftest import ROOT
from tests.papers.pdf_layout import MM, outside, pdf_pages
from tests.papers.test_badges_qr import pdf_pages_as_images

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def fetch(client, tmp_path, query: str = "", name: str = "giay-moi.pdf"):
    answer = client.get(f"/admin/invitations.pdf{query}")
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    assert answer.mimetype == "application/pdf" and answer.headers["Content-Disposition"].endswith(name)
    path = tmp_path / name
    path.write_bytes(answer.data)
    return path


def a_group(app, conference_id) -> tuple[int, list[tuple[str, str]]]:
    """The smallest group: its id and its delegates' (name, badge code)."""
    with app.app_context():
        delegates = db.session.execute(sa.select(DelegateGroup.id, Delegate.full_name, Delegate.badge_code)
                                       .join(Delegate, Delegate.group_id == DelegateGroup.id)
                                       .where(DelegateGroup.conference_id == conference_id)).all()
    sizes = {group: sum(1 for row in delegates if row[0] == group) for group, _, _ in delegates}
    smallest = min(sizes, key=lambda group: (sizes[group], group))
    return smallest, [(name, code) for group, name, code in delegates if group == smallest]


def test_every_delegate_gets_one_a4_page_in_the_administrative_layout_within_the_margins(
        admin_client, tmp_path):
    pages = pdf_pages(fetch(admin_client, tmp_path))
    assert len(pages) == 65
    for page in pages:
        assert (round(page.width / MM), round(page.height / MM)) == (210, 297)
        lines = page.lines()
        assert QUOC_HIEU in lines[0] and "Độc lập - Tự do - Hạnh phúc" in lines[1]
        assert "GIẤY MỜI" in lines
        text = "\n".join(lines)
        assert "Thời gian: 07 giờ 30 phút, ngày 05 tháng 3 năm 2020." in text
        assert "Địa điểm: Hội trường UBND phường An Tân." in text
        assert "07:30 Chào cờ" in text and "10:40 Tổng kết và bế mạc hội nghị" in text
        assert "An Tân, ngày 05 tháng 3 năm 2020" in text and "Số: /GM-UBND" in text
        assert outside(page, 30, 20, 15, 20) == []
    reader = PdfReader(tmp_path / "giay-moi.pdf")
    fonts = {str(f.get_object()["/BaseFont"]).split("+")[-1] for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert fonts == {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic",
                     "LiberationSerif-BoldItalic"}  # the minutes' serif face, embedded


def test_a_groups_invitations_carry_the_badge_qr_that_admits_each_delegate_at_the_door(
        admin_client, app, auth, conference_id, tmp_path):
    group_id, members = a_group(app, conference_id)
    pdf = fetch(admin_client, tmp_path, f"?group={group_id}", f"giay-moi-nhom-{group_id}.pdf")
    pages = pdf_pages(pdf)
    images = pdf_pages_as_images(pdf, tmp_path)
    assert len(pages) == len(images) == len(members)
    for page, image in zip(pages, images):
        [barcode] = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        name = dict((code, name) for name, code in members)[barcode.text]
        addressed = next(line for line in page.lines() if line.startswith("Kính gửi:"))
        assert addressed == f"Kính gửi: {name}"
        admitted = admin_client.post("/api/checkins", json={"code": barcode.text}, headers=auth("door"))
        assert admitted.status_code == 201 and admitted.get_json()["delegate"]["full_name"] == name


def test_one_delegates_invitation_wraps_the_longest_name_and_position_inside_the_margins(
        admin_client, app, conference_id, tmp_path):
    from conference.office.details import create_delegate
    name, position = "Nguyễn " * 17 + "Hà", "Phó Chủ tịch Thường trực Hội đồng Thi đua - Khen thưởng " * 3
    with app.app_context():
        delegate = create_delegate(conference_id, name[:120], position[:200], "<b>UBND</b> & \"phường\"")
        delegate_id = delegate.id
    pdf = fetch(admin_client, tmp_path, f"?delegate={delegate_id}", f"giay-moi-dai-bieu-{delegate_id}.pdf")
    [page] = pdf_pages(pdf)
    assert outside(page, 30, 20, 15, 20) == []
    text = " ".join(page.lines())
    assert " ".join(name[:120].split()) in text and "<b>UBND</b> & \"phường\"" in text


def test_unknown_or_malformed_choices_get_a_message_not_a_file(admin_client, app, conference_id):
    for query, status in (("?delegate=999999", 404), ("?group=999999", 404), ("?group=abc", 400),
                          ("?delegate=99999999999999999999999", 400), ("?delegate=-1", 400)):
        answer = admin_client.get(f"/admin/invitations.pdf{query}")
        assert answer.status_code == status, query
        assert answer.mimetype == "text/html" and "Traceback" not in answer.get_data(as_text=True)


@pytest.mark.slow
def test_the_papers_page_and_the_command_line_make_the_invitations(admin_client, app, conference_id, tmp_path):
    group_id, members = a_group(app, conference_id)
    page = admin_client.get("/admin/papers").get_data(as_text=True)
    assert 'href="/admin/invitations.pdf"' in page and 'action="/admin/invitations.pdf"' in page
    with app.app_context():
        someone = db.session.scalars(sa.select(Delegate).order_by(Delegate.id)).first()
        someone_id, someone_name = someone.id, someone.full_name
    assert f'href="/admin/invitations.pdf?delegate={someone_id}"' in admin_client.get(
        f"/admin/delegates/{someone_id}").get_data(as_text=True)
    env = {**os.environ, "CONFERENCE_INSTANCE": app.config["INSTANCE_PATH"],
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"]}
    command = [sys.executable, "-m", "conference", "invitations"]
    run = lambda *args: subprocess.run([*command, *args], cwd=ROOT, env=env,  # noqa: E731
                                       capture_output=True, text=True, timeout=60)
    out = tmp_path / "nhom.pdf"
    done = run(str(out), "--group", str(group_id))
    assert done.returncode == 0, done.stderr
    assert f"{len(members)} đại biểu" in done.stdout and len(PdfReader(out).pages) == len(members)
    one = tmp_path / "mot.pdf"
    assert run(str(one), "--delegate", str(someone_id)).returncode == 0
    assert f"Kính gửi: {someone_name}" in pdf_pages(one)[0].lines()
    for args, message in (((str(tmp_path / "a.docx"),), ".pdf"), ((str(one), "--delegate", "999999"), "Không tìm thấy"),
                          ((str(tmp_path / "no" / "a.pdf"),), "Không ghi được")):
        refused = run(*args)
        assert refused.returncode == 1 and message in refused.stderr and "Traceback" not in refused.stderr
