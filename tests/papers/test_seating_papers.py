"""The seating chart and the desk name cards read back from their PDFs with pdftotext -layout, one
seat or one face at a time: every name whole inside its own seat's box, empty seats marked,
nothing across a name card's fold and both faces readable; the danh xưng on the invitation and in
the MC's printed script; the three commands of the command line."""
from __future__ import annotations

import io
import math
import re
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from docx import Document

from conference.core.db import db
from conference.core.models import Delegate
from conference.papers import name_cards
from conference.papers.seating_chart import chart_pages, seating_chart_pdf
from conference.seating.assign import assign_seat
from conference.office.details import update_delegate

LONG_NAME = "Nguyễn Thị Phương Thảo Hoàng Lê Minh Khôi Đặng"  # 46 characters


def crop(pdf: Path, page: int, x: float, top: float, width: float, height: float) -> str:
    """The text pdftotext -layout finds inside the box (points, from the page's top left), on one line."""
    box = [str(math.floor(x)), str(math.floor(top)), str(math.ceil(width)), str(math.ceil(height))]
    out = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), "-x", box[0], "-y", box[1],
                          "-W", box[2], "-H", box[3], str(pdf), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


@pytest.fixture
def long_named(app, conference_id) -> int:
    """The id of a delegate of 46 characters, seated in the hall and given a danh xưng."""
    with app.app_context():
        delegate = db.session.scalar(sa.select(Delegate).where(Delegate.full_name == "Lê Văn Toàn"))
        update_delegate(conference_id, delegate.id, LONG_NAME, "Tổ viên Tổ bảo vệ an ninh trật tự cơ sở", None,
                        delegate.group_id, None, "Ông")
        return assign_seat(conference_id, delegate.id, "A5-6").id


@pytest.mark.parametrize("size", ["A3", "A4"])
def test_the_seating_chart_prints_each_name_whole_inside_its_own_seat_and_marks_the_empty_ones(
        app, conference_id, long_named, size, tmp_path, has_tool):
    if not has_tool("pdftotext"):
        pytest.skip("pdftotext is not installed")
    with app.app_context():
        (_, height), pages = chart_pages(conference_id, size)
        pdf = tmp_path / "chart.pdf"
        pdf.write_bytes(seating_chart_pdf(conference_id, size))
        seated = dict(db.session.execute(sa.select(Delegate.seat, Delegate.full_name)
                                         .where(Delegate.conference_id == conference_id)).all())
    boxes = [(number, box) for number, page in enumerate(pages, start=1) for box in page.boxes]
    assert {box.code for _, box in boxes} >= set(seated)  # every seated delegate is on the chart
    for number, box in boxes:
        inside = crop(pdf, number, box.x, height - box.y - box.h, box.w, box.h)
        assert inside == f"{box.code} {seated.get(box.code) or '— trống —'}", (size, box.code)
    assert any(box.name == LONG_NAME for _, box in boxes)


def test_name_cards_print_both_faces_whole_the_back_upside_down_and_nothing_across_the_fold(
        app, conference_id, long_named, tmp_path, has_tool):
    if not has_tool("pdftotext"):
        pytest.skip("pdftotext is not installed")
    with app.app_context():
        cards = name_cards.cards_for(conference_id, [long_named])
        pdf = tmp_path / "cards.pdf"
        pdf.write_bytes(name_cards.name_cards_pdf(conference_id, [long_named]))
    assert [c.full_name for c in cards[:6]] == ["Phạm Quốc Đạt", "Mai Anh Hùng", "Nguyễn Văn Thắng", "Đỗ Văn Lâm",
                                                "Bùi Văn Tường", "Lê Thị Ngọc Diệp"]  # the presidium by seat, TK1
    assert [c.full_name for c in cards].count(LONG_NAME) == 1 and len(cards) == 6 + 20 + 1  # the guest rows' 20
    width, face, clear = name_cards.PAGE_W, name_cards.FACE_H, name_cards.FOLD_CLEAR
    for number, card in enumerate(cards, start=1):
        expected = " ".join(part for part in (card.honorific, card.full_name, card.position) if part)
        assert crop(pdf, number, 0, face, width, face) == expected  # the front, upright
        assert crop(pdf, number, 0, 0, width, face) == expected  # the back, upside down, read the same
        assert crop(pdf, number, 0, face - clear + 1, width, 2 * clear - 2) == ""  # clear of the fold
    long_card = next(c for c in cards if c.full_name == LONG_NAME)
    name = name_cards.face_blocks(long_card)[1]
    assert long_card.honorific == "Ông" and len(name.lines) == 2  # wrapped onto two lines, whole
    longest = name_cards.Card("Đồng chí", (LONG_NAME + " ") * 2 + "Rơ Châm Hlun", "")  # 106 characters
    blocks = name_cards.face_blocks(longest)
    assert " ".join(blocks[1].lines) == longest.full_name and blocks[1].size < name_cards.NAME_SIZE  # shrunk, not cut


