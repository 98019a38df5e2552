"""Badges never overprint: read back from the PDF word by word with its position, no word crosses a
cut line into the next badge or touches a QR code, at the demo's longest positions and at the
longest names, positions, units and titles a roster can carry; and every QR code still decodes."""
from __future__ import annotations

import zxingcpp

from conference.checkin import badgecodes
from conference.papers.badges import BADGE_H, BADGE_W, COLUMNS, ROWS, BadgeText, qr_square, write_pdf

from tests.papers.pdf_layout import MM, pdf_pages
from tests.papers.test_badges_qr import DPI, pdf_pages_as_images

TITLE = "Hội nghị Điển hình tiên tiến phường An Tân lần thứ IV (2020-2025)"
WORDS = "Nguyễn Thị Phương Thảo Hoàng Lê Minh Khôi Đặng Ngọc Thạch Rơ Châm Hlun Huỳnh Tấn Lộc".split()


def words_of(length: int, offset: int = 0) -> str:
    """Vietnamese words, exactly length characters long (no space at either end)."""
    text = " ".join(WORDS[(offset + i) % len(WORDS)] for i in range(length))[:length]
    return text if not text.endswith(" ") else text[:-1] + "a"


def long_badges() -> list[BadgeText]:
    code = badgecodes.new_code
    position = "Phó Bí thư Đảng ủy, Chủ tịch UBND phường, Chủ tịch Hội đồng Thi đua - Khen thưởng phường "
    return [
        BadgeText(code(), words_of(150), words_of(150, 3), "UBND phường An Tân", "Lãnh đạo UBND phường",
                  "#c62828", TITLE),
        BadgeText(code(), "Mai Anh Hùng", (position * 3)[:200], words_of(200, 5), words_of(200, 7),
                  "#1565c0", words_of(300, 2)),
        BadgeText(code(), "X" * 150, "Y" * 200, "Z" * 200, "G" * 200, "#2e7d32", "T" * 300),
    ]


def slots(page) -> list[tuple[float, float, float, float]]:
    """The badges of a sheet as (left, top, right, bottom) in poppler's coordinates (origin top left)."""
    left = (page.width - COLUMNS * BADGE_W) / 2
    top = (page.height - ROWS * BADGE_H) / 2
    return [(left + c * BADGE_W, top + r * BADGE_H, left + (c + 1) * BADGE_W, top + (r + 1) * BADGE_H)
            for r in range(ROWS) for c in range(COLUMNS)]


def qr_box(slot) -> tuple[float, float, float, float]:
    left, top, right, bottom = slot
    x, y, size = qr_square(left, 0)  # badges.py's own corner, from the badge's lower-left corner
    below = y  # distance from the badge's bottom edge
    return x, bottom - below - size, x + size, bottom - below


def overlaps(word, box) -> bool:
    left, top, right, bottom = box
    return word.x0 < right and word.x1 > left and word.top < bottom and word.bottom > top


def check_sheets(pdf, badges: list[BadgeText], tmp_path) -> dict[str, str]:
    """Every word inside one badge, a clear 1 mm from its cut lines, off every QR code; every QR
    decodes to the code of the badge it is on. Returns the text printed on each badge, by code."""
    pages = pdf_pages(pdf)
    images = pdf_pages_as_images(pdf, tmp_path)
    printed = {}
    for number, (page, image) in enumerate(zip(pages, images)):
        on_page = badges[number * COLUMNS * ROWS:(number + 1) * COLUMNS * ROWS]
        boxes = slots(page)[:len(on_page)]
        words = {index: [] for index in range(len(boxes))}
        for word in page.words:
            inside = [i for i, (left, top, right, bottom) in enumerate(boxes)
                      if left + MM <= word.x0 and word.x1 <= right - MM and top + MM <= word.top
                      and word.bottom <= bottom - MM]
            assert len(inside) == 1, f"{word} crosses a cut line"
            assert not any(overlaps(word, qr_box(box)) for box in boxes), f"{word} is on a QR code"
            words[inside[0]].append(word)
        decoded = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        assert len(decoded) == len(on_page)
        scale = 72 / DPI
        for barcode in decoded:
            x = (barcode.position.top_left.x + barcode.position.bottom_right.x) / 2 * scale
            y = (barcode.position.top_left.y + barcode.position.bottom_right.y) / 2 * scale
            [index] = [i for i, box in enumerate(boxes) if box[0] < x < box[2] and box[1] < y < box[3]]
            assert barcode.text == on_page[index].code
        for index, badge in enumerate(on_page):
            printed[badge.code] = " ".join(w.text for w in sorted(words[index], key=lambda w: (w.top, w.x0)))
    assert len(printed) == len(badges)
    return printed


