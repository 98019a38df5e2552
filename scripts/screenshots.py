"""Screenshots of the four screens, for the README (docs/screenshots/).

Starts the real server on 127.0.0.1 with a fresh demo conference in a temporary instance folder,
checks most delegates in through the door API so the figures look like a real morning, and
photographs, in the system Chromium:

- /display at 1920×1080: before the start, the flag salute, a tham luận, an awards batch (JPEG:
  the backdrop's gradient makes PNGs heavy);
- /mc on a laptop (1440×900) and on a phone (390×844), during a tham luận;
- /door on a tablet (1024×768), paired as a door;
- /admin on a desktop (1440×900), signed in as the account `admin` (its password is the one the
  tests' server runner sets through CONFERENCE_ADMIN_PASSWORD, or that variable when set), and its
  documents page once the office has added a document and the venue's address;
- the delegate's page (/me) on a phone (390×844, mobile, touch): a seated delegate whose awards batch
  is being called, and a document open in the page's viewer; the projector's standby screen with
  the QR of /me;
- the stage (docs/SHOW.md §10): the lectern timer in its last fifth with the MC's message, the stream
  overlay, the MC's stage card, and the MC's presenter view of a report's slides.

    python3 scripts/screenshots.py [--out docs/screenshots]
"""
from __future__ import annotations

import argparse
import io
import sqlite3
import sys
import tempfile
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]  # the tests' runner makes its devices with the app
from conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer, page_csrf_token  # noqa: E402  (the tests' server runner)

SETTLE_MS = 1500  # fonts, the live connection, shrink-to-fit
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 1.5}
VENUE = "192.168.1.10:5000"  # a venue's address as the office would set it: the QR then reads it
# Real fonts for the PDFs made here, so the document's Vietnamese is drawn (the PDF's own fonts)
FONTS = Path("/usr/share/fonts/truetype/dejavu")


class Show:
    """The demo conference on a live server, driven through its HTTP API."""

    def __init__(self, server: LiveServer):
        self.server = server
        self.mc_token = server.token("mc", "MC")
        self.door_token = server.token("door", "Cửa 1")

    def post(self, path: str, body: dict | None = None, token: str | None = None) -> dict:
        response = requests.post(self.server.url + path, json=body,
                                 headers={"Authorization": f"Bearer {token or self.mc_token}"}, timeout=10)
        response.raise_for_status()
        return response.json()

    def check_in_most(self, absent: int = 7) -> None:
        for delegate in self.delegates()[:-absent]:
            self.post("/api/checkins", {"delegate_id": delegate["id"], "device": "Cửa 1"}, self.door_token)

    def pair_url(self, role: str, label: str) -> str:
        """A browser's address to pair at: a pairing code is single-use, so one per browser."""
        return f"{self.server.url}/pair/{self.server.pairing(role, label)}"

    def admin_password(self) -> str:
        return self.server.admin_password

    def office(self) -> requests.Session:
        """The office signed in at /login as a person is, its CSRF token sent as the forms and the API want."""
        office = requests.Session()
        token = page_csrf_token(office.get(self.server.url + "/login", timeout=10).text)
        office.post(self.server.url + "/login", timeout=10, data={
            "login": "admin", "password": self.admin_password(), "csrf_token": token}).raise_for_status()
        office.headers["X-CSRFToken"] = page_csrf_token(office.get(self.server.url + "/admin", timeout=10).text)
        return office

    def office_form(self, path: str, data: dict, files: dict | None = None) -> None:
        office = self.office()
        answer = office.post(self.server.url + path, timeout=30, files=files,
                             data={"csrf_token": office.headers["X-CSRFToken"], **data})
        answer.raise_for_status()

    def state(self) -> dict:
        return requests.get(self.server.url + "/api/state", timeout=10).json()

    def delegates(self) -> list[dict]:
        door = {"Authorization": f"Bearer {self.door_token}"}
        return requests.get(self.server.url + "/api/delegates", headers=door, timeout=10).json()["delegates"]


def wait_for_version(page, expression: str, version: int) -> None:
    # A function, not an expression: Playwright evaluates a bare expression with eval, which the CSP refuses.
    page.wait_for_function(f"() => Number({expression}) >= {version}", timeout=15000)
    page.wait_for_timeout(SETTLE_MS)


HALL_VERSION = "document.getElementById('hall').dataset.version"


def open_display(browser, show: Show):
    page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    page.goto(show.server.url + "/display")
    page.wait_for_function(f"() => {HALL_VERSION}")
    page.wait_for_timeout(SETTLE_MS)
    return page