def test_the_invitation_and_the_mcs_script_use_the_danh_xung_and_read_as_before_without(
        app, admin_client, conference_id, has_tool):
    if not has_tool("pdftotext"):
        pytest.skip("pdftotext is not installed")
    with app.app_context():
        people = {d.full_name: d for d in db.session.scalars(sa.select(Delegate))}
        trang = people["Hồ Thị Thu Trang"]  # a tham luận speaker of the demo
        plain_id, trang_id = people["Trần Văn Hiếu"].id, trang.id
        update_delegate(conference_id, trang.id, trang.full_name, trang.position, trang.unit, trang.group_id,
                        trang.seat, "Bà")

    def invitation(delegate_id: int, *flags: str) -> str:
        data = admin_client.get(f"/admin/invitations.pdf?delegate={delegate_id}").data
        return subprocess.run(["pdftotext", *flags, "-", "-"], input=data, capture_output=True,
                              check=True).stdout.decode()
    with_title, plain = (" ".join(invitation(i).split()) for i in (trang_id, plain_id))
    plain_layout = invitation(plain_id, "-layout")
    assert "Kính gửi: Bà Hồ Thị Thu Trang" in with_title and "trân trọng kính mời Bà đến dự" in with_title
    assert "Kính gửi: Trần Văn Hiếu" in plain and "trân trọng kính mời Ông (Bà) đến dự" in plain
    assert "phường An Tân lần thứ IV" in plain  # no capital mid-sentence
    assert re.search(r"Nơi nhận: +TM\. BAN TỔ CHỨC", plain_layout) and "TRƯỞNG BAN" in plain_layout  # side by side
    script = Document(io.BytesIO(admin_client.get("/admin/exports/script.docx").data))
    said = " ".join(cell.text for table in script.tables for row in table.rows for cell in row.cells)
    assert "kính mời Bà Hồ Thị Thu Trang trình bày tham luận" in said
    assert "kính mời Trần Văn Hiếu trình bày tham luận" in said  # no danh xưng: as before


def test_the_command_line_seats_the_unseated_and_writes_the_chart_and_the_name_cards(tmp_path, has_tool):
    from conference.cli.commands import cli
    env = {"CONFERENCE_INSTANCE": str(tmp_path / "instance"), "CONFERENCE_LANG": "vi",
           "CONFERENCE_ADMIN_PASSWORD": "seating-cli-password"}

    def run(*args: str):
        return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    assert run("assign-seats").output.strip() == "Đã xếp ghế cho 0 đại biểu."  # the demo is seated already
    chart, cards, every = tmp_path / "so-do.pdf", tmp_path / "bien-ten.pdf", tmp_path / "tat-ca.pdf"
    assert run("seating-chart", "--out", str(chart), "--size", "A4", "--conference", "1").exit_code == 0
    assert run("name-cards", "--out", str(cards)).exit_code == 0
    assert run("name-cards", "--out", str(every), "--all").exit_code == 0
    refused = run("seating-chart", "--out", str(tmp_path / "x.pdf"), "--conference", "99")
    assert refused.exit_code == 1 and not (tmp_path / "x.pdf").exists()
    if has_tool("pdfinfo"):
        pages = {path: int(next(line.split()[-1] for line in subprocess.run(
            ["pdfinfo", str(path)], capture_output=True, text=True).stdout.splitlines() if line.startswith("Pages")))
            for path in (chart, cards, every)}
        assert pages[cards] == 26 and pages[every] == 65 and pages[chart] == 3
