"""The venue's address: where a delegate's phone reaches this server on the venue's Wi-Fi (the
laptop's address on the venue's router, or a name). Set once by the office, per conference; the
phone QR printed on badges and invitations is <address>/me/<code> only while it is set."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from conference.core.db import db, write_transaction
from conference.core.errors import ConferenceError
from conference.core.models import VenueAddress

MAX_ADDRESS = 200
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"
                   r"|^\[[0-9a-f:.]+\]$", re.IGNORECASE)
PHONE_PATH = "/me"


def parse_address(value: object) -> str | None:
    """An http(s) address or host[:port], as "scheme://host[:port]"; None for an empty value.
    A path, a query, a user name or a bad port is refused: the phone's address is built on it."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        return None
    refused = ConferenceError("invalid_venue_address",
                              "Địa chỉ hội trường phải là http(s)://máy[:cổng] hoặc máy[:cổng], "
                              "ví dụ 192.168.1.10:5000 hoặc http://hoinghi.local.")
    if len(text) > MAX_ADDRESS or any(c.isspace() for c in text):
        raise refused
    parts = urlsplit(text if "://" in text else f"http://{text}")
    try:
        port = parts.port
    except ValueError:
        raise refused from None
    if (parts.scheme.lower() not in ("http", "https") or not parts.hostname or parts.username is not None
            or parts.path not in ("", "/") or parts.query or parts.fragment
            or not _HOST.match(parts.netloc.rsplit(":", 1)[0] if port else parts.netloc)):
        raise refused
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def venue_address(conference_id: int) -> str | None:
    row = db.session.get(VenueAddress, conference_id)
    return row.address if row else None


def set_venue_address(conference_id: int, value: object) -> str | None:
    """Set (or, with an empty value, clear) the venue's address. Returns it as kept."""
    address = parse_address(value)
    with write_transaction() as session:
        row = session.get(VenueAddress, conference_id)
        if address is None:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(VenueAddress(conference_id=conference_id, address=address))
        else:
            row.address = address
    return address


def page_address(address: str) -> str:
    """The delegates' page at the venue: where a delegate types their code."""
    return f"{address}{PHONE_PATH}"


def phone_address(address: str, code: str) -> str:
    """The address the phone QR of one badge holds: it opens that delegate's page."""
    return f"{address}{PHONE_PATH}/{code}"


def qr_svg(text: str) -> bytes:
    """A QR code of TEXT as SVG (small, sharp on a projector and on paper)."""
    import qrcode
    import qrcode.image.svg
    import io
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()
