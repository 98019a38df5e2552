"""Uploaded workbooks are bounded before they are parsed.

An .xlsx is a zip: 1.5 MB of it can inflate to 1.5 GB of XML, which openpyxl would then read for
half a minute and gigabytes of memory. The zip's central directory declares every part's sizes and
is read without inflating anything, so a workbook that would grow past a sane size is refused from
it in a millisecond. The declared sizes cannot lie: Python's zipfile never inflates a part past
its declared size (a part that tries fails its CRC check and the file is unreadable).

A CSV file cannot grow: it is bounded by the request size limit (MAX_CONTENT_LENGTH).
"""
from __future__ import annotations

import io
import zipfile


from .errors import ConferenceError

MAX_PARTS = 1000  # a workbook has a few dozen (sheets, styles, images); a bomb may have thousands
MAX_INFLATED = 50 * 1024 * 1024  # all parts together: a 20,000-row roster inflates to a few MB
MAX_RATIO = 100  # office XML compresses some 5 to 30 times; zeros a thousand times
RATIO_FROM = 1024 * 1024  # tiny parts may compress absurdly well; only large ones are bombs


def check_workbook(content: bytes) -> None:
    """Refuse a workbook whose parts would inflate too far, reading only its directory.
    A file that is not a zip at all raises zipfile.BadZipFile, for the reader to report."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts = archive.infolist()
    if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_INFLATED or any(
            part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * max(part.compress_size, 1)
            for part in parts):
        raise ConferenceError(
            "workbook_too_large",
            "Tệp Excel này khi giải nén lớn bất thường (quá %(mb)d MB hoặc quá %(parts)d phần), nên không "
            "được đọc. Hãy lưu lại bảng trong Excel, hoặc xuất ra .csv, rồi tải lên lại.",
            413, mb=MAX_INFLATED // (1024 * 1024), parts=MAX_PARTS)
