"""The office's papers opened the way a ward office opens them: LibreOffice converts the minutes, the
MC's script and the attendance workbook of a whole demo day to PDF, once for the module, and the
PDF is read back word by word with its position on the page."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from conference.core.textnorm import mid_sentence

from tests.papers.pdf_layout import MM, Page, convert_to_pdf, outside, pdf_pages, soffice

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"


NOTES = {  # what the secretary types under items 2 and 8 during the day
    2: "Đồng chí Mai Anh Hùng, Chủ tịch UBND phường, phát biểu khai mạc, quán triệt mục đích, yêu cầu.\n"
       "Hội nghị thống nhất chương trình làm việc.",
    8: "Ý kiến: đồng chí Bùi Văn Tường đề nghị bổ sung một đại biểu nữ; chủ tọa kết luận giữ danh sách.",
}


class DemoDayClock:
    """The show's clock on the demo's planned day, from 07:30 in An Tân, three minutes a move."""

    def __init__(self):
        self.now = datetime(2020, 3, 5, 0, 27, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def tick(self) -> None:
        self.now += timedelta(minutes=3)


def run_demo_day(conference_id: int) -> None:
    """40 delegates in, every item and step run, every award presented, the vote taken, notes typed,
    on the planned day (the minutes are dated by the day their clock was read)."""
    from conference.core.db import db
    from conference.core.models import Delegate
    from conference.checkin import checkins as checkin
    from conference.show import moves as show
    for delegate_id in list(db.session.scalars(sa.select(Delegate.id).order_by(Delegate.id)))[:40]:
        checkin.check_in(conference_id, delegate_id=delegate_id, device="Cửa 1")
    clock = DemoDayClock()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(show, "utcnow", clock)
        _run_the_program(conference_id, clock)


def _run_the_program(conference_id: int, clock: DemoDayClock) -> None:
    from conference.core.db import db
    from conference.core.models import AgendaItem
    from conference import awards
    from conference.papers import notes as secretary_notes
    from conference.show import moves as show
    from conference.awards import day as award_day
    for _ in range(100):
        clock.tick()
        show.next_item(conference_id)
        running = db.session.scalars(sa.select(AgendaItem).where(AgendaItem.started_at.is_not(None),
                                                                 AgendaItem.ended_at.is_(None))).first()
        if running is None:
            break
        if running.kind.value == "awards":
            for announcement in awards.calling_order(conference_id):
                awards.next_announcement(conference_id)  # the decision
                awards.next_announcement(conference_id)  # the names
                for honouree in announcement.honourees:
                    award_day.record_presentation(conference_id, honouree.id, "received", None, confirm=True)
        if running.kind.value == "vote":
            from conference.votes.record import record_show_of_hands
            record_show_of_hands(conference_id, 38)
        if running.position in NOTES:
            secretary_notes.save_notes(conference_id, running.id, NOTES[running.position])


@pytest.fixture(scope="module")
def papers(tmp_path_factory) -> dict[str, Path]:
    """The demo day's papers, converted to PDF by LibreOffice in one run."""
    soffice()
    from conference import create_app
    from conference.papers.attendance import attendance_xlsx
    from conference.papers.script import script_docx
    from conference.papers.minutes import minutes_docx
    from conference.core.state import default_conference_id
    folder = tmp_path_factory.mktemp("papers")
    app = create_app({"INSTANCE_PATH": str(folder / "instance"), "TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'day.db'}"})
    with app.app_context():
        conference_id = default_conference_id()
        sources = {"script": folder / "kich-ban.docx"}
        sources["script"].write_bytes(script_docx(conference_id))  # as printed before the day
        run_demo_day(conference_id)
        sources["minutes"], sources["attendance"] = folder / "bien-ban.docx", folder / "diem-danh.xlsx"
        sources["minutes"].write_bytes(minutes_docx(conference_id))
        sources["attendance"].write_bytes(attendance_xlsx(conference_id))
        from conference.core.db import db
        db.session.remove()
        db.engine.dispose()
    pdfs = convert_to_pdf(list(sources.values()), folder)
    return dict(zip(sources, pdfs))


