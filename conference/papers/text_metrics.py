"""How wide a text prints in Times New Roman, and on how many lines it wraps in a given width.

Measured with the Times metrics that ship with ReportLab: an accented Vietnamese letter is as wide as
its base letter in Times New Roman (and in Liberation Serif, its metric twin that LibreOffice uses).
"""
from __future__ import annotations

import unicodedata

from reportlab.pdfbase.pdfmetrics import stringWidth


def text_mm(text: str, size: float, bold: bool = False) -> float:
    """Printed width of text in Times New Roman, in mm."""
    base = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in base if not unicodedata.combining(ch))
    plain = plain.encode("cp1252", "replace").decode("cp1252")
    return stringWidth(plain, "Times-Bold" if bold else "Times-Roman", size) * 25.4 / 72


def line_count(text: str, width_mm: float, size: float, bold: bool = False) -> int:
    """Lines the text takes when wrapped at spaces in width_mm (a word too long for a line: its own)."""
    lines, current = 1, ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and text_mm(candidate, size, bold) > width_mm:
            lines, current = lines + 1, word
        else:
            current = candidate
    return lines
