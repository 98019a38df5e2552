"""Camera scanning in the browser: Chromium's fake camera shows a badge the project printed
(conference.papers.badges.write_png, turned into a YUV4MPEG2 video), and the page checks that
delegate in; the same badge held up is sent once; a blocked or insecure camera says what to do."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from conference.papers.badges import BadgeText, write_png
from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.checkin.test_door_browser import (call, delegate_named, door_device, door_server, expect_result,  # noqa: F401
                               record_requests)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FRAME = (640, 480)


# ---------------------------------------------------------------------------------------------
# A printed badge as a camera video (no ffmpeg needed).

def printed_badge(server, token: str, delegate: dict, path: Path) -> Path:
    """The badge PNG the project prints for this delegate (`badges` command, one PNG each)."""
    return badge_png(call(server, token, "GET", "/api/state").json(), delegate, path)


def badge_png(state: dict, delegate: dict, path: Path) -> Path:
    """write_png() of the badge, with the conference title and group colour from the snapshot."""
    groups = {g["name"]: g["color"] for g in state["attendance"]["groups"]}
    conference = state["conference"]
    title = " ".join(p for p in (conference["title"], conference.get("edition"),
                                 f"({conference['period']})" if conference.get("period") else "") if p)
    badge = BadgeText(delegate["badge_code"], delegate["full_name"], delegate["position"] or "",
                      delegate["unit"] or "", delegate["group"] or "", groups.get(delegate["group"], "#b71c1c"), title)
    write_png(path, badge)
    return path


def camera_frame(badge_png: Path | None, size: tuple[int, int] = FRAME) -> Image.Image:
    """What the camera sees: the badge held up in the middle of a grey room, or just the room."""
    frame = Image.new("RGB", size, (70, 72, 75))
    if badge_png is not None:
        badge = Image.open(badge_png).convert("RGB")
        height = int(size[1] * 0.96)
        badge = badge.resize((badge.width * height // badge.height, height), Image.LANCZOS)
        frame.paste(badge, ((size[0] - badge.width) // 2, (size[1] - badge.height) // 2))
    return frame


def write_y4m(path: Path, frames: list[tuple[Image.Image, int]], fps: int = 30) -> Path:
    """A YUV4MPEG2 4:2:0 video, the format Chromium's fake camera reads: [(image, repeat), ...]."""
    width, height = frames[0][0].size
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode("ascii"))
        for image, repeat in frames:
            ycbcr = np.asarray(image.convert("YCbCr"), dtype=np.float32)
            luma = ycbcr[:, :, 0].round().astype(np.uint8)
            chroma = [ycbcr[:, :, i].reshape(height // 2, 2, width // 2, 2).mean(axis=(1, 3)).round().astype(np.uint8)
                      for i in (1, 2)]
            data = b"FRAME\n" + luma.tobytes() + chroma[0].tobytes() + chroma[1].tobytes()
            out.write(data * repeat)
    return path


def camera_args(video: Path) -> list[str]:
    return CHROMIUM_ARGS + ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                            f"--use-file-for-fake-video-capture={video}"]


def launch_with_camera(chromium, video: Path, extra: list[str] | None = None):
    """A separate Chromium, from the session's Playwright, whose camera plays the given video."""
    return chromium.browser_type.launch(executable_path=CHROMIUM, args=camera_args(video) + (extra or []))


# ---------------------------------------------------------------------------------------------

def test_fake_camera_showing_a_printed_badge_checks_the_delegate_in_once(chromium, door_server, tmp_path):
    from playwright.sync_api import expect
    token, pairing = door_device(door_server, "Cửa 3")
    delegate = delegate_named(door_server, token, "Đinh Văn Bưm")
    badge = printed_badge(door_server, token, delegate, tmp_path / f"{delegate['badge_code']}.png")
    video = write_y4m(tmp_path / "badge.y4m", [(camera_frame(badge), 3)])
    browser = launch_with_camera(chromium, video)
    try:
        page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        seen = record_requests(page)
        posts: list[str] = []
        page.on("request", lambda r: r.method == "POST" and "/api/checkins" in r.url and posts.append(r.url))
        page.goto(f"{door_server.url}/pair/{pairing}")
        expect(page.locator("#scanner")).to_have_attribute("data-state", "running", timeout=15000)
        expect_result(page, "ok", delegate["full_name"])
        expect(page.locator("#result-meta")).to_have_text(f"{delegate['group']} · Ghế {delegate['seat']}")
        after = delegate_named(door_server, token, delegate["full_name"])
        assert after["checked_in_at"] and after["checked_in_device"] == "Cửa 3"
        # The badge stays in front of the camera: read again and again, sent once.
        page.wait_for_function("() => window.door.camera.sightings >= 25", timeout=20000)
        assert len(posts) == 1
        assert page.locator("#result").get_attribute("data-kind") == "ok"
        strangers = [url for url in seen if not url.startswith(door_server.url + "/")]
        assert strangers == [] and any(url.endswith("/static/vendor/jsqr/jsQR.js") for url in seen)
    finally:
        browser.close()


def test_camera_on_a_plain_http_lan_address_says_to_use_https(chromium, door_server, tmp_path):
    from playwright.sync_api import expect
    pairing = door_device(door_server, "Cửa 4")[1]
    video = write_y4m(tmp_path / "room.y4m", [(camera_frame(None), 1)])
    # door.test stands for the laptop's LAN address: plain http there is not a secure context.
    browser = launch_with_camera(chromium, video, ["--host-resolver-rules=MAP door.test 127.0.0.1"])
    try:
        page = browser.new_page()
        page.goto(f"{door_server.url.replace('127.0.0.1', 'door.test')}/pair/{pairing}")
        expect(page.locator("#scanner")).to_have_attribute("data-state", "insecure")
        expect(page.locator("#camera-status")).to_have_text("Camera chỉ chạy khi trang được mở qua https.")
        expect(page.locator("#camera-help")).to_contain_text("serve --https")
        expect(page.locator("#camera-help")).to_contain_text("Máy quét cầm tay và ô tìm kiếm vẫn dùng được.")
    finally:
        browser.close()


@pytest.mark.parametrize("error, state, advice", [
    ("NotAllowedError", "blocked", "Camera → Cho phép"),
    ("NotReadableError", "busy", "Đóng ứng dụng đang dùng camera"),
    ("NotFoundError", "missing", "Cắm camera USB"),
], ids=["blocked", "busy", "missing"])
def test_a_camera_that_cannot_start_says_what_to_do_and_offers_to_retry(page, door_server, error, state, advice):
    from playwright.sync_api import expect
    page.add_init_script(
        "navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('no', '%s'));" % error)
    pairing = door_device(door_server, "Cửa 5")[1]
    page.goto(f"{door_server.url}/pair/{pairing}")
    expect(page.locator("#scanner")).to_have_attribute("data-state", state)
    expect(page.locator("#camera-help")).to_contain_text(advice)
    if state != "missing":
        expect(page.get_by_role("button", name="Bật camera")).to_be_visible()