def header_checks(page, number: str | None = "Số:") -> None:
    """NĐ 30/2020 header: quốc hiệu and tiêu ngữ each on one line in the right column, the agency in
    the left one, "Số:" level with the place and date."""
    lines = page.lines()
    assert QUOC_HIEU in lines[0] and TIEU_NGU in lines[1], lines[:3]
    middle = page.width / 2
    quoc_hieu, tieu_ngu = page.find(QUOC_HIEU), page.find(TIEU_NGU)
    assert len({round(w.bottom) for w in quoc_hieu}) == 1 and len({round(w.bottom) for w in tieu_ngu}) == 1
    left_edge = 30 * MM + 70 * MM  # the agency column ends 70 mm into the text
    assert min(w.x0 for w in quoc_hieu) > left_edge - 1 and min(w.x0 for w in tieu_ngu) > left_edge - 1
    agency = page.find("ỦY BAN NHÂN DÂN")
    assert agency and max(w.x1 for w in agency) < left_edge and agency[0].top < tieu_ngu[0].bottom + 20
    place = page.find("An Tân, ngày 05 tháng 3 năm 2020")
    assert place and middle < place[0].x0
    if number:
        found = page.find(number)
        assert found and abs(found[0].bottom - place[0].bottom) < 2 and found[0].x1 < middle


def test_the_minutes_print_as_an_administrative_document_of_two_to_four_pages(papers):
    pages = pdf_pages(papers["minutes"])
    assert 2 <= len(pages) <= 4, len(pages)
    first = pages[0]
    assert (round(first.width / MM), round(first.height / MM)) == (210, 297)  # A4 portrait
    header_checks(first)
    lines = first.lines()
    title = lines.index("BIÊN BẢN")
    assert lines[title + 1] == "Hội nghị Điển hình tiên tiến phường An Tân lần thứ IV (2020-2025)"
    for number, page in enumerate(pages, start=1):
        # the body between the margins (left 30, right 15, top and bottom 20 mm); the page number
        # (from page two on, centred) in the top margin
        body = [w for w in page.words if not (number > 1 and w.bottom < 20 * MM)]
        assert outside(Page(page.width, page.height, body), 30, 20, 15, 20) == [], number
        heading = [w.text for w in page.words if w.bottom < 20 * MM]
        assert heading == ([] if number == 1 else [str(number)])
        if number > 1:
            [mark] = [w for w in page.words if w.bottom < 20 * MM]
            assert abs((mark.x0 + mark.x1) / 2 - (30 * MM + (page.width - 45 * MM) / 2)) < 3 * MM


def without_page_number(page) -> Page:
    return Page(page.width, page.height, [w for w in page.words if w.bottom > 20 * MM])


def test_the_minutes_state_the_program_in_columns_that_hold_their_words(papers):
    pages = pdf_pages(papers["minutes"])
    text = [line for page in pages for line in without_page_number(page).lines()]
    whole = "\n".join(text)
    assert "Chủ tọa: Mai Anh Hùng." in whole and "có mặt 40/65 đại biểu" in whole
    assert "tán thành 38/40 đại biểu có mặt" in whole
    # the table's header on one line, each heading whole: the columns have real widths
    assert any(line.split() == ["STT", "Nội", "dung", "Người", "trình", "bày", "Bắt", "đầu", "Kết", "thúc"]
               for line in text), [line for line in text if line.startswith("STT")]
    assert any(line.startswith("1 Chào cờ") for line in text)
    signatures = next(line for line in text if "THƯ KÝ" in line)
    assert signatures == "THƯ KÝ CHỦ TỌA"
    # the secretary's notes, as the diễn biến under their items, in the program's order
    start = text.index("Diễn biến hội nghị")
    assert text[start + 1].startswith("2. Khai mạc hội nghị (") and text[start + 1].endswith(")")
    words = joined(" ".join(text[start + 2:]).split())
    first, second = (joined(NOTES[2].split()), joined(NOTES[8].split()))
    assert first in words and second in words and words.index(first) < words.index(second)
    assert text[-4:] == ["Nơi nhận:", "- UBND thị xã An Khê (để báo cáo);", "- Các đại biểu dự hội nghị;",
                         "- Lưu: VT."]


@pytest.mark.parametrize("paper", ["minutes", "attendance", "script"])
def test_the_papers_print_in_times_new_roman_or_its_metric_twin(papers, paper):
    """A cell or paragraph without a named font falls back to the reader's default font."""
    import subprocess
    fonts = subprocess.run(["pdffonts", str(papers[paper])], capture_output=True, text=True).stdout
    names = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]}
    assert names and all(n.startswith(("TimesNewRoman", "LiberationSerif")) for n in names), names


ATTENDANCE_HEADER = ["STT", "Họ", "và", "tên", "Chức", "vụ", "Đơn", "vị", "Thành", "phần", "Điểm", "danh",
                     "Giờ", "đến", "Cửa", "Ghế"]


