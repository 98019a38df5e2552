"""The delegates' page poster: one A4 page with a large QR of /me at the venue's address and how
to open one's own page with the code printed under the badge's QR. For the foyer and the tables.
Printed papers are in Vietnamese, as the badges and invitations are."""
from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from conference.core.state import get_conference
from .badges import draw_qr
from .print_text import BOLD, REGULAR, fit_blocks, register_fonts

PAGE_W, PAGE_H = A4
QR_SIDE = 110 * mm
STEPS = ("1. Nối điện thoại vào Wi-Fi của hội trường.",
         "2. Quét mã QR này bằng máy ảnh của điện thoại (hoặc gõ địa chỉ bên dưới).",
         "3. Nhập mã in dưới mã QR trên thẻ đại biểu của bạn.",
         "Mỗi thẻ mở được trên một điện thoại. Cần đổi điện thoại: hỏi bàn đón tiếp.")


def poster_pdf(conference_id: int, address: str) -> io.BytesIO:
    """The poster for ADDRESS (the /me page at the venue), as a PDF file object."""
    conference = get_conference(conference_id)
    register_fonts()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, initialFontName=REGULAR, initialFontSize=12)
    pdf.setTitle("Trang đại biểu")
    width = PAGE_W - 40 * mm
    top = PAGE_H - 25 * mm
    for block in fit_blocks([(conference.title or "", BOLD, 18), ("TRANG ĐẠI BIỂU", BOLD, 30),
                             ("Chương trình trực tiếp · Tài liệu hội nghị · Khen thưởng", REGULAR, 14)],
                            width, 55 * mm):
        pdf.setFont(block.font, block.size)
        for line in block.lines:
            top -= block.size * 1.35
            pdf.drawCentredString(PAGE_W / 2, top, line)
        top -= 3 * mm
    qr_top = top - 6 * mm
    draw_qr(pdf, (PAGE_W - QR_SIDE) / 2, qr_top - QR_SIDE, QR_SIDE, address)
    pdf.setFont(BOLD, 16)
    pdf.drawCentredString(PAGE_W / 2, qr_top - QR_SIDE - 9 * mm, address)
    y = qr_top - QR_SIDE - 22 * mm
    for block in fit_blocks([(step, REGULAR, 13) for step in STEPS], width, y - 15 * mm):
        pdf.setFont(block.font, block.size)
        for line in block.lines:
            pdf.drawString(20 * mm, y, line)
            y -= block.size * 1.35
        y -= 2 * mm
    pdf.showPage()
    pdf.save()
    out.seek(0)
    return out
