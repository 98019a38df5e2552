"""What an uploaded deck is, before it is kept: a PDF that pypdf can read, with no script and no
stream that inflates past reason.

A PDF can carry JavaScript (a name tree, an /OpenAction, a page's or an annotation's /AA) and actions
that launch programs or send forms: every object of the file is read, compressed object streams
included, and any JavaScript, Launch, ImportData or SubmitForm action refuses it (the projector's
renderer would not run them, but a deck that carries them is not the report's slides). A stream
that inflates past pypdf's own limit (75 MB), or streams that inflate past MAX_INFLATED together,
are a bomb: refused, so the projector never tries to draw one.
"""
from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import LimitReachedError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from conference.core.errors import N_, ConferenceError

MAX_PAGES = 500
MAX_INFLATED = 400 * 1024 * 1024
SCRIPT_KEYS = {"/JS", "/JavaScript"}
SCRIPT_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/Rendition"}


def not_a_deck(name: str) -> ConferenceError:
    return ConferenceError("not_a_pdf", N_("Tệp “%(name)s” không phải một tệp PDF đọc được, nên không được lưu."),
                           name=name)


def too_large(name: str) -> ConferenceError:
    return ConferenceError("pdf_too_large", N_("Tệp “%(name)s” khi giải nén lớn bất thường, nên không được lưu."),
                           413, name=name)


def deck_pages(path: Path, name: str) -> int:
    """The deck's number of pages, or the reason it is refused."""
    with open(path, "rb") as file:
        if b"%PDF-" not in file.read(1024):
            raise not_a_deck(name)
    try:
        reader = PdfReader(path, strict=False)
        pages = len(reader.pages)
        _refuse_scripts_and_bombs(reader, name)
    except ConferenceError:
        raise
    except LimitReachedError:  # one stream alone inflates past pypdf's limit
        raise too_large(name) from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, MemoryError):
        raise not_a_deck(name) from None
    if not 1 <= pages <= MAX_PAGES:
        raise ConferenceError("too_many_pages", N_("Tệp trình chiếu phải có từ 1 đến %(pages)d trang."),
                              pages=MAX_PAGES)
    return pages


def _refuse_scripts_and_bombs(reader: PdfReader, name: str) -> None:
    inflated = 0
    for number, generation in _object_ids(reader):
        found = reader.get_object(IndirectObject(number, generation, reader))
        if _scripted(found):
            raise ConferenceError("pdf_has_scripts", N_("Tệp “%(name)s” có mã JavaScript hoặc lệnh chạy chương "
                                                        "trình, nên không được lưu. Hãy xuất lại PDF từ bản trình "
                                                        "chiếu (chỉ các trang)."), name=name)
        if isinstance(found, StreamObject):
            inflated += len(found.get_data())  # pypdf stops a single stream past its own limit
            if inflated > MAX_INFLATED:
                raise too_large(name)


def _object_ids(reader: PdfReader):
    """Every object of the file, those inside object streams too."""
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
