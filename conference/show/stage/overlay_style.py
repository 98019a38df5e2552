"""The stream overlay's style sheet: the product's own, or one the office put in its place.

Kept as instance/stage/overlay.css (for the whole install: it is the stream's look, not a
conference's). A style sheet runs no script, and the pages' Content-Security-Policy keeps it from
fetching anything from elsewhere (img-src, font-src 'self'); it is refused if it is not text, is
larger than MAX_CSS_BYTES, or holds markup (a "</style>" or "<script" has no place in CSS).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from conference.core.errors import ConferenceError
from .cues import folder

MAX_CSS_BYTES = 256 * 1024
NAME = "overlay.css"


def custom_style() -> Path | None:
    """The office's style sheet, if it put one in place."""
    path = folder() / NAME
    return path if path.is_file() else None


def replace_style(stream: BinaryIO) -> None:
    """Check the uploaded style sheet and put it in place of the overlay's."""
    content = stream.read(MAX_CSS_BYTES + 1)
    if len(content) > MAX_CSS_BYTES:
        raise ConferenceError("style_too_large", "Tệp CSS lớn quá %(kb)d KB.", 413, kb=MAX_CSS_BYTES // 1024)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise ConferenceError("not_a_style", "Tệp này không phải một tệp CSS (văn bản UTF-8).") from None
    if "\x00" in text or "<" in text:
        raise ConferenceError("not_a_style", "Tệp này không phải một tệp CSS (văn bản UTF-8).")
    folder().mkdir(parents=True, exist_ok=True)
    temporary = folder() / (NAME + ".part")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, folder() / NAME)


def restore_default() -> None:
    """Back to the product's own style sheet."""
    (folder() / NAME).unlink(missing_ok=True)
