"""The thông báo kết luận (papers/conclusion.py): pre-filled from the day (chair, attendance by group,
items held, every closed vote and its outcome, the speakers in order), places marked "[…]" for the
office's conclusions, and the deadline of five working days (Saturdays and Sundays skipped)."""
from __future__ import annotations

from datetime import date

import pytest

from conference.papers.conclusion import notice_deadline
from tests.cli.test_conference_option import run  # noqa: F401  (the fixture)
from tests.papers.day_of_record import ELECTION, QUESTION, SUBJECT, docx_text, set_up_the_day
from tests.papers.pdf_layout import MM, convert_to_pdf, outside, pdf_pages

URL = "/admin/exports/conclusion.docx"


@pytest.mark.parametrize("day, due", [
    (date(2026, 12, 7), date(2026, 12, 14)),  # a Monday: the Monday after
    (date(2026, 12, 4), date(2026, 12, 11)),  # a Friday: the weekend is skipped
    (date(2026, 12, 5), date(2026, 12, 11)),  # a Saturday: counted from the Monday
    (date(2026, 12, 6), date(2026, 12, 11)),  # a Sunday
    (date(2020, 3, 5), date(2020, 3, 12)),  # the demo's Thursday
    (date(2026, 12, 31), date(2027, 1, 7)),  # over the year's end
])
def test_the_deadline_is_five_working_days_after_the_conference(day, due):
    assert notice_deadline(day) == due


def test_the_notice_is_pre_filled_from_the_day(admin_client, app, auth, conference_id):
    day = set_up_the_day(app, admin_client, auth, conference_id)
    answer = admin_client.get(URL)
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"].endswith("thong-bao-ket-luan.docx")
    body = docx_text(answer.data)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body and "THÔNG BÁO" in body
    assert "Số:       /TB-" in body  # the number is left to the office's register
    assert "Kết luận của Mai Anh Hùng tại Hội nghị Điển hình tiên tiến phường An Tân" in body
    assert "Chủ trì hội nghị: Mai Anh Hùng." in body
    assert "Tham dự hội nghị: có mặt 6/65 đại biểu được triệu tập" in body
    assert f"\n1. {day['first_item']}" in body  # item 1 was held, the show stood on it
    [turn] = [line for line in body.splitlines() if SUBJECT in line]
    assert turn.startswith("1. ") and day["speaker"] in turn
    # Every closed vote with its counts and outcome, the question before the election.
    assert body.index(QUESTION) < body.index(ELECTION)
    assert "5/6 đại biểu có mặt (đạt 83,3%)" in body and "1/6 đại biểu có mặt (đạt 16,7%)" in body
    first, second = day["candidates"][:2]
    assert f"trúng cử (quá nửa số đại biểu có mặt): {first}, {second}." in body
    # The office's places to write, and the signer and recipients.
    assert body.count("[…]") >= 4 and "KẾT LUẬN CỦA CHỦ TRÌ HỘI NGHỊ" in body
    assert "Nơi nhận:" in body and "- Lưu: VT." in body
    assert "Hạn ban hành: ngày " in body and "05 ngày làm việc" in body


def test_before_anything_happened_it_says_so(admin_client):
    body = docx_text(admin_client.get(URL).data)
    assert "Chưa có mục nào của chương trình được ghi nhận là đã diễn ra." in body
    assert "Hội nghị không tiến hành biểu quyết." in body


def test_the_papers_page_offers_it_with_its_deadline(admin_client):
    page = admin_client.get("/admin/papers").get_data(as_text=True)
    assert 'id="conclusion-docx"' in page and URL in page and "conclusion-notice" in page
    assert "Hạn ban hành: 12/03/2020" in page  # the demo's 05/3/2020 was a Thursday


def test_the_command_writes_the_chosen_conferences_notice(run, tmp_path):
    second = tmp_path / "thong-bao-2.docx"
    answer = run("conclusion-notice", str(second), "--conference", "2")
    assert answer.exit_code == 0, answer.output
    assert "Hội nghị tháng sau" in docx_text(second.read_bytes())
    active = tmp_path / "thong-bao.docx"
    assert run("conclusion-notice", str(active)).exit_code == 0
    assert "Hội nghị tháng sau" not in docx_text(active.read_bytes())
    for args, reason in (((str(tmp_path / "a.docx"), "--conference", "99"), "Không tìm thấy hội nghị"),
                         ((str(tmp_path / "a.pdf"),), "chỉ xuất được dưới dạng .docx")):
        refused = run("conclusion-notice", *args)
        assert refused.exit_code == 1 and reason in refused.output, refused.output
    assert not (tmp_path / "a.docx").exists() and not (tmp_path / "a.pdf").exists()


def test_libreoffice_prints_it(admin_client, app, auth, conference_id, tmp_path):
    set_up_the_day(app, admin_client, auth, conference_id)
    source = tmp_path / "thong-bao.docx"
    source.write_bytes(admin_client.get(URL).data)
    [pdf] = convert_to_pdf([source], tmp_path)
    pages = pdf_pages(pdf)
    text = " ".join(" ".join(w.text for w in page.words) for page in pages)
    assert "THÔNG BÁO" in text and "KẾT QUẢ BIỂU QUYẾT" in text and "[…]" in text
    for page in pages:  # NĐ 30/2020's margins: nothing in the left 30 mm, nothing off the page's edges
        assert not outside(page, 10, 10, 15, 10), [w.text for w in outside(page, 10, 10, 15, 10)][:10]
        assert not [w for w in page.words if w.x0 < 30 * MM - 0.5 * MM]
