"""One check for every uploaded PDF (core/pdfs.py): the delegates' documents and the report's slides
are refused for the same reasons, each with its code, and a readable PDF's pages are counted."""
from __future__ import annotations

import pytest

from conference.core.errors import ConferenceError
from conference.core.pdfs import pdf_pages
from tests.me.helpers import pdf_bytes, pdf_with_script_in_an_object_stream
from tests.show.stage_decks import bomb, deck, scripted


def test_a_readable_pdf_has_its_pages_counted_from_bytes_or_from_a_file(tmp_path):
    path = tmp_path / "deck.pdf"
    path.write_bytes(deck(3))
    assert pdf_pages(pdf_bytes("Một", "Hai"), "a.pdf") == 2 and pdf_pages(path, "deck.pdf") == 3


@pytest.mark.parametrize("content, code", [
    (b"MZ\x90\x00" + b"\x00" * 400, "not_a_pdf"),                          # a program renamed .pdf
    (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ngarbage", "not_a_pdf"),  # broken
    (pdf_bytes("Xin chào", javascript="app.alert('hi');"), "pdf_has_script"),
    (pdf_with_script_in_an_object_stream("app.alert('hi');"), "pdf_has_script"),  # compressed away
    (scripted(), "pdf_has_script"),
    (bomb(), "pdf_too_large"),
], ids=["program", "broken", "script", "script-compressed", "open-action", "bomb"])
def test_what_is_not_a_plain_readable_pdf_is_refused_with_its_code(content, code):
    with pytest.raises(ConferenceError) as refused:
        pdf_pages(content, "tai-lieu.pdf")
    assert refused.value.code == code
