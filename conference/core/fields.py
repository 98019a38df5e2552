"""One rule for a bounded text field, and one for a bounded whole number, whatever sent it: a form,
a JSON body, a spreadsheet cell; and one for a whole number or a row id sent as a JSON number.

It imports nothing from the features, so every domain module (and a view) may use it.
"""
from __future__ import annotations

from typing import NamedTuple

from .errors import ConferenceError, Label
from .textnorm import clean

# What an integer column holds (PostgreSQL's integer; SQLite binds nothing past 2**63): a number
# beyond it is refused before it reaches the database, which would answer it with an error.
# db.MAX_ID, the largest row id, is the same number (each of the two modules stands alone).
MIN_INT, MAX_INT = -2**31, 2**31 - 1


class Codes(NamedTuple):
    """A field's three error codes: not text, required but empty, longer than its limit."""
    invalid: str
    missing: str
    too_long: str

    @classmethod
    def of(cls, stem: str) -> Codes:
        """The one pattern: invalid_<stem>, missing_<stem>, <stem>_too_long."""
        return cls(f"invalid_{stem}", f"missing_{stem}", f"{stem}_too_long")

    @classmethod
    def one(cls, code: str) -> Codes:
        """A single code for every fault, where docs/API.md promises only that one."""
        return cls(code, code, code)


def bounded_text(value: object, limit: int, label: str, codes: str | Codes = "field", *,
                 required: bool = False, numbers: bool = False) -> str | None:
    """`value` as stored (textnorm.clean) and at most `limit` characters; None when empty and optional.

    `label` names the field in the message (a msgid: it is translated with it); `codes` is a stem for Codes.of or the codes themselves.
    With `numbers`, a number is text too, as a spreadsheet cell holds it (12.0 is "12").
    """
    if numbers and isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if value is not None and not isinstance(value, str):
        raise _field_refusal(codes, "invalid", "Trường “%(field)s” không hợp lệ.", field=Label(label))
    text = clean(value) or None
    if text is None and required:
        raise _field_refusal(codes, "missing", "Cần nhập “%(field)s”.", field=Label(label))
    if text is not None and len(text) > limit:
        raise _field_refusal(codes, "too_long", "“%(field)s” dài quá %(limit)d ký tự.", field=Label(label), limit=limit)
    return text


def _field_refusal(codes: str | Codes, fault: str, msgid: str, **values) -> ConferenceError:
    """The error, its codes worked out only now: most texts pass (an import checks 2,000 rows)."""
    return ConferenceError(getattr(Codes.of(codes) if isinstance(codes, str) else codes, fault), msgid, **values)


def int_field(value: object, label: str, low: int, high: int, required: bool = False) -> int | None:
    """An integer in [low, high] from a form string or a number; empty means None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ConferenceError("missing_field", "Cần nhập “%(field)s”.", field=Label(label))
        return None
    try:
        number = int(value.strip()) if isinstance(value, str) else value
    except ValueError:
        number = None
    if not isinstance(number, int) or isinstance(number, bool) or not low <= number <= high:
        raise ConferenceError("invalid_number", "“%(field)s” phải là số nguyên từ %(low)d đến %(high)d.",
                              field=Label(label), low=low, high=high)
    return number


def json_int(value: object, name: str, low: int = MIN_INT, high: int = MAX_INT) -> int:
    """A whole JSON number in [low, high] (by default what an integer column holds); invalid_<name>
    otherwise. A bool is not a number here, though Python counts it as one."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConferenceError("invalid_" + name, "“%(field)s” phải là số nguyên.", field=name)
    if not low <= value <= high:
        raise ConferenceError("invalid_" + name, "“%(field)s” phải là số nguyên từ %(low)d đến %(high)d.",
                              field=name, low=low, high=high)
    return value


def json_id(value: object, name: str) -> int | None:
    """A row id sent as a JSON number: invalid_<name> when it is not a whole number, None when no
    row can have it (0, below, or past the id column), which the caller's lookup answers as not found."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConferenceError("invalid_" + name, "“%(field)s” phải là số nguyên.", field=name)
    return value if 0 < value <= MAX_INT else None
