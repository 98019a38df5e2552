"""Screenshots of the four screens, for the README (docs/screenshots/).

Starts the real server on 127.0.0.1 with a fresh demo conference in a temporary instance folder,
checks most delegates in through the door API so the figures look like a real morning, and
photographs, in the system Chromium:

- /display at 1920×1080: before the start, the flag salute, a tham luận, an awards batch (JPEG:
  the backdrop's gradient makes PNGs heavy);
- /mc on a laptop (1440×900) and on a phone (390×844), during a tham luận;
- /door on a tablet (1024×768), paired with a door token;
- /admin on a desktop (1440×900), signed in as the account `admin` (its password is the one the
  tests' server runner sets through CONFERENCE_ADMIN_PASSWORD, or that variable when set).

    python3 scripts/screenshots.py [--out docs/screenshots]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer  # noqa: E402  (the tests' server runner)

SETTLE_MS = 1500  # fonts, the live connection, shrink-to-fit


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
        door = {"Authorization": f"Bearer {self.door_token}"}
        delegates = requests.get(self.server.url + "/api/delegates", headers=door, timeout=10).json()["delegates"]
        for delegate in delegates[:-absent]:
            self.post("/api/checkins", {"delegate_id": delegate["id"], "device": "Cửa 1"}, self.door_token)

    def admin_password(self) -> str:
        return self.server.admin_password


def wait_for_version(page, expression: str, version: int) -> None:
    page.wait_for_function(f"Number({expression}) >= {version}", timeout=15000)
    page.wait_for_timeout(SETTLE_MS)


HALL_VERSION = "document.getElementById('hall').dataset.version"


def open_display(browser, show: Show):
    page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    page.goto(show.server.url + "/display")
    page.wait_for_function(HALL_VERSION)
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
        page.goto(f"{show.server.url}/pair/{show.mc_token}")
        wait_for_version(page, "document.body.dataset.version", version)
        page.screenshot(path=out / name)
        context.close()


def shoot_door(browser, show: Show, out: Path) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    page.goto(f"{show.server.url}/pair/{show.door_token}")
    page.wait_for_load_state("load")
    page.wait_for_timeout(SETTLE_MS)
    page.fill("input[type=search]", "tran")
    page.wait_for_timeout(SETTLE_MS)
    page.screenshot(path=out / "door.png")
    context.close()


def shoot_admin(browser, show: Show, out: Path) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(show.server.url + "/login?next=/admin")
    page.fill("#login", "admin")
    page.fill("input[type=password]", show.admin_password())
    page.press("input[type=password]", "Enter")
    page.wait_for_url("**/admin*")
    page.wait_for_load_state("load")
    page.wait_for_timeout(SETTLE_MS * 2)
    page.screenshot(path=out / "admin.png")
    context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as folder:
        server = LiveServer(Path(folder) / "instance").start()
        try:
            show = Show(server)
            show.check_in_most()
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
                shoot_door(browser, show, args.out)
                shoot_admin(browser, show, args.out)
                browser.close()
        finally:
            server.stop()
    for picture in sorted([*args.out.glob("*.png"), *args.out.glob("*.jpg")]):
        print(picture.relative_to(ROOT) if picture.is_relative_to(ROOT) else picture)


if __name__ == "__main__":
    main()
