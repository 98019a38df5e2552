"""Badge codes: short, unguessable, and made of QR alphanumeric characters so the QR stays small."""
from __future__ import annotations

import re
import secrets

# Crockford's base32 alphabet: no I, L, O or U, so a code read aloud or typed is not misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 17  # 17 symbols x 5 bits = 85 bits of randomness; fits a version-1 QR at level M
MAX_SCANNED_LENGTH = 256
# What a wedge scanner or a person adds around and inside a code, ignored anywhere: control
# characters (a scanner's Enter, Tab or group separator), every kind of space (a paste brings
# no-break, narrow and zero-width ones, or a BOM) and dashes (a keyboard may turn - into – or −).
# The door's static/js/door-text.js applies this same rule, character for character; both are
# tested against tests/data/badge_codes.json.
_IGNORED = re.compile(r"[\x00-\x20\x7f-\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff"
                      r"\-\u2010-\u2015\u2212]")
# ASCII letters only, either case: upper-casing first would let ı, ſ or the Kelvin sign become I, S, K.
_VALID = re.compile(f"[{ALPHABET}{ALPHABET.lower()}]{{{LENGTH}}}")
_MENDED = str.maketrans("OoIiLl", "001111")
# The phone QR on a badge or an invitation holds the delegate's page, <venue address>/me/<code>
# (conference/me/venue.py): the door reads it as that badge. A code never holds a "/", so what
# follows the last "/me/" of a scanned address, up to its query, is the code.
PHONE_PATH = "/me/"


def code_in_address(scanned: str) -> str:
    """The code part of a phone address (…/me/<code>[/][?…][#…]), or the scan as it is."""
    if PHONE_PATH not in scanned:
        return scanned
    return re.split(r"[?#]", scanned.rsplit(PHONE_PATH, 1)[1], maxsplit=1)[0].rstrip("/")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(scanned: object) -> str | None:
    """The code inside what a scanner sent, or None if it cannot be one of ours.

    Scanners add line ends, keyboard wedges may send lower case, a person may space the code out
    or type O for 0 or I/L for 1: those are mended the Crockford way before checking. The phone
    QR's address (<venue>/me/<code>) is read as its code.
    """
    if not isinstance(scanned, str) or len(scanned) > MAX_SCANNED_LENGTH:
        return None
    text = _IGNORED.sub("", code_in_address(scanned)).translate(_MENDED)
    return text.upper() if _VALID.fullmatch(text) else None
