"""Small, real PDF decks made in the test: numbered pages (reportlab), one that carries JavaScript,
one whose page stream inflates past any reason (a decompression bomb)."""
from __future__ import annotations

import io
import zlib

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, StreamObject, TextStringObject
from reportlab.pdfgen import canvas


def deck(pages: int) -> bytes:
    out = io.BytesIO()
    drawing = canvas.Canvas(out, pagesize=(1600, 900))
    for number in range(1, pages + 1):
        drawing.setFillColorRGB(0.1, 0.2, 0.5)
        drawing.rect(0, 0, 1600, 900, fill=1)
        drawing.setFillColorRGB(1, 1, 1)
        drawing.setFont("Helvetica-Bold", 300)
        drawing.drawCentredString(800, 330, str(number))
        drawing.showPage()
    drawing.save()
    return out.getvalue()


def scripted() -> bytes:
    """A deck that runs a script as it opens (an /OpenAction of type JavaScript)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(deck(2))))
    writer.root_object[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('hi');")})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def bomb() -> bytes:
    """One page whose content stream is 90 MB of spaces, deflated to about 90 KB."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(deck(1))))
    stream = StreamObject()
    stream.set_data(zlib.compress(b" " * (90 * 1024 * 1024), 9))
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    writer.pages[0].replace_contents(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
