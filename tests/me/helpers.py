"""What the delegate's page's tests share: the demo's delegates and honourees, a phone, a real PDF."""
from __future__ import annotations

import io

import sqlalchemy as sa
from reportlab.pdfgen import canvas

from conference.core.db import db
from conference.core.models import Delegate, Honouree


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
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(out.getvalue())))
    writer.add_js(javascript)
    scripted = io.BytesIO()
    writer.write(scripted)
    return scripted.getvalue()
