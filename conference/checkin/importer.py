"""Import delegates from .xlsx or .csv as offices write them: all rows or none, each bad row named.

Tolerated: title rows above the table, an STT column, Vietnamese or English headers (any case,
with or without diacritics), UTF-8 with a BOM, names in NFC or NFD, stray spaces, blank rows.
"""
from __future__ import annotations

import csv
import io
import secrets
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError
from zipfile import BadZipFile

import sqlalchemy as sa
from flask import current_app

from conference.core.db import db, write_transaction
from conference.core.errors import N_, ConferenceError, Translatable, Translate, render
from conference.core.fields import bounded_text
from conference.core.models import Delegate
from conference.core.state import bump_version
from conference.core.textnorm import clean, fold
from conference.core.uploads import check_workbook
from .roster import MAX_FIELD, SeatBook, find_group, new_delegate, validate_fields

MAX_ROWS = 20000
SUFFIXES = (".xlsx", ".csv")
PENDING_DIR = "pending-imports"
PENDING_MAX_AGE = 24 * 3600
HEADER_SEARCH_ROWS = 15
# Folded header text -> field. Folding makes "Họ và tên", "HỌ VÀ TÊN" and "Ho va ten" one key.
HEADERS = {
    "full_name": ("ho va ten", "ho ten", "ho va ten dai bieu", "full name", "name", "fullname", "ten dai bieu"),
    "position": ("chuc vu", "position", "title", "chuc danh"),
    "unit": ("don vi", "unit", "co quan", "organisation", "organization", "noi cong tac"),
    "group": ("thanh phan", "group", "nhom", "thanh phan dai bieu"),
    "seat": ("ghe", "so ghe", "cho ngoi", "seat", "vi tri ngoi", "ghe / seat", "ghe/seat"),
    "honorific": ("danh xung", "honorific", "danh xung / honorific", "danh xung/honorific", "xung ho"),
}
_LOOKUP = {alias: key for key, aliases in HEADERS.items() for alias in aliases}


@dataclass
class RowError(Translatable):
    """What is wrong with one row: a msgid and its values, put in a language where it is read."""
    row: int  # the row number as the spreadsheet shows it
    msgid: str
    values: dict = field(default_factory=dict)

    @classmethod
    def of(cls, row: int, error: ConferenceError) -> RowError:
        return cls(row, error.msgid, error.values)

    def text(self, translate: Translate | None = None) -> str:
        return render(self.msgid, self.values, translate)


@dataclass
class RowLines(Translatable):
    """The first rows' errors on one line, "dòng 3: …; dòng 7: …"."""
    errors: list[RowError]

    def text(self, translate: Translate | None = None) -> str:
        return "; ".join(render(N_("dòng %(row)d: %(problem)s"), {"row": error.row, "problem": error}, translate)
                         for error in self.errors)


@dataclass
class ImportResult:
    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


class ImportFailed(ConferenceError):
    status = 422

    def __init__(self, errors: list[RowError]):
        super().__init__("import_failed", N_("Không nhập được (%(count)d lỗi): %(lines)s"),
                         count=len(errors), lines=RowLines(errors[:20]))
        self.errors = errors

    def to_dict(self) -> dict:
        body = super().to_dict()
        body["error"]["rows"] = [{"row": e.row, "message": e.localized()} for e in self.errors]
        return body


