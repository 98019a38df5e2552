"""A spreadsheet cell holds text exactly as written, never a formula someone slipped into a name.

Used by every export (the attendance list, the audit trail): a name or an address that starts with
= + - @ would otherwise run as a formula when the office opens the file.
"""
from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> object:
    """Spreadsheets run a cell that starts with = + - @ as a formula; a leading ' keeps it text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def text_cell(sheet, row: int, column: int, value: str | None):
    """A cell that holds text exactly; openpyxl would otherwise treat "=…" as a formula."""
    cell = sheet.cell(row, column)
    if value is not None:
        cell.value = value
        cell.data_type = "s"
    return cell
