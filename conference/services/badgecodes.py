"""Badge codes: short, unguessable, and made of QR alphanumeric characters so the QR stays small."""
from __future__ import annotations

import re
import secrets

# Crockford's base32 alphabet: no I, L, O or U, so a code read aloud or typed is not misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 17  # 17 symbols x 5 bits = 85 bits of randomness; fits a version-1 QR at level M
_VALID = re.compile(rf"[{ALPHABET}]{{{LENGTH}}}")
MAX_SCANNED_LENGTH = 256


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(scanned: object) -> str | None:
    """The code inside what a scanner sent, or None if it cannot be one of ours.

    Scanners add spaces or line ends, keyboard wedges may send lower case, and a person may
    type O for 0 or I/L for 1: those are mended the Crockford way before checking.
    """
    if not isinstance(scanned, str) or len(scanned) > MAX_SCANNED_LENGTH:
        return None
    text = scanned.strip().upper().replace("-", "").replace(" ", "")
    text = text.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    return text if _VALID.fullmatch(text) else None
