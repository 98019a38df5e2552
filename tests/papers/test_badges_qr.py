"""Badges: codes are short, unguessable and QR-alphanumeric; every printed and sent badge is read
back by a real QR decoder and checks in the delegate whose name is printed beside it."""
from __future__ import annotations

import math
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
import qrcode
import requests
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from conference.checkin import badgecodes
from conference.papers.badges import BADGE_H, COLUMNS, ROWS

from tests.conftest import ROOT, LiveServer, bearer, lanes, unavailable

QR_ALPHANUMERIC = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
DPI = 150


def test_a_badge_code_carries_at_least_80_random_bits_in_the_qr_alphanumeric_alphabet():
    assert len(set(badgecodes.ALPHABET)) == len(badgecodes.ALPHABET)
    assert set(badgecodes.ALPHABET) <= QR_ALPHANUMERIC
    assert badgecodes.LENGTH * math.log2(len(badgecodes.ALPHABET)) >= 80
    codes = [badgecodes.new_code() for _ in range(5000)]
    assert len(set(codes)) == len(codes)
    assert all(len(code) == badgecodes.LENGTH and set(code) <= set(badgecodes.ALPHABET) for code in codes)
    # every symbol is used at every place, as a uniform draw would
    for place in range(badgecodes.LENGTH):
        assert {code[place] for code in codes} == set(badgecodes.ALPHABET)


def test_a_badge_code_fits_a_small_qr_in_alphanumeric_mode():
    code = badgecodes.new_code()
    assert qrcode.util.QRData(code).mode == qrcode.util.MODE_ALPHA_NUM
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(code)
    qr.make(fit=True)
    assert qr.version == 1


@pytest.mark.parametrize("typed", ["0123456789ABCDEFG", "0123456789abcdefg", "  0123456789ABCDEFG\r\n",
                                   "01234-56789-ABCDE-FG", "0123 4567 89AB CDEF G"])
def test_what_a_scanner_or_a_person_types_is_read_as_the_code(typed):
    assert badgecodes.normalise(typed) == "0123456789ABCDEFG"


def test_letters_read_aloud_as_digits_are_mended_the_crockford_way():
    assert badgecodes.normalise("O1234567890ILLABC") == "01234567890111ABC"


@pytest.mark.parametrize("scanned", ["", "0123456789ABCDEF", "0123456789ABCDEFGH", "0123456789ABCDEFU",
                                     None, 12345, "A" * 10_000, "https://x/0123456789ABCDEFG"])
def test_anything_else_is_not_a_badge_code(scanned):
    assert badgecodes.normalise(scanned) is None


def test_reissuing_a_badge_makes_every_older_code_stop_working(client, auth, app):
    delegate = client.get("/api/delegates", headers=auth("admin")).get_json()["delegates"][0]
    codes = [delegate["badge_code"]]
    for _ in range(2):
        answer = client.post(f"/api/delegates/{delegate['id']}/reissue", headers=auth("admin"))
        assert answer.status_code == 200
        codes.append(answer.get_json()["delegate"]["badge_code"])
    assert len(set(codes)) == 3
    for old in codes[:-1]:
        refused = client.post("/api/checkins", json={"code": old}, headers=auth("door"))
        assert refused.status_code == 410 and refused.get_json()["error"]["code"] == "revoked_code"
        assert refused.get_json()["error"]["delegate"]["id"] == delegate["id"]
    assert client.get("/api/state").get_json()["attendance"]["present"] == 0
    admitted = client.post("/api/checkins", json={"code": codes[-1]}, headers=auth("door"))
    assert admitted.status_code == 201 and admitted.get_json()["delegate"]["id"] == delegate["id"]


def test_the_badge_generator_reports_progress_once_per_file(app, conference_id, tmp_path):
    from conference.papers.badges import generate_badges
    steps = []
    with app.app_context():
        count = generate_badges(conference_id, tmp_path, steps.append)
    assert count == 65 and sum(steps) == 2 * count
    assert len(list(tmp_path.glob("*.png"))) == count


def test_badges_written_again_after_a_reissue_leave_no_png_of_the_old_code(app, client, auth, conference_id,
                                                                           tmp_path):
    from conference.papers.badges import generate_badges
    delegate = client.get("/api/delegates", headers=auth("admin")).get_json()["delegates"][0]
    (tmp_path / "logo.png").write_bytes(b"not ours")
    with app.app_context():
        generate_badges(conference_id, tmp_path)
    assert (tmp_path / f"{delegate['badge_code']}.png").exists()
    new_code = client.post(f"/api/delegates/{delegate['id']}/reissue", headers=auth("admin")
                           ).get_json()["delegate"]["badge_code"]
    with app.app_context():
        generate_badges(conference_id, tmp_path)
    assert not (tmp_path / f"{delegate['badge_code']}.png").exists()
    assert (tmp_path / f"{new_code}.png").exists() and (tmp_path / "logo.png").exists()
    assert len(list(tmp_path.glob("*.png"))) == 65 + 1


def pdf_pages_as_images(pdf: Path, out: Path) -> list[Image.Image]:
    """Render with poppler's pdftoppm, or pypdfium2 when that is what the machine has."""
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(pdf), str(out / "page")], check=True)
        return [Image.open(path) for path in sorted(out.glob("page-*.png"), key=lambda p: int(p.stem[5:]))]
    try:
        import pypdfium2
    except ImportError:
        unavailable("neither pdftoppm (apt-get install poppler-utils) nor pypdfium2 is installed")
    document = pypdfium2.PdfDocument(str(pdf))
    return [page.render(scale=DPI / 72).to_pil() for page in document]