def shoot_display(page, show: Show, out: Path, name: str, *commands: tuple) -> None:
    """Run the commands (path, body) on the API, wait for the projector to follow, photograph it."""
    version = None
    for path, body in commands:
        version = show.post(path, body)["version"]
    if version is not None:
        wait_for_version(page, HALL_VERSION, version)
    page.screenshot(path=out / name, quality=88)


def shoot_mc(browser, show: Show, out: Path) -> None:
    version = requests.get(show.server.url + "/api/state", timeout=10).json()["version"]
    for name, size in (("mc.png", (1440, 900)), ("mc-phone.png", (390, 844))):
        context = browser.new_context(viewport={"width": size[0], "height": size[1]})
        page = context.new_page()
        page.goto(show.pair_url("mc", "MC"))
        wait_for_version(page, "document.body.dataset.version", version)
        page.screenshot(path=out / name)
        context.close()


def shoot_door(browser, show: Show, out: Path) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    page.goto(show.pair_url("door", "Cửa 1"))
    page.wait_for_load_state("load")
    page.wait_for_timeout(SETTLE_MS)
    page.fill("input[type=search]", "tran")
    page.wait_for_timeout(SETTLE_MS)
    page.screenshot(path=out / "door.png")
    context.close()


def pdf(*pages: str, size: tuple[int, int] = (595, 842), font_size: int = 22, fill=(1, 1, 1)) -> bytes:
    """A small real PDF, one heading a page (DejaVu, so its Vietnamese is the PDF's own)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(FONTS / "DejaVuSans-Bold.ttf")))
    out = io.BytesIO()
    drawing = canvas.Canvas(out, pagesize=size)
    for text in pages:
        drawing.setFillColorRGB(*fill)
        drawing.rect(0, 0, *size, fill=1, stroke=0)
        drawing.setFillColorRGB(*((0, 0, 0) if fill == (1, 1, 1) else (1, 1, 1)))
        drawing.setFont("DejaVuSans-Bold", font_size)
        if fill == (1, 1, 1):
            drawing.drawString(60, size[1] - 100, text)
        else:  # a slide: its number large in the middle
            drawing.drawCentredString(size[0] / 2, size[1] / 2 - font_size / 3, text)
        drawing.showPage()
    drawing.save()
    return out.getvalue()


def add_document(show: Show) -> None:
    """What the office does on its documents page: the venue's address, then a report for everyone."""
    show.office_form("/admin/documents/venue-address", {"address": VENUE})
    show.office_form("/admin/documents", {"title": "Báo cáo tổng kết giai đoạn 2020-2025", "item": "3",
                                          "visibility": "visible"},
                     {"file": ("bao-cao.pdf", pdf("BÁO CÁO TỔNG KẾT", "Giai đoạn 2020 – 2025"), "application/pdf")})


def seated_honouree(show: Show) -> dict:
    """The first delegate with a seat among the honourees of the batch being called."""
    catalogue = show.office().get(show.server.url + "/api/award-decisions", timeout=10).json()
    receiver = {h["id"]: h["delegate_id"] for decision in catalogue["decisions"] for h in decision["honourees"]}
    called = {receiver.get(h["id"]) for h in show.state()["award"]["honourees"]}
    return next(d for d in show.delegates() if d["id"] in called and d["seat"])


def open_me(browser, show: Show, delegate: dict):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{show.server.url}/me/{delegate['badge_code']}")
    page.wait_for_selector("#now-item:not(:empty)")
    page.wait_for_timeout(SETTLE_MS)
    return context, page


def shoot_me(browser, show: Show, out: Path) -> None:
    """While the batch is called: a seated honouree's phone, then a document in its viewer."""
    delegate = seated_honouree(show)
    context, page = open_me(browser, show, delegate)
    page.screenshot(path=out / "me-phone.png")
    page.click("#documents a")
    page.wait_for_selector("#viewer[data-state=ready]", timeout=15000)
    page.wait_for_timeout(SETTLE_MS)
    page.screenshot(path=out / "me-document.png")
    context.close()
    print(f"me-phone.png: {delegate['full_name']}, seat {delegate['seat']}")


def shoot_standby(page, show: Show, out: Path) -> None:
    """The projector's standby screen, its corner QR reading the venue's address."""
    shoot_display(page, show, out, "display-standby-me.jpg", ("/api/show/screen", {"screen": "standby"}))
    show.post("/api/show/screen", {"screen": "live"})


def office_page(browser, show: Show, path: str):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(f"{show.server.url}/login?next={path}")
    page.fill("#login", "admin")
    page.fill("input[type=password]", show.admin_password())
    page.press("input[type=password]", "Enter")
    page.wait_for_url(f"**{path}*")
    page.wait_for_load_state("load")
    page.wait_for_timeout(SETTLE_MS * 2)
    return context, page