def test_the_attendance_workbook_prints_fitted_to_a4_with_its_header_and_page_number_on_every_page(papers):
    pages = pdf_pages(papers["attendance"])
    summary = [n for n, page in enumerate(pages) if "Triệu tập" in " ".join(page.lines()[:3])]
    lists = pages[:summary[0]]
    assert summary and 2 <= len(lists) <= 4, len(pages)
    assert pages[0].lines()[0] == "DANH SÁCH ĐIỂM DANH ĐẠI BIỂU"  # the title keeps its diacritics
    listed = []
    for number, page in enumerate(pages, start=1):
        lines = page.lines()
        assert lines[-1] == f"Trang {number} / {len(pages)}", lines[-1]  # the footer
        footer = page.find(lines[-1])
        assert footer[-1].top > page.height - 20 * MM
        assert outside(page, 5, 5, 5, 5) == []
        if page in lists:
            assert (page.width > page.height) and round(page.width / MM) == 297  # A4 landscape
            header = next(i for i, line in enumerate(lines) if line.split() == ATTENDANCE_HEADER)
            # all eight columns across the page: fitted to the width, never a strip of columns alone
            assert page.find("Cửa")[0].x1 < page.width - 10 * MM
            listed += [line for line in lines[header + 1:-1] if line.split()[0].isdigit()]
    numbers = [int(line.split()[0]) for line in listed]
    assert numbers == list(range(1, 66))  # every delegate once, in order, over the pages
    total = next(line for line in pages[summary[0]].lines() if line.startswith("Tổng cộng"))
    assert total.split()[-3:] == ["40", "65", "25"]


def joined(words) -> str:
    """Words as one line; "2020-" + "2025" at a line break read as the "2020-2025" they print."""
    return re.sub(r"-\s+", "-", " ".join(words))


def test_the_mc_script_has_the_header_the_planned_times_and_every_word_of_the_mc(papers):
    import json
    from conference.office.demo import DEMO_FILE
    plan = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    pages = pdf_pages(papers["script"])
    header_checks(pages[0], number=None)
    lines = pages[0].lines()
    assert lines[lines.index("KỊCH BẢN CHƯƠNG TRÌNH") + 1] == (
        "Hội nghị Điển hình tiên tiến phường An Tân lần thứ IV (2020-2025)")
    for number, page in enumerate(pages, start=1):
        body = [w for w in page.words if not (number > 1 and w.bottom < 20 * MM)]
        assert outside(Page(page.width, page.height, body), 30, 20, 15, 20) == [], number
        assert any(line.split() == ["Thời", "gian", "Nội", "dung,", "lời", "dẫn", "Người", "thực", "hiện"]
                   for line in page.lines())  # the table's header, again on every page
    # the words of the content column in reading order (without the header row repeated on each page)
    column = (30 + 28) * MM, (30 + 28 + 97) * MM
    text = joined(w.text for page in pages for w in page.words
                  if column[0] <= w.x0 and w.x1 <= column[1] and w.top > page.find("Nội dung, lời dẫn")[0].bottom)
    lines = [line for page in pages for line in page.lines()]
    clock, values = 7 * 60 + 30, {"title": plan["conference"]["title"], "edition": mid_sentence(plan["conference"]["edition"]),
                                  "period": plan["conference"]["period"], "expected": "65", "present": "……",
                                  "absent": "……"}
    for position, item in enumerate(plan["agenda"], start=1):
        end = clock + item["planned_minutes"]
        span = f"{clock // 60:02d}:{clock % 60:02d} – {end // 60:02d}:{end % 60:02d}"
        assert joined(f"{position}. {item['title']}".split()) in text
        assert any(line.startswith(f"{span} {position}. ") for line in lines), span
        for line in item["script"].format(**values).splitlines():
            assert joined(line.split()) in text, line
        for index, step in enumerate(item["steps"]):
            talk = step["title"].removeprefix("Tham luận: ")
            thanks = f"Xin cảm ơn {item['steps'][index - 1]['presenter']}. Tiếp theo, x" if index else "X"
            assert joined(f"{thanks}in trân trọng kính mời {step['presenter']} trình bày tham luận: “{talk}”.".split()
                          ) in text
        clock = end
    assert "NGƯỜI DẪN CHƯƠNG TRÌNH DUYỆT CỦA CHỦ TỌA" in " ".join(pages[-1].lines())
