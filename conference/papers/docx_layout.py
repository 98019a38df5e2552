"""The administrative layout of NĐ 30/2020/NĐ-CP, Phụ lục I, for the .docx papers (minutes, MC script).

A4 portrait, margins top/bottom 20 mm, left 30 mm, right 15 mm, Times New Roman. The header is a
two-column table: the agency block (parent body upright, the agency itself bold, a short rule under
it, then "Số: …/BB-…") beside the quốc hiệu and tiêu ngữ (each on one line, a rule as long as the
tiêu ngữ under it, then the place and date in italics). Page numbers are centred in the header
from page two on.

LibreOffice lays tables out from the table grid (w:tblGrid), Word from the cell widths: both are
written, with a fixed layout, so each paper looks the same in either. Text widths: text_metrics.py.
"""
from __future__ import annotations

import unicodedata

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .text_metrics import text_mm

FONT = "Times New Roman"
PAGE_W, PAGE_H = 210, 297
TOP, BOTTOM, LEFT, RIGHT = 20, 20, 30, 15  # mm
TEXT_W = PAGE_W - LEFT - RIGHT  # 165 mm
AGENCY_W, MOTTO_W = 70, TEXT_W - 70  # the header's two columns, mm
CELL_PAD = 1.9  # mm each side: Word's and LibreOffice's default cell margin
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
# Words that begin the place part of an agency's name: "ỦY BAN NHÂN DÂN | PHƯỜNG AN TÂN".
LEVELS = ("PHƯỜNG", "XÃ", "THỊ", "QUẬN", "HUYỆN", "TỈNH", "THÀNH", "ĐẶC")


def setup(document, title: str) -> None:
    """A4 portrait, the decree's margins, Times New Roman 13 with a first-line indent and 6 pt after."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
    section.top_margin, section.bottom_margin = Mm(TOP), Mm(BOTTOM)
    section.left_margin, section.right_margin = Mm(LEFT), Mm(RIGHT)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.element.rPr.rFonts.set(qn("w:cs"), FONT)
    style.paragraph_format.space_before = Pt(0)
    style.paragraph_format.space_after = Pt(4)
    style.paragraph_format.line_spacing = 1.1
    _page_numbers_from_page_two(section)
    document.core_properties.title = title


def _page_numbers_from_page_two(section) -> None:
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        run = paragraph.add_run()
        run.font.size = Pt(13)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text.strip() == "PAGE":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        else:
            run.text = text


def paragraph(container, text: str = "", bold=False, italic=False, size=None, align=None, indent=False,
              after=None):
    """A paragraph of one run; indent: the body's first-line indent (1.27 cm)."""
    para = container.add_paragraph()
    if text:
        run = para.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    if align is not None:
        para.alignment = align
    if indent:
        para.paragraph_format.first_line_indent = Mm(12.7)
        if align is None:
            para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if after is not None:
        para.paragraph_format.space_after = Pt(after)
    return para


def cell_paragraph(cell, text: str, bold=False, italic=False, size=None, align=WD_ALIGN_PARAGRAPH.CENTER):
    """Fill a cell: its first paragraph for the first line, new paragraphs for the rest."""
    para = cell.paragraphs[0] if not cell.paragraphs[0].text else cell.add_paragraph()
    run = para.add_run(text)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    para.alignment = align
    para.paragraph_format.first_line_indent = Mm(0)
    para.paragraph_format.space_after = Pt(0)
    return para


def fixed_table(container, widths_mm: tuple[float, ...], rows: int = 1, grid: bool = False):
    """A table whose columns are exactly widths_mm wide: the grid, every cell, fixed layout."""
    table = container.add_table(rows=rows, cols=len(widths_mm))
    if grid:
        table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    properties = table._tbl.tblPr
    width = properties.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        properties.append(width)
    width.set(qn("w:w"), str(_twips(sum(widths_mm))))
    width.set(qn("w:type"), "dxa")
    for column, mm_ in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm):
        column.set(qn("w:w"), str(_twips(mm_)))
    for row in table.rows:
        set_widths(row, widths_mm)
    return table


def set_widths(row, widths_mm, keep_whole: bool = True) -> None:
    """Every cell's width; keep_whole: the row is never split across two pages."""
    if keep_whole and (row._tr.trPr is None or row._tr.trPr.find(qn("w:cantSplit")) is None):
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for cell, mm_ in zip(row.cells, widths_mm):
        cell.width = Mm(mm_)


def add_row(table, widths_mm, values, size=12, left_columns=(), bold=False, keep_whole=True):
    cells = table.add_row().cells
    set_widths(table.rows[-1], widths_mm, keep_whole)
    for index, (cell, value) in enumerate(zip(cells, values)):
        cell_paragraph(cell, value or "", bold=bold, size=size,
                       align=WD_ALIGN_PARAGRAPH.LEFT if index in left_columns else WD_ALIGN_PARAGRAPH.CENTER)
    return cells


