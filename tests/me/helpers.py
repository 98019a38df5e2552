"""What the delegate's page's tests share: the demo's delegates and honourees, a phone, a real PDF,
the QR codes a printed page carries."""
from __future__ import annotations

import io
import shutil
import subprocess

import sqlalchemy as sa
import zxingcpp
from PIL import Image
from reportlab.pdfgen import canvas

from conference.core.db import db
from conference.core.models import Delegate, Honouree
from tests.conftest import unavailable


def delegates(app, conference_id, count: int = 2) -> list[tuple[int, str, str]]:
    """(id, badge code, name) of the demo's first delegates."""
    with app.app_context():
        rows = db.session.scalars(sa.select(Delegate).where(Delegate.conference_id == conference_id)
                                  .order_by(Delegate.id).limit(count))
        return [(d.id, d.badge_code, d.full_name) for d in rows]


def honoured_delegate(app) -> tuple[int, str, int]:
    """(delegate id, badge code, honouree id) of the first honouree who is a delegate."""
    with app.app_context():
        honouree = db.session.scalars(sa.select(Honouree).where(Honouree.delegate_id.is_not(None))
                                      .order_by(Honouree.id)).first()
        return honouree.delegate_id, honouree.delegate.badge_code, honouree.id


def phone(app, code: str):
    """A phone (a test client) that opened the page of this badge code."""
    client = app.test_client()
    opened = client.get(f"/me/{code}")
    assert opened.status_code == 303 and opened.headers["Location"].endswith("/me"), opened.status_code
    return client


def pdf_bytes(*pages: str, javascript: str | None = None) -> bytes:
    """A real PDF with one line of text a page; with JAVASCRIPT, a document-level script (pypdf)."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for text in pages:
        pdf.setFont("Helvetica-Bold", 28)
        pdf.drawString(72, 720, text)
        pdf.showPage()
    pdf.save()
    if javascript is None:
        return out.getvalue()
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(out.getvalue())))
    writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(javascript)})
    scripted = io.BytesIO()
    writer.write(scripted)
    return scripted.getvalue()


def pdf_with_script_in_an_object_stream(javascript: str) -> bytes:
    """A PDF 1.5 whose objects (the catalogue's /OpenAction JavaScript among them) live in a
    Flate-compressed object stream, with a cross-reference stream: no /JavaScript in its raw bytes."""
    import zlib
    objects = [b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
               b"<< /S /JavaScript /JS (" + javascript.encode("latin-1") + b") >>"]
    header, body, offset = b"", b"", 0
    for number, content in enumerate(objects, 1):
        header += b"%d %d " % (number, offset)
        body += content + b"\n"
        offset += len(content) + 1
    packed = zlib.compress(header + body)
    out = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"
    stream_at = len(out)
    out += (b"5 0 obj\n<< /Type /ObjStm /N 4 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
            % (len(header), len(packed)) + packed + b"\nendstream\nendobj\n")
    xref_at = len(out)
    rows = [b"\x00\x00\x00\x00\xff\xff"] + [b"\x02" + (5).to_bytes(3, "big") + i.to_bytes(2, "big")
                                              for i in range(4)]
    rows += [b"\x01" + stream_at.to_bytes(3, "big") + b"\x00\x00", b"\x01" + xref_at.to_bytes(3, "big") + b"\x00\x00"]
    table = zlib.compress(b"".join(rows))
    out += (b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 3 2] /Root 1 0 R /Filter /FlateDecode /Length %d >>\nstream\n"
            % len(table) + table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at)
    return out


def decoded_first_page(pdf: bytes, folder) -> list[str]:
    """The QR codes on the first page of PDF, read back by a real decoder from the page drawn at 150 dpi."""
    if not shutil.which("pdftoppm"):
        unavailable("pdftoppm is not installed (apt-get install poppler-utils)")
    path = folder / "paper.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-singlefile", "-png", str(path),
                    str(folder / "page")], check=True)
    image = Image.open(folder / "page.png")
    return sorted(found.text for found in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode))
