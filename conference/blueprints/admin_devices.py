"""Office pages: devices. Pair a tablet by showing its pairing QR, rename it, revoke it.

The token exists in clear only once: it is handed from the POST to the next page view through
the (signed, HTTP-only) session and removed as soon as it has been shown.
"""
from __future__ import annotations

import base64
import io

from flask import render_template, request, session
from flask_babel import gettext as _

from ..network import lan_address
from ..errors import ConferenceError
from ..services import setup_data
from ..services.devices import create_device, list_devices, parse_label, parse_role, revoke_device
from ..services.setup_data import N_
from .admin_frame import bp, conference_id, done

ROLE_LABELS = {"door": N_("Cửa (điểm danh)"), "mc": N_("MC"), "display": N_("Màn chiếu"),
               "admin": N_("Quản trị")}
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


def pairing_address(token: str) -> str:
    """The address a tablet opens. If the office opened this page on the server itself, use its LAN address."""
    host = request.host
    name, colon, port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
    if not colon:
        name, port = host, ""
    if name in LOOPBACK:
        host = lan_address() + (f":{port}" if port else "")
    return f"{request.scheme}://{host}/pair/{token}"


def qr_data_uri(text: str) -> str:
    """A QR code as an inline SVG image (no file, no network)."""
    import qrcode
    import qrcode.image.svg
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    out = io.BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def devices_page(error: str | None = None, failed: int | None = None, status: int = 200):
    pairing = session.pop("pairing", None)
    if isinstance(pairing, dict) and pairing.get("token"):
        address = pairing_address(pairing["token"])
        pairing = {"label": pairing.get("label"), "address": address, "qr": qr_data_uri(address)}
    else:
        pairing = None
    roles = [(role, _(label)) for role, label in ROLE_LABELS.items()]
    return render_template("admin_devices.html", devices=list_devices(conference_id()), pairing=pairing,
                           roles=roles, role_labels=dict(roles), error=error, failed=failed), status


@bp.get("/devices")
def devices():
    """The paired devices; a device just created shows its pairing QR here, once."""
    return devices_page()


@bp.post("/devices")
def add_device():
    """Make a device and its token; the next page shows the QR to scan with the tablet."""
    try:
        role = parse_role(request.form.get("role", ""))
        device, token = create_device(conference_id(), role, parse_label(request.form.get("label")))
    except ConferenceError as error:
        return devices_page(error.message, status=error.status)
    session["pairing"] = {"token": token, "label": device.label}
    return done(_("Đã tạo thiết bị “%(label)s”. Quét mã QR bằng thiết bị đó để ghép.", label=device.label),
                "admin.devices")


@bp.post("/devices/<int:device_id>")
def rename_device(device_id: int):
    try:
        setup_data.rename_device(conference_id(), device_id, request.form.get("label"))
    except ConferenceError as error:
        return devices_page(error.message, failed=device_id, status=error.status)
    return done(_("Đã đổi tên thiết bị."), "admin.devices")


@bp.post("/devices/<int:device_id>/revoke")
def revoke(device_id: int):
    """The device is signed out at its next request and its token stops working."""
    try:
        device = revoke_device(conference_id(), device_id)
    except ConferenceError as error:
        return devices_page(error.message, status=error.status)
    return done(_("Đã thu hồi thiết bị “%(label)s”.", label=device.label), "admin.devices")