def read_table(filename: str, content: bytes) -> list[tuple[int, list]]:
    """(row number, cells) for every row of the first sheet or the CSV file."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(content)
    if suffix == ".csv":
        return _read_csv(content)
    raise ConferenceError("unsupported_file", "Chỉ nhận tệp .xlsx hoặc .csv.")


def _damaged_workbook_errors() -> tuple[type[BaseException], ...]:
    """What a damaged .xlsx can raise from deep inside the zip and XML readers openpyxl uses."""
    errors: list[type[BaseException]] = [BadZipFile, KeyError, ValueError, OSError, IndexError, TypeError,
                                         EOFError, zlib.error, ParseError]
    try:  # openpyxl parses with lxml when it is installed
        from lxml.etree import XMLSyntaxError
        errors.append(XMLSyntaxError)
    except ImportError:
        pass
    return tuple(errors)


def _read_xlsx(content: bytes) -> list[tuple[int, list]]:
    from openpyxl import load_workbook
    try:
        check_workbook(content)  # a decompression bomb is refused before openpyxl inflates it
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        rows = [(number, list(values)) for number, values in enumerate(sheet.iter_rows(values_only=True), 1)]
    except _damaged_workbook_errors() as error:
        raise ConferenceError("unreadable_file", "Không đọc được tệp Excel: %(problem)s.",
                               problem=type(error).__name__) from None
    return rows


def _read_csv(content: bytes) -> list[tuple[int, list]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConferenceError("unreadable_file", "Tệp CSV phải được lưu với mã hóa UTF-8.") from None
    # Title rows above the table can mislead the sniffer: the delimiter that shows a header wins.
    tables = [_csv_rows(text, delimiter) for delimiter in _delimiters(text)]
    for rows in tables:
        try:
            _find_header(rows)
        except ConferenceError:
            continue
        return rows
    return tables[0]


def _delimiters(text: str) -> list[str]:
    try:
        sniffed = [csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter]
    except csv.Error:
        sniffed = []
    return list(dict.fromkeys(sniffed + [",", ";", "\t"]))


def _csv_rows(text: str, delimiter: str) -> list[tuple[int, list]]:
    try:
        return [(number, row) for number, row in
                enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1)]
    except csv.Error as error:
        raise ConferenceError("unreadable_file", "Tệp CSV hỏng: %(problem)s.", problem=str(error)) from None


def _find_header(rows) -> tuple[int, dict[int, str]]:
    """The first row, among the top ones, that names the full-name column."""
    for index, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = {}
        for column, cell in enumerate(cells):
            key = _LOOKUP.get(fold(str(cell)) if cell is not None else "")
            if key and key not in columns.values():
                columns[column] = key
        if "full_name" in columns.values():
            return index, columns
    raise ConferenceError("missing_header",
                          "Không thấy dòng tiêu đề có cột “Họ và tên” (hoặc “Full name”).", 422)


def parse_rows(conference_id: int, filename: str, content: bytes) -> ImportResult:
    """Read and check every row without writing anything: the preview."""
    rows = read_table(filename, content)
    header_index, columns = _find_header(rows)
    result = ImportResult()
    seen: dict[str, int] = {}
    seats: dict[str, int] = {}  # seat -> the row that took it: a seat written twice is refused
    book = SeatBook(conference_id)
    for number, cells in rows[header_index + 1:]:
        values = {key: cells[column] if column < len(cells) else None for column, key in columns.items()}
        if not any(clean(v if v is None else str(v)) for v in values.values()):
            continue  # a blank row
        if len(result.rows) >= MAX_ROWS:
            result.errors.append(RowError(number, "quá %(limit)d dòng", {"limit": MAX_ROWS}))
            break
        try:
            fields = validate_fields(values.get("full_name"), values.get("position"),
                                     values.get("unit"), values.get("seat"), values.get("honorific"))
            if fields["seat"] not in seats:  # a second row on one seat is named below, by its row
                book.claim(fields["seat"], name=fields["full_name"])
            group = find_group(conference_id, bounded_text(values.get("group"), MAX_FIELD, N_("Thành phần"),
                                                           numbers=True))
        except ConferenceError as error:
            result.errors.append(RowError.of(number, error))
            continue
        key = _identity(fields)
        if key in seen:
            result.errors.append(RowError(number, "trùng với dòng %(row)d (%(name)s)",
                                          {"row": seen[key], "name": fields["full_name"]}))
            continue
        if fields["seat"] in seats:
            result.errors.append(RowError(number, "ghế “%(seat)s” đã dành cho dòng %(row)d",
                                          {"seat": fields["seat"], "row": seats[fields["seat"]]}))
            continue
        seen[key] = number
        if fields["seat"]:
            seats[fields["seat"]] = number
        result.rows.append({**fields, "group": group.name if group else None, "row": number})
    if not result.rows and not result.errors:
        result.errors.append(RowError(header_index + 1, "bảng không có dòng dữ liệu nào"))
    result.errors.extend(_already_in_database(conference_id, result.rows))
    result.errors.sort(key=lambda error: error.row)
    return result


def _identity(fields: dict) -> str:
    """Two delegates are the same person when their folded name and unit agree."""
    return fold(fields["full_name"]) + "|" + fold(fields.get("unit"))


def _already_in_database(conference_id: int, rows: list[dict]) -> list[RowError]:
    """A row for a delegate the conference already has is refused, naming the row."""
    existing = {_identity({"full_name": name, "unit": unit}): name for name, unit in db.session.execute(
        sa.select(Delegate.full_name, Delegate.unit).where(Delegate.conference_id == conference_id))}
    return [RowError(row["row"], "đã có trong danh sách đại biểu: %(name)s",
                     {"name": existing[_identity(row)]})
            for row in rows if _identity(row) in existing]


def import_delegates(conference_id: int, filename: str, content: bytes) -> int:
    """Add every row as a delegate, or none if any row is wrong. Returns the number added."""
    result = parse_rows(conference_id, filename, content)
    if result.errors:
        raise ImportFailed(result.errors)
    with write_transaction() as session:
        clashes = _already_in_database(conference_id, result.rows)  # again, now under the write lock
        if clashes:
            raise ImportFailed(clashes)
        book = SeatBook(conference_id)
        for row in result.rows:
            fields = {key: row[key] for key in ("full_name", "position", "unit", "seat", "honorific")}
            new_delegate(session, conference_id, fields, find_group(conference_id, row["group"]), seats=book)
        bump_version(conference_id)
    return len(result.rows)


# --- the file kept between the preview and the confirm -----------------------------------------
# It waits in the instance folder under a random name; the browser's signed session holds only the
# ticket that names it, so nobody confirms a file they did not upload. After a day it is removed.

def _pending_dir() -> Path:
    folder = Path(current_app.config["INSTANCE_PATH"]) / PENDING_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_old_uploads() -> None:
    cutoff = time.time() - PENDING_MAX_AGE
    for path in _pending_dir().glob("*"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def keep_upload(filename: str, content: bytes) -> dict:
    """Keep a previewed file until it is confirmed; returns its ticket, for the browser's session."""
    _forget_old_uploads()
    token, suffix = secrets.token_hex(16), Path(filename).suffix.lower()
    (_pending_dir() / f"{token}{suffix}").write_bytes(content)
    return {"token": token, "suffix": suffix, "filename": filename[:200]}


def _kept_path(ticket: object) -> Path | None:
    if not isinstance(ticket, dict) or not str(ticket.get("token", "")).isalnum():
        return None
    suffix = ticket.get("suffix")
    path = _pending_dir() / f"{ticket['token']}{suffix}"
    return path if suffix in SUFFIXES and path.is_file() else None


def kept_upload(ticket: object) -> tuple[str, bytes] | None:
    """(file name, content) of the file a ticket names, if it is still there."""
    path = _kept_path(ticket)
    return None if path is None else (ticket.get("filename") or path.name, path.read_bytes())


def forget_upload(ticket: object) -> None:
    path = _kept_path(ticket)
    if path is not None:
        path.unlink(missing_ok=True)