def shoot_admin(browser, show: Show, out: Path) -> None:
    context, page = office_page(browser, show, "/admin")
    page.screenshot(path=out / "admin.png")
    context.close()


def shoot_documents(browser, show: Show, out: Path) -> None:
    context, page = office_page(browser, show, "/admin/documents")
    page.screenshot(path=out / "admin-documents.png")
    context.close()


def speaking_for(show: Show, seconds: int) -> None:
    """Move the open runs' stored start back, as if the speaker had been at the lectern that long.
    The lectern counts from the stored runs and the server's clock (what the tests do too): the one
    way to show its last fifth without waiting eight minutes."""
    with sqlite3.connect(Path(show.server.env["CONFERENCE_INSTANCE"]) / "conference.db", timeout=10) as database:
        database.execute("UPDATE show_run SET started_at = datetime(started_at, ?) WHERE ended_at IS NULL",
                         (f"-{seconds} seconds",))


def open_mc(browser, show: Show, version: int):
    page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    page.goto(show.pair_url("mc", "MC"))
    wait_for_version(page, "document.body.dataset.version", version)
    return page


def shoot_stage(browser, show: Show, out: Path) -> None:
    """The first tham luận of item 4 (9 minutes) 40 seconds from its end, the MC's message to the
    speaker on the lectern: the lectern timer, the stream overlay, the MC's stage card."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    lectern, overlay = context.new_page(), context.new_page()
    show.post("/api/show/goto", {"position": 4, "step": 1})
    speaking_for(show, 9 * 60 - 40)
    version = show.post("/api/stage/lectern", {"message": "Xin đồng chí tóm tắt"})["version"]
    for page, path, box in ((lectern, "/display/timer", "lectern"), (overlay, "/display/overlay", "overlay")):
        page.goto(show.server.url + path)
        wait_for_version(page, f"document.getElementById('{box}').dataset.version", version)
    lectern.screenshot(path=out / "stage-lectern.png")
    overlay.screenshot(path=out / "stage-overlay.png")  # OBS draws it over the camera: white here
    context.close()
    mc = open_mc(browser, show, version)
    mc.locator("#stage-card").screenshot(path=out / "stage-mc-card.png")
    mc.context.close()


def shoot_slides(browser, show: Show, out: Path) -> None:
    """A 12-page deck on item 3, its page 2 up: the MC's presenter view."""
    deck = pdf(*[str(n) for n in range(1, 13)], size=(1600, 900), font_size=300, fill=(0.1, 0.2, 0.5))
    show.office_form("/admin/stage/decks", {"place": "3"}, {"file": ("bao-cao.pdf", deck, "application/pdf")})
    show.post("/api/show/goto", {"position": 3})
    version = show.post("/api/stage/slide/next", {"from": 1})["version"]
    mc = open_mc(browser, show, version)
    mc.wait_for_selector("#slides-card canvas", state="attached")
    mc.wait_for_timeout(SETTLE_MS)
    mc.locator("#slides-card").screenshot(path=out / "stage-mc-slides.png")
    mc.context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as folder:
        # SQLite whatever the environment says: the lectern's picture moves a stored time in its file.
        server = LiveServer(Path(folder) / "instance", env={"DATABASE_URL": ""}).start()
        try:
            show = Show(server)
            show.check_in_most()
            add_document(show)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                hall = open_display(browser, show)
                shoot_display(hall, show, args.out, "display-welcome.jpg")
                shoot_display(hall, show, args.out, "display-flag.jpg", ("/api/show/next", None))
                # the opening, the report, item 4's introduction, its first two speakers
                shoot_display(hall, show, args.out, "display-talk.jpg", *[("/api/show/next", None)] * 5)
                shoot_mc(browser, show, args.out)
                shoot_display(hall, show, args.out, "display-awards.jpg", ("/api/show/goto", {"position": 5}),
                              ("/api/awards/next", None), ("/api/awards/next", None))
                shoot_me(browser, show, args.out)
                shoot_standby(hall, show, args.out)
                shoot_door(browser, show, args.out)
                shoot_admin(browser, show, args.out)
                shoot_documents(browser, show, args.out)
                shoot_stage(browser, show, args.out)
                shoot_slides(browser, show, args.out)
                browser.close()
        finally:
            server.stop()
    for picture in sorted([*args.out.glob("*.png"), *args.out.glob("*.jpg")]):
        print(picture.relative_to(ROOT) if picture.is_relative_to(ROOT) else picture)


if __name__ == "__main__":
    main()