def slot_of(x: float, y: float, page_width: float, page_height: float) -> tuple[int, int]:
    """Which badge of the sheet a point (PDF points, origin bottom left) falls on: (row, column)."""
    bottom = (page_height - ROWS * BADGE_H) / 2
    return ROWS - 1 - int((y - bottom) // BADGE_H), int(x // (page_width / COLUMNS))


def names_by_slot(page, known_names: set[str]) -> dict[tuple[int, int], str]:
    """The delegate name printed on each badge of a PDF page, checking its font is the embedded one."""
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    found = {}

    def visit(text, cm, tm, font, size):
        name = text.strip()
        if name in known_names:
            assert "BeVietnamPro" in font["/BaseFont"] and "/FontFile2" in font["/FontDescriptor"]
            found[slot_of(tm[4], tm[5], width, height)] = name
    page.extract_text(visitor_text=visit)
    return found


@pytest.fixture(scope="module")
@lanes("slow")
def badge_server(tmp_path_factory):
    """One live server for the printed-badge tests: printing is the slow part, done once."""
    server = LiveServer(tmp_path_factory.mktemp("badges") / "instance").start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
@lanes("slow")
def printed(badge_server, tmp_path_factory):
    """badges.pdf and the PNGs written by the real command, for the live server's conference."""
    out = tmp_path_factory.mktemp("printed") / "badges"
    run = subprocess.run([sys.executable, "-m", "conference", "badges", "--out", str(out)], cwd=ROOT,
                         env=badge_server.env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "Thẻ đại biểu" in run.stderr  # the progress bar's label
    assert "65" in run.stdout
    return out


def test_every_printed_badge_decodes_and_checks_in_the_delegate_named_on_it(badge_server, printed, tmp_path):
    live_server = badge_server
    door = bearer(live_server.token("door"))
    everyone = requests.get(live_server.url + "/api/delegates", headers=door, timeout=10).json()["delegates"]
    known = {d["full_name"] for d in everyone}
    assert len(known) == len(everyone)  # names identify delegates in this test

    reader = PdfReader(printed / "badges.pdf")
    assert len(reader.pages) == math.ceil(len(everyone) / (ROWS * COLUMNS))
    images = pdf_pages_as_images(printed / "badges.pdf", tmp_path)
    checked_in: dict[str, str] = {}
    for page, image in zip(reader.pages, images):
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4
        names = names_by_slot(page, known)
        decoded = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        assert len(decoded) == len(names) > 0
        for barcode in decoded:
            corners = [barcode.position.top_left, barcode.position.bottom_right]
            x = sum(p.x for p in corners) / 2 * 72 / DPI
            y = float(page.mediabox.height) - sum(p.y for p in corners) / 2 * 72 / DPI
            expected = names[slot_of(x, y, float(page.mediabox.width), float(page.mediabox.height))]
            answer = requests.post(live_server.url + "/api/checkins", json={"code": barcode.text},
                                   headers=door, timeout=10)
            assert answer.status_code == 201, answer.text
            assert answer.json()["delegate"]["full_name"] == expected
            checked_in[barcode.text] = expected
    assert sorted(checked_in.values()) == sorted(known)

    pngs = sorted(printed.glob("*.png"))
    assert len(pngs) == len(everyone)
    for png in pngs:
        [barcode] = zxingcpp.read_barcodes(Image.open(png), formats=zxingcpp.BarcodeFormat.QRCode)
        assert barcode.text == png.stem
        again = requests.post(live_server.url + "/api/checkins", json={"code": barcode.text}, headers=door,
                              timeout=10)
        assert again.status_code == 200 and again.json()["result"] == "already_checked_in"
        assert again.json()["delegate"]["full_name"] == checked_in[barcode.text]


VIETNAMESE_LETTERS = ("aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứự"
                      "vxyỳỷỹýỵ")


def test_badges_print_names_exactly_in_an_embedded_font_that_has_every_vietnamese_letter(printed):
    from reportlab.pdfbase.ttfonts import TTFont
    from conference.papers.print_text import FONT_DIR
    reader = PdfReader(printed / "badges.pdf")
    fonts = defaultdict(set)
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])].add("/FontFile2" in font.get("/FontDescriptor", {}))
    embedded = {name.split("+")[-1] for name, flags in fonts.items() if flags == {True}}
    assert embedded == {"BeVietnamPro-Bold", "BeVietnamPro-Regular"}
    for name in embedded:
        covered = TTFont(name, str(FONT_DIR / f"{name}.ttf")).face.charToGlyph
        missing = [ch for ch in VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper() if ord(ch) not in covered]
        assert missing == [], name
    printed_text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Hội nghị Điển hình tiên tiến phường An Tân" in printed_text
    assert "Trần Thị Thu Hà" in printed_text and "Lê Đình Phúc" in printed_text


def test_dashed_cut_guides_frame_every_badge_of_a_sheet(printed):
    import re
    from conference.papers.badges import BADGE_W
    content = PdfReader(printed / "badges.pdf").pages[0].get_contents().get_data().decode("latin-1")
    guides = content.split("[2 2] 0 d", 1)[1].split("[] 0 d", 1)[0]
    segments = [tuple(map(float, m)) for m in re.findall(r"([\d.]+) ([\d.]+) m ([\d.]+) ([\d.]+) l S", guides)]
    xs = sorted(x1 for x1, y1, x2, y2 in segments if x1 == x2)
    ys = sorted(y1 for x1, y1, x2, y2 in segments if y1 == y2)
    assert len(xs) == COLUMNS + 1 and len(ys) == ROWS + 1
    assert all(abs((b - a) - BADGE_W) < 0.01 for a, b in zip(xs, xs[1:]))
    assert all(abs((b - a) - BADGE_H) < 0.01 for a, b in zip(ys, ys[1:]))
