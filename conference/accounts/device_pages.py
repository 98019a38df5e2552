"""Office pages: devices. Pair a tablet by showing its pairing QR, make it a new pairing address,
rename it, revoke it. A button box gets no QR and no pairing address (it opens no page): its press
addresses instead. Devices are the install's: each serves the active conference, whichever one an
office tab works on (office/frame.py), so this page lists and makes them for the active one.

A pairing code (or a button box's token) exists in clear only once: it is handed from the POST to
the next page view through the (signed, HTTP-only) session and removed as soon as it has been shown.
The pairing address pairs one browser, within a day (pairing.py); the device's token, for programs,
is never shown here (the API and the command line give it).
"""
from __future__ import annotations

import base64
import io

from flask import render_template, request, session
from flask_babel import gettext as _

from conference.core.errors import N_, ConferenceError
from conference.core.models import Role
from conference.office import details
from conference.office.frame import active_conference_id, bp, done
from conference.show.press import READY, press_addresses
from conference.web.network import lan_address
from .devices import create_device, list_devices, parse_label, parse_role, revoke_device
from .pairing import PAIRING_VALID_FOR, new_pairing, pairing_state

ROLE_LABELS = {"door": N_("Cửa (điểm danh)"), "mc": N_("MC"), "display": N_("Màn chiếu"),
               "admin": N_("Quản trị"), "button": N_("Hộp nút bấm (Stream Deck, Companion)")}
# What each of press.READY does, in the order the page lists them.
PRESS_LABELS = dict(zip(READY, (N_("Tiếp"), N_("Lùi"), N_("Khen thưởng: tiếp"), N_("Khen thưởng: lùi"),
                                N_("Màn đen"), N_("Chỉ phông nền"), N_("Trực tiếp"), N_("Đến mục 1")),
                        strict=True))
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


def server_address() -> str:
    """scheme://host:port that a device on the LAN reaches this server at. If the office opened
    this page on the server itself, its LAN address rather than the loopback one."""
    host = request.host
    name, colon, port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
    if not colon:
        name, port = host, ""
    if name in LOOPBACK:
        host = lan_address() + (f":{port}" if port else "")
    return f"{request.scheme}://{host}"


def pairing_address(code: str) -> str:
    """The address a tablet opens: its pairing code, never its token."""
    return f"{server_address()}/pair/{code}"


def qr_data_uri(text: str) -> str:
    """A QR code as an inline SVG image (no file, no network)."""
    import qrcode
    import qrcode.image.svg
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    out = io.BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def devices_page(error: str | None = None, failed: int | None = None, status: int = 200):
    roles = [(role, _(label)) for role, label in ROLE_LABELS.items()]
    return render_template("admin_devices.html", devices=list_devices(active_conference_id()), pairing=just_made(),
                           roles=roles, role_labels=dict(roles), error=error, failed=failed, pairing_state=pairing_state,
                           valid_hours=int(PAIRING_VALID_FOR.total_seconds() // 3600)), status


def just_made() -> dict | None:
    """The device made by the last POST, shown this once: a tablet's pairing address and QR, or a
    button box's press addresses (it has no page to pair)."""
    made = session.pop("pairing", None)
    if not isinstance(made, dict) or not made.get("secret"):
        return None
    if made.get("role") == Role.BUTTON.value:
        presses = zip(READY, press_addresses(server_address(), made["secret"]), strict=True)
        return {"label": made.get("label"),
                "presses": [(_(PRESS_LABELS[action]), address) for action, address in presses]}
    address = pairing_address(made["secret"])
    return {"label": made.get("label"), "address": address, "qr": qr_data_uri(address)}


@bp.get("/devices")
def devices():
    """The paired devices; a device just created shows its pairing QR here, once."""
    return devices_page()


@bp.post("/devices")
def add_device():
    """Make a device; the next page shows the QR to scan with the tablet (a button box: its press addresses)."""
    try:
        role = parse_role(request.form.get("role", ""))
        made = create_device(active_conference_id(), role, parse_label(request.form.get("label")))
    except ConferenceError as error:
        return devices_page(error.localized(), status=error.status)
    device = made.device
    session["pairing"] = {"secret": made.pairing or made.token, "label": device.label, "role": role.value}
    if role == Role.BUTTON:
        return done(_("Đã tạo hộp nút bấm “%(label)s”. Chép các địa chỉ bấm nút bên dưới vào Companion "
                      "hoặc Stream Deck.", label=device.label), "admin.devices")
    return done(_("Đã tạo thiết bị “%(label)s”. Quét mã QR bằng thiết bị đó để ghép.", label=device.label),
                "admin.devices")


@bp.post("/devices/<int:device_id>")
def rename_device(device_id: int):
    try:
        details.rename_device(active_conference_id(), device_id, request.form.get("label"))
    except ConferenceError as error:
        return devices_page(error.localized(), failed=device_id, status=error.status)
    return done(_("Đã đổi tên thiết bị."), "admin.devices")


@bp.post("/devices/<int:device_id>/revoke")
def revoke(device_id: int):
    """The device is signed out at its next request and its token stops working."""
    try:
        device = revoke_device(active_conference_id(), device_id)
    except ConferenceError as error:
        return devices_page(error.localized(), status=error.status)
    return done(_("Đã thu hồi thiết bị “%(label)s”.", label=device.label), "admin.devices")


@bp.post("/devices/<int:device_id>/pairing")
def renew_pairing(device_id: int):
    """A new pairing address for a device, shown once: the old one stops working; the browser the
    device already paired stays paired (revoke the device to end it)."""
    try:
        device, code = new_pairing(active_conference_id(), device_id)
    except ConferenceError as error:
        return devices_page(error.localized(), failed=device_id, status=error.status)
    session["pairing"] = {"secret": code, "label": device.label, "role": device.role.value}
    return done(_("Đã tạo địa chỉ ghép mới cho “%(label)s”; địa chỉ cũ không còn dùng được.", label=device.label),
                "admin.devices")