def repeat_as_header(row) -> None:
    """The row is printed again at the top of every page the table runs onto."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _twips(mm_: float) -> int:
    return round(mm_ * 1440 / 25.4)


def rule(container, width_mm: float, column_mm: float) -> None:
    """A rule width_mm long, centred in a column column_mm wide: the bottom border of an empty
    paragraph 2 pt high, whose indents set its length (a border runs between the indents)."""
    para = container.add_paragraph()
    margin = max((column_mm - 2 * CELL_PAD - width_mm) / 2, 0)
    layout = para.paragraph_format
    layout.left_indent = layout.right_indent = Mm(margin)
    layout.first_line_indent = Mm(0)
    layout.line_spacing, layout.space_after = Pt(2), Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "0"), ("color", "000000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    para._p.get_or_add_pPr().append(borders)


def agency_lines(name: str, width: float, measure) -> list[str]:
    """The agency's name in capitals; wider than width (as measure measures it), it breaks before
    its place ("ỦY BAN NHÂN DÂN" / "PHƯỜNG AN TÂN"), as offices print it."""
    upper = name.upper()
    words = upper.split()
    if measure(upper) <= width:
        return [upper]
    cut = next((i for i, word in enumerate(words) if i and word in LEVELS), None)
    return [" ".join(words[:cut]), " ".join(words[cut:])] if cut else [upper]


def symbol(organiser: str | None) -> str:
    """The agency's abbreviation for the "Số: …/BB-UBND" line: initials of its name before its place."""
    words = (organiser or "").upper().split()
    cut = next((i for i, word in enumerate(words) if i and word in LEVELS), len(words))
    initials = "".join(word[0] for word in words[:cut])
    base = unicodedata.normalize("NFD", initials)
    return "".join(ch for ch in base if not unicodedata.combining(ch)) or "…"


def admin_header(document, parent: str | None, agency: str | None, number: str | None, place_date: str) -> None:
    """The agency block beside the quốc hiệu and tiêu ngữ; "Số: …" beside the place and date."""
    table = fixed_table(document, (AGENCY_W, MOTTO_W), rows=2)
    left, right = table.rows[0].cells
    if parent:
        cell_paragraph(left, parent.upper(), size=12)
    lines = agency_lines(agency or "", AGENCY_W - 2 * CELL_PAD, lambda text: text_mm(text, 12, bold=True))
    for line in lines:
        cell_paragraph(left, line, bold=True, size=12)
    rule(left, max(text_mm(line, 12, bold=True) for line in lines) / 2.5, AGENCY_W)
    cell_paragraph(right, QUOC_HIEU, bold=True, size=12)
    cell_paragraph(right, TIEU_NGU, bold=True, size=13)
    rule(right, text_mm(TIEU_NGU, 13, bold=True), MOTTO_W)
    number_cell, date_cell = table.rows[1].cells
    cell_paragraph(number_cell, number or "", size=13).paragraph_format.space_before = Pt(6)
    cell_paragraph(date_cell, place_date, italic=True, size=13).paragraph_format.space_before = Pt(6)


def document_title(document, kind: str, subject: str) -> None:
    """The document's name ("BIÊN BẢN") and its trích yếu, bold and centred, a short rule under them."""
    paragraph(document, "", after=6)
    paragraph(document, kind, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    paragraph(document, subject, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    rule(document, min(text_mm(subject, 14, bold=True), TEXT_W) / 3, TEXT_W + 2 * CELL_PAD)
    paragraph(document, "", after=0)


def recipients(container, lines: list[str]) -> None:
    """"Nơi nhận:" (bold italic 12) and its list (11), each line "- …;", the last one "- Lưu: VT."."""
    para = container.add_paragraph()
    para.paragraph_format.space_after = Pt(0)
    para.paragraph_format.keep_with_next = True  # the list stays under its heading, on one page
    run = para.add_run("Nơi nhận:")
    run.bold = run.italic = True
    run.font.size = Pt(12)
    for index, line in enumerate(lines):
        ending = "." if index == len(lines) - 1 else ";"
        item = container.add_paragraph()
        item.paragraph_format.space_after = Pt(0)
        item.paragraph_format.keep_with_next = index < len(lines) - 1
        item.add_run(f"- {line}{ending}").font.size = Pt(11)


def signatures(document, signers) -> None:
    """Side by side: the role in capitals, "(Ký, ghi rõ họ tên)", room to sign, the name."""
    paragraph(document, "", after=0)
    table = fixed_table(document, (TEXT_W / 2, TEXT_W / 2))
    for cell, (role, name) in zip(table.rows[0].cells, signers):
        cell_paragraph(cell, role, bold=True)
        cell_paragraph(cell, "(Ký, ghi rõ họ tên)", italic=True, size=12)
        for _ in range(4):
            cell_paragraph(cell, "")
        cell_paragraph(cell, name or "", bold=True)
    paragraph(document, "", after=0)
