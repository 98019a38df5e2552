"""The báo cáo thẩm tra tư cách đại biểu (papers/credentials.py): its figures by group and in total,
the quorum's verdict, those absent by name with their reason; read back with python-docx, and
converted by LibreOffice to PDF and read with pdftotext, as the office prints it."""
from __future__ import annotations

import io

import pytest

import sqlalchemy as sa
from docx import Document

from conference.core.db import db
from conference.core.models import Delegate, DelegateGroup

from tests.papers.pdf_layout import MM, convert_to_pdf, outside, pdf_pages


def text_of(document) -> str:
    paragraphs = [p.text for p in document.paragraphs]
    cells = [" | ".join(cell.text for cell in row.cells) for table in document.tables for row in table.rows]
    return "\n".join(paragraphs + cells)


def report(client) -> Document:
    answer = client.get("/admin/exports/credentials.docx")
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"].endswith("bao-cao-tham-tra-tu-cach-dai-bieu.docx")
    return Document(io.BytesIO(answer.data))


def set_the_day(client, app, auth, conference_id) -> dict:
    """In the first group: all but two present, one absent excused with a note, one without a word."""
    with app.app_context():
        first = db.session.scalar(sa.select(DelegateGroup).where(DelegateGroup.conference_id == conference_id)
                                  .order_by(DelegateGroup.position))
        members = list(db.session.scalars(sa.select(Delegate).where(Delegate.group_id == first.id)
                                          .order_by(Delegate.id)))
        total = db.session.scalar(sa.select(sa.func.count(Delegate.id))
                                  .where(Delegate.conference_id == conference_id))
        group, people = first.name, [(d.id, d.full_name) for d in members]
    excused, unexcused = people[0], people[1]
    for delegate_id, _ in people[2:]:
        client.post("/api/checkins", json={"delegate_id": delegate_id}, headers=auth("door"))
    client.put(f"/api/delegates/{excused[0]}/absence", json={"reason": "excused", "note": "Đi học tập trung"},
               headers=auth("door"))
    return {"group": group, "size": len(people), "present": len(people) - 2, "total": total,
            "excused": excused[1], "unexcused": unexcused[1]}


def test_the_report_states_summoned_present_and_absent_by_group(admin_client, app, auth, conference_id):
    day = set_the_day(admin_client, app, auth, conference_id)
    document = report(admin_client)
    body = text_of(document)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body and "BÁO CÁO" in body
    assert "Thẩm tra tư cách đại biểu" in body
    total, present = day["total"], day["present"]
    assert f"Tổng số đại biểu được triệu tập: {total} đại biểu." in body
    assert f"Số đại biểu có mặt: {present} đại biểu" in body
    assert (f"Số đại biểu vắng mặt: {total - present} đại biểu, trong đó vắng có lý do: 1, "
            f"vắng không lý do: {total - present - 1}.") in body
    groups = document.tables[1]
    assert [c.text for c in groups.rows[0].cells] == ["STT", "Thành phần", "Triệu tập", "Có mặt",
                                                      "Vắng có lý do", "Vắng không lý do"]
    assert [c.text for c in groups.rows[1].cells] == ["1", day["group"], str(day["size"]), str(present), "1", "1"]
    assert [c.text for c in groups.rows[-1].cells][1:] == ["Tổng số", str(total), str(present), "1",
                                                           str(total - present - 1)]
    # Those absent by name, with their reason; the present are not listed.
    absent = {row.cells[1].text: row.cells[3].text for row in document.tables[2].rows[1:]}
    assert absent[day["excused"]] == "Có lý do: Đi học tập trung"
    assert absent[day["unexcused"]] == "Không lý do"
    assert len(absent) == total - present
    # present < half of 65: the verdict says it is short, and by how much is needed.
    assert f"cần quá nửa số đại biểu được triệu tập có mặt ({total // 2 + 1} đại biểu)" in body
    assert "Hội nghị chưa đủ số lượng đại biểu" in body


def test_a_late_arrival_is_present_whatever_the_absence_said(admin_client, app, auth, conference_id):
    day = set_the_day(admin_client, app, auth, conference_id)
    with app.app_context():
        late = db.session.scalar(sa.select(Delegate.id).where(Delegate.full_name == day["excused"]))
    admin_client.post("/api/checkins", json={"delegate_id": late}, headers=auth("door"))
    body = text_of(report(admin_client))
    assert f"Số đại biểu có mặt: {day['present'] + 1} đại biểu" in body
    assert day["excused"] not in body and "vắng có lý do: 0" in body


def test_the_verdict_follows_the_rule(admin_client, app, auth, conference_id):
    with app.app_context():
        ids = list(db.session.scalars(sa.select(Delegate.id).where(Delegate.conference_id == conference_id)))
    for delegate_id in ids[:len(ids) // 2 + 1]:
        admin_client.post("/api/checkins", json={"delegate_id": delegate_id}, headers=auth("door"))
    assert "Hội nghị đủ số lượng đại biểu" in text_of(report(admin_client))
    admin_client.post("/admin/conference", data={"csrf_token": admin_client.csrf_token, "title": "Hội nghị",
                                                 "award_batch_size": "6", "quorum_rule": "two_thirds"})
    body = text_of(report(admin_client))
    assert "cần ít nhất hai phần ba số đại biểu được triệu tập có mặt" in body
    assert "Hội nghị chưa đủ số lượng đại biểu" in body


def test_the_papers_page_offers_it(admin_client):
    page = admin_client.get("/admin/papers").get_data(as_text=True)
    assert 'id="credentials-docx"' in page and "/admin/exports/credentials.docx" in page
    assert "credentials-report" in page


def test_libreoffice_prints_it_within_the_margins(admin_client, app, auth, conference_id, tmp_path):
    day = set_the_day(admin_client, app, auth, conference_id)
    source = tmp_path / "tham-tra.docx"
    source.write_bytes(admin_client.get("/admin/exports/credentials.docx").data)
    [pdf] = convert_to_pdf([source], tmp_path)
    pages = pdf_pages(pdf)
    text = " ".join(" ".join(w.text for w in page.words) for page in pages)
    assert "BÁO CÁO" in text and "DANH SÁCH ĐẠI BIỂU VẮNG MẶT" in text
    assert all(word in text for word in day["excused"].split()) and "tập trung" in text
    for page in pages:  # NĐ 30/2020's margins: 20 top and bottom, 30 left, 15 right (page numbers above)
        assert not outside(page, 10, 10, 15, 10), [w.text for w in outside(page, 10, 10, 15, 10)][:10]
        assert not [w for w in page.words if w.x0 < 30 * MM - 0.5 * MM]


def test_the_command_line_writes_a_docx_and_nothing_else(app, conference_id, tmp_path):
    from conference.core.errors import ConferenceError
    from conference.papers.credentials import write_credentials
    with app.app_context():
        write_credentials(conference_id, tmp_path / "tham-tra.docx")
        with pytest.raises(ConferenceError) as refused:
            write_credentials(conference_id, tmp_path / "tham-tra.pdf")
    assert refused.value.code == "unsupported_file"
    assert not (tmp_path / "tham-tra.pdf").exists()
    assert "Thẩm tra tư cách đại biểu" in text_of(Document(tmp_path / "tham-tra.docx"))
