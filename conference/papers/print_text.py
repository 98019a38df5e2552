"""Text that must fit on paper: the vendored Be Vietnam Pro (every Vietnamese letter, embedded in
the PDFs) and Liberation Serif (the invitations' serif face, the minutes' own), how wide a text
prints, and how texts wrap and shrink into a box without ever leaving it. The badges (PDF and PNG),
the invitations, the seating chart and the name cards lay out their texts with it."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from PIL import ImageFont
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from conference.core.resources import STATIC

FONT_DIR = STATIC / "vendor" / "fonts"
SERIF_DIR = STATIC / "fonts"  # Liberation Serif: the minutes' face (Times New Roman's metric twin)
REGULAR, BOLD = "BeVietnamPro", "BeVietnamPro-Bold"
SERIF, SERIF_BOLD, SERIF_ITALIC, SERIF_BOLD_ITALIC = ("LiberationSerif", "LiberationSerif-Bold",
                                                      "LiberationSerif-Italic", "LiberationSerif-BoldItalic")
PNG_REGULAR, PNG_BOLD = "png-regular", "png-bold"  # the PNG's fonts, as fit_blocks names them
LEADING = 1.3  # line height / font size: room for the stacked marks of Ố, Ặ over the line below
SMALLEST = 5.0  # pt; below this a badge is no longer read at arm's length


@lru_cache(maxsize=1)
def register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "BeVietnamPro-Regular.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "BeVietnamPro-Bold.ttf")))
    for name in (SERIF, SERIF_BOLD, SERIF_ITALIC, SERIF_BOLD_ITALIC):
        file = "LiberationSerif-Regular.ttf" if name == SERIF else f"{name}.ttf"
        pdfmetrics.registerFont(TTFont(name, str(SERIF_DIR / file)))


def fit_size(text: str, font: str, size: float, width: float, smallest: float = 6) -> float:
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


@dataclass(frozen=True)
class TextBlock:
    """One text of the badge laid out: its font, its size, its lines."""
    font: str
    size: float
    lines: tuple[str, ...]

    @property
    def height(self) -> float:
        return len(self.lines) * self.size * LEADING


def text_width(text: str, font: str, size: float) -> float:
    """Width of text in a PDF font (points) or in one of the PNG's fonts (pixels)."""
    if font in (PNG_REGULAR, PNG_BOLD):
        return pil_font(font == PNG_BOLD, round(size)).getlength(text)
    return pdfmetrics.stringWidth(text, font, size)


def _pieces(word: str, font: str, size: float, width: float) -> Iterator[str]:
    """A word wider than the line, cut where it must be (a long code, a name typed without spaces)."""
    if text_width(word, font, size) <= width:
        yield word
        return
    piece = ""
    for char in word:
        if piece and text_width(piece + char, font, size) > width:
            yield piece
            piece = char
        else:
            piece += char
    if piece:
        yield piece


def wrap(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    """The text broken at spaces into lines no wider than width."""
    lines, current = [], ""
    for word in text.split():
        for piece in _pieces(word, font, size, width):
            candidate = f"{current} {piece}" if current else piece
            if current and text_width(candidate, font, size) > width:
                lines.append(current)
                current = piece
            else:
                current = candidate
    return tuple(lines + [current] if current else lines)


def fit_blocks(texts: list[tuple[str, str, float]], width: float, height: float,
               gap: float = 1.2 * mm, smallest: float = SMALLEST) -> list[TextBlock]:
    """(text, font, size) laid out top to bottom in width x height. Each text first wraps onto as
    many lines as the box allows at its own size; only if they still do not fit does the largest
    shrink (the name, to the size of the others), then all together down to smallest; past that
    the last lines are cut with "…". Nothing is ever drawn outside the box."""
    texts = [(text, font, size) for text, font, size in texts if text]
    if not texts:
        return []
    cap = max(size for _, _, size in texts)
    while True:
        blocks = [TextBlock(font, min(size, cap), wrap(text, font, min(size, cap), width))
                  for text, font, size in texts]
        total = sum(block.height for block in blocks) + gap * (len(blocks) - 1)
        step = max(0.25, cap / 40)  # about 2.5 % a step: a quarter point on a badge, a pixel on the PNG
        if total <= height or cap - step < smallest:
            return _cut_to(blocks, width, height, gap)
        cap -= step


def _cut_to(blocks: list[TextBlock], width: float, height: float, gap: float) -> list[TextBlock]:
    kept, used = [], 0.0
    for block in blocks:
        room = int((height - used + 1e-6) // (block.size * LEADING))
        if room >= len(block.lines):
            kept.append(block)
            used += block.height + gap
            continue
        if room > 0:
            lines = block.lines[:room]
            kept.append(TextBlock(block.font, block.size, lines[:-1] + (
                ellipsis(lines[-1], block.font, block.size, width),)))
        elif kept:
            last = kept[-1]
            kept[-1] = TextBlock(last.font, last.size, last.lines[:-1] + (
                ellipsis(last.lines[-1], last.font, last.size, width),))
        break
    return kept


def ellipsis(line: str, font: str, size: float, width: float) -> str:
    while line and text_width(line + "…", font, size) > width:
        line = line[:-1]
    return line.rstrip() + "…"


def one_line(text: str, font: str, size: float, width: float, smallest: float = SMALLEST) -> tuple[str, float]:
    """A text on one line: shrunk to fit, and past the smallest size cut with "…"."""
    size = fit_size(text, font, size, width, smallest)
    if pdfmetrics.stringWidth(text, font, size) > width:
        text = ellipsis(text, font, size, width)
    return text, size


@lru_cache(maxsize=128)
def pil_font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    name = "BeVietnamPro-Bold.ttf" if bold else "BeVietnamPro-Regular.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), size)
