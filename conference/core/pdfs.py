"""One check for every PDF the office uploads (the delegates' documents, the report's slides), made
before it is kept: a PDF that pypdf can read, without a password, with at least one page, with no
script and no stream that inflates past reason.

A PDF can carry JavaScript (a name tree, an /OpenAction, a page's or an annotation's /AA) and actions
that launch programs or send forms. Every object of the file is read, those inside compressed object
streams too, and any of them refuses it: the browsers' renderer runs none (static/js/pdf-view.js,
slides.js), but a file that carries them is not a report, and the office learns it at once rather
than a delegate later. A stream that inflates past pypdf's own limit (75 MB), or streams that
inflate past MAX_INFLATED together, are a bomb; more than MAX_OBJECTS objects is a trap, not a report.
"""
from __future__ import annotations

import io
import logging
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import LimitReachedError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from .errors import ConferenceError

MAGIC = b"%PDF-"
MAX_OBJECTS = 200_000
MAX_INFLATED = 400 * 1024 * 1024
SCRIPT_KEYS = {"/JS", "/JavaScript"}
SCRIPT_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/Rendition"}
# What a PDF too odd to read raises in pypdf, besides its own errors.
_UNREADABLE = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError,
               AssertionError, IndexError, NotImplementedError)


def not_a_pdf(name: str) -> ConferenceError:
    return ConferenceError("not_a_pdf", "Tệp “%(name)s” không phải một tệp PDF đọc được (hoặc bị hỏng), nên không "
                                           "được lưu. Hãy xuất lại ra PDF rồi tải lên.", 415, name=name)


def pdf_pages(source: bytes | Path, name: str) -> int:
    """The number of pages of an uploaded PDF fit to keep; refused (ConferenceError) otherwise.
    NAME is how the refusal names the file."""
    with (io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")) as file:
        if MAGIC not in file.read(1024):  # the header may follow a little junk (the format allows it)
            raise not_a_pdf(name)
        file.seek(0)
        logging.getLogger("pypdf").setLevel(logging.ERROR)  # a sloppy but readable PDF is not news
        try:
            reader = PdfReader(file, strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise ConferenceError("pdf_encrypted", "Tệp “%(name)s” có mật khẩu; hãy lưu lại bản không có "
                                                          "mật khẩu rồi tải lên.", 415, name=name)
            pages = len(reader.pages)
            _refuse_scripts_and_bombs(reader, name)
        except ConferenceError:
            raise
        except LimitReachedError:  # one stream alone inflates past pypdf's limit
            raise _bomb(name) from None
        except _UNREADABLE:
            raise not_a_pdf(name) from None
    if pages == 0:
        raise not_a_pdf(name)
    return pages


def _bomb(name: str) -> ConferenceError:
    return ConferenceError("pdf_too_large", "Tệp “%(name)s” khi giải nén lớn bất thường, nên không được lưu.",
                           413, name=name)


def _refuse_scripts_and_bombs(reader: PdfReader, name: str) -> None:
    inflated = 0
    for looked, (number, generation) in enumerate(_object_ids(reader)):
        if looked > MAX_OBJECTS:
            raise not_a_pdf(name)
        found = reader.get_object(IndirectObject(number, generation, reader))
        if _scripted(found):
            raise ConferenceError("pdf_has_script", "Tệp “%(name)s” có mã lệnh (JavaScript) hoặc lệnh chạy chương "
                                                       "trình, nên không được lưu. Hãy xuất lại ra PDF (chỉ các "
                                                       "trang) rồi tải lên.", 415, name=name)
        if isinstance(found, StreamObject):
            inflated += len(found.get_data())  # pypdf stops a single stream past its own limit
            if inflated > MAX_INFLATED:
                raise _bomb(name)


def _object_ids(reader: PdfReader):
    """Every object of the file, those inside object streams too, reachable or not."""
    for generation, numbers in reader.xref.items():
        for number in numbers:
            yield number, generation
    for number in reader.xref_objStm:
        yield number, 0


def _scripted(found, depth: int = 0) -> bool:
    """A script or an action that runs one, in this object or the dictionaries and arrays written
    inside it (an /OpenAction is often a dictionary in the catalogue itself, not an object of its own)."""
    if depth > 32:
        return False
    if isinstance(found, DictionaryObject):
        if SCRIPT_KEYS & set(found.keys()) or found.get("/S") in SCRIPT_ACTIONS:
            return True  # "/JavaScript" as a key of a /Names tree is found here too
        values = found.values()
    elif isinstance(found, ArrayObject):
        values = found
    else:
        return False
    return any(_scripted(value, depth + 1) for value in values if isinstance(value, (DictionaryObject, ArrayObject)))