def test_the_demo_badges_print_every_word_of_the_longest_positions_clear_of_qr_and_cut_lines(
        app, conference_id, tmp_path):
    from conference.papers.badges import badge_texts
    with app.app_context():
        badges = badge_texts(conference_id)
    badges.sort(key=lambda b: -len(b.position))  # the longest positions (the ward chairman's) first
    pdf = tmp_path / "badges.pdf"
    write_pdf(pdf, badges)
    printed = check_sheets(pdf, badges, tmp_path)
    for badge in badges:  # nothing cut short: wrapped, not clipped
        for text in (badge.full_name, badge.position, badge.unit, badge.group, badge.title):
            for word in text.split():
                assert word in printed[badge.code].split(), (word, badge.full_name)


def test_names_and_positions_of_150_characters_wrap_smaller_and_still_print_whole(tmp_path):
    badge = long_badges()[0]
    pdf = tmp_path / "long.pdf"
    write_pdf(pdf, [badge])
    printed = check_sheets(pdf, [badge], tmp_path)[badge.code].split()
    for text in (badge.full_name, badge.position, badge.unit):
        assert all(word in printed for word in text.split())
    assert "…" not in " ".join(printed)


def test_texts_longer_than_a_badge_can_hold_are_cut_with_an_ellipsis_never_overprinted(tmp_path):
    badges = long_badges()
    pdf = tmp_path / "longest.pdf"
    write_pdf(pdf, badges)
    printed = check_sheets(pdf, badges, tmp_path)
    assert "…" in printed[badges[2].code] and "XXXX" in printed[badges[2].code]


def test_the_phone_badge_wraps_long_texts_inside_its_edges_and_leaves_its_qr_code_untouched(tmp_path):
    from PIL import Image, ImageChops
    from conference.papers.badges import write_png
    short = BadgeText(badgecodes.new_code(), "An", "", "", "G", "#c62828", "T")
    for number, badge in enumerate(long_badges()):
        badge = BadgeText(short.code, *[getattr(badge, f) for f in ("full_name", "position", "unit", "group",
                                                                    "color", "title")])
        write_png(tmp_path / "long.png", badge)
        write_png(tmp_path / "short.png", BadgeText(badge.code, "An", "", "", "G", badge.color, "T"))
        long_image, short_image = (Image.open(tmp_path / f"{n}.png").convert("RGB") for n in ("long", "short"))
        [barcode] = zxingcpp.read_barcodes(long_image, formats=zxingcpp.BarcodeFormat.QRCode)
        assert barcode.text == badge.code
        qr_top, qr_bottom = 160, 160 + (21 + 8) * 18  # version 1, box 18 px, border 4 modules
        qr = (0, qr_top, long_image.width, qr_bottom)
        assert ImageChops.difference(long_image.crop(qr), short_image.crop(qr)).getbbox() is None, number
        for x in (range(0, 15), range(long_image.width - 15, long_image.width)):  # nothing reaches the edges
            for y in range(0, long_image.height, 3):
                assert long_image.getpixel((x.start, y)) == short_image.getpixel((x.start, y)), (number, y)
