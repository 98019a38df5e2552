"""What makes an upload a document we serve to five hundred phones: a PDF (its magic, then parsed
by pypdf, so a broken file is refused here rather than on every phone), within its size, and with
no script anywhere in it. pdf.js runs with scripting off on the phones (static/js/pdf-view.js);
refusing scripted PDFs here means the office learns at once, not a delegate later."""
from __future__ import annotations

import io
import logging
import re

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from conference.core.errors import ConferenceError

MAGIC = b"%PDF-"
MAX_OBJECTS = 200_000  # a 5 MB PDF holds a few thousand; past this it is a trap, not a report
# Names that start a script: a JavaScript action (/S /JavaScript, its /JS), the document-level
# scripts (/Names /JavaScript); /OpenAction and /AA are only harmful when they lead to one of these.
SCRIPT_KEYS = ("/JS", "/JavaScript")
# The same names in the file's bytes, where they are not inside a compressed stream.
_RAW_SCRIPT = re.compile(rb"/(?:JS|JavaScript)(?![A-Za-z0-9])")


def not_a_pdf() -> ConferenceError:
    return ConferenceError("not_a_pdf", "Tệp này không phải là PDF (hoặc bị hỏng). Hãy xuất lại tệp ra PDF rồi tải lên.",
                           415)


def too_large(limit: int) -> ConferenceError:
    return ConferenceError("document_too_large", "Tệp quá lớn: tài liệu tối đa %(mb)d MB.", 413,
                           mb=max(limit // (1024 * 1024), 1))


def check_pdf(content: bytes, limit: int) -> int:
    """The number of pages of a PDF fit to serve; refused (ConferenceError) otherwise."""
    if len(content) > limit:
        raise too_large(limit)
    if not content.startswith(MAGIC):
        raise not_a_pdf()
    if _RAW_SCRIPT.search(content):
        raise _scripted()
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a sloppy but readable PDF is not news
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ConferenceError("pdf_encrypted", "Tệp PDF này có mật khẩu; hãy lưu lại bản không mật khẩu.", 415)
        pages = len(reader.pages)
        if pages == 0:
            raise not_a_pdf()
        if _has_script(reader):
            raise _scripted()
    except ConferenceError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError,
            AssertionError, IndexError, NotImplementedError):
        raise not_a_pdf() from None
    return pages


def _scripted() -> ConferenceError:
    return ConferenceError("pdf_has_script", "Tệp PDF này có chứa mã lệnh (JavaScript), nên không được nhận. "
                                             "Hãy in ra PDF lại (Microsoft Print to PDF) rồi tải lên.", 415)


def _has_script(reader: PdfReader) -> bool:
    """Every object reachable from the trailer, compressed object streams included, looked at once."""
    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    looked = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        looked += 1
        if looked > MAX_OBJECTS:
            raise not_a_pdf()
        if isinstance(node, DictionaryObject):
            if any(name in node for name in SCRIPT_KEYS) or node.get("/S") == "/JavaScript":
                return True
            stack.extend(dict.values(node))  # unresolved: indirect objects are followed once, above
        elif isinstance(node, ArrayObject):
            stack.extend(list.__iter__(node))
    return False
