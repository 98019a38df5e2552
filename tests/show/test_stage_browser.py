"""The stage in a real browser (Playwright on the system Chromium) against the real server: the
sound page plays the item's cue when the MC moves there, not again after a reload, and again on
the next arrival; the MC's stop silences it; PageDown turns the report's slides (a 60-page deck)
then moves the show on; the lectern timer's colours and overtime;
the overlay's transparent background with the speaker's name and position, hidden by the MC,
the honourees' names while a batch is called, and nothing of the report's slides.

One server and one browser page per screen serve the module (a server and the CLI's tokens cost
seconds). The sound page runs in its own Chromium started with --autoplay-policy=no-user-gesture-
required, as a kiosk would be, so it needs no click; its audio element is read back."""
from __future__ import annotations

import io
import re
import sqlite3

import pytest
import requests
from PIL import Image

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer, lanes, page_csrf_token
from tests.show.stage_decks import deck
from tests.show.stage_sounds import wav

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def post(server, path: str, body: dict | None = None) -> dict:
    answer = requests.post(server.url + path, json=body or {}, headers=server.mc, timeout=5)
    answer.raise_for_status()
    return answer.json()


@pytest.fixture(scope="module")
@lanes("slow")
def server(tmp_path_factory):
    """The real server, its office signed in (one session makes the devices, attaches the cue and the
    deck: quicker than a CLI process each), an MC token, item 1's anthem and item 3's 60 pages."""
    # SQLite whatever the environment says: the lectern test moves a stored time in its file.
    live = LiveServer(tmp_path_factory.mktemp("stage") / "instance", env={"DATABASE_URL": ""}).start()
    office = requests.Session()
    token = page_csrf_token(office.get(live.url + "/login", timeout=5).text)
    office.post(live.url + "/login", data={"login": "admin", "password": live.admin_password, "csrf_token": token},
                timeout=5).raise_for_status()
    token = page_csrf_token(office.get(live.url + "/admin/stage", timeout=5).text)

    def device(role: str, label: str) -> dict:
        made = office.post(live.url + "/api/devices", json={"role": role, "label": label},
                           headers={"X-CSRFToken": token}, timeout=5)
        made.raise_for_status()
        return made.json()
    live.device = device
    live.mc = {"Authorization": f"Bearer {device('mc', 'MC')['token']}"}
    attached = office.post(live.url + "/admin/stage/cues", timeout=5, data={
        "csrf_token": token, "target": "place", "place": "1", "volume": "60"},
        files={"file": ("quoc-ca.wav", wav(seconds=4.0), "audio/wav")})
    assert "quoc-ca.wav" in attached.text
    attached = office.post(live.url + "/admin/stage/decks", timeout=20, data={"csrf_token": token, "place": "3"},
                           files={"file": ("bao-cao.pdf", deck(60), "application/pdf")})
    assert "bao-cao.pdf" in attached.text
    yield live
    live.stop()


@pytest.fixture(scope="module")
@lanes("browser")
def sound_page(chromium, server):
    """The projector the sound plays on: paired first, in a Chromium that may play without a click."""
    browser = chromium.browser_type.launch(executable_path=CHROMIUM,
                                           args=CHROMIUM_ARGS + ["--autoplay-policy=no-user-gesture-required"])
    page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    page.goto(server.device("display", "Máy chiếu chính")["pair_url"])
    page.wait_for_function("() => document.documentElement.dataset.soundPage === 'true'")
    yield page
    browser.close()


@pytest.fixture(scope="module")
@lanes("browser")
def screens(chromium, server):
    """The lectern timer and the stream overlay, as a lectern screen and OBS would open them."""
    context = chromium.new_context(viewport={"width": 1920, "height": 1080})
    lectern, overlay = context.new_page(), context.new_page()
    lectern.goto(server.url + "/display/timer")
    overlay.goto(server.url + "/display/overlay")
    for page, box in ((lectern, "lectern"), (overlay, "overlay")):
        page.wait_for_function(f"() => document.getElementById('{box}').dataset.version")
    yield lectern, overlay
    context.close()


def audio_state(page) -> dict:
    return page.evaluate("() => { const a = document.getElementById('hall-audio');"
                         " return {paused: a.paused, time: a.currentTime, src: a.currentSrc, volume: a.volume}; }")


def test_the_sound_page_plays_the_item_s_cue_once_and_again_on_the_next_arrival(sound_page, server):
    page = sound_page
    assert page.evaluate("() => document.documentElement.dataset.soundArmed") == "true"  # no click needed
    assert page.locator("#sound-arm").is_hidden() and page.locator("#sound-ready").is_visible()  # it says so
    post(server, "/api/show/goto", {"position": 1})
    page.wait_for_function("() => document.getElementById('hall-audio').currentTime > 0.3", timeout=10000)
    playing = audio_state(page)
    assert not playing["paused"] and re.search(r"/display/cues/\d+$", playing["src"])
    assert playing["volume"] == pytest.approx(0.6)
    page.reload()  # the screen reconnects (a reload, even): the same cue is not played again
    page.wait_for_function("() => document.getElementById('hall')?.dataset.version")
    page.wait_for_timeout(1500)
    assert audio_state(page)["paused"] and audio_state(page)["time"] == 0
    post(server, "/api/show/next")
    post(server, "/api/show/previous")  # back on item 1: a new arrival, a new key, played again
    page.wait_for_function("() => document.getElementById('hall-audio').currentTime > 0.3", timeout=10000)
    post(server, "/api/stage/cue/stop")  # the MC's stop
    page.wait_for_function("() => document.getElementById('hall-audio').paused", timeout=5000)


def shifted_back(server, minutes: int) -> None:
    """Move the open runs' stored start back, as if the speaker had been at it for MINUTES more."""
    with sqlite3.connect(server.instance / "conference.db", timeout=10) as database:
        database.execute("UPDATE show_run SET started_at = datetime(started_at, ?) WHERE ended_at IS NULL",
                         (f"-{minutes} minutes",))


def test_the_lectern_timer_goes_green_amber_red_and_counts_overtime_on(screens, server):
    lectern, _ = screens
    post(server, "/api/show/goto", {"position": 4, "step": 1})  # a tham luận of 9 minutes
    # The screen may already be 'normal' on the item before the go-to: wait for the speaker it brings.
    lectern.wait_for_function("() => document.getElementById('lectern-speaker').textContent === 'Đặng Ngọc Thạch'"
                              " && document.getElementById('lectern').dataset.phase === 'normal'")
    assert re.fullmatch(r"[89]:\d\d", lectern.locator("#lectern-time").text_content())
    colour = lambda: lectern.evaluate(  # noqa: E731
        "() => getComputedStyle(document.getElementById('lectern-time')).color")
    assert colour() == "rgb(47, 191, 79)"
    shifted_back(server, 8)  # one minute left: the last fifth, amber
    post(server, "/api/stage/lectern", {"message": "Xin đồng chí tóm tắt"})
    lectern.wait_for_function("() => document.getElementById('lectern').dataset.phase === 'warning'")
    assert colour() == "rgb(255, 179, 0)"
    assert lectern.locator("#lectern-message").text_content() == "Xin đồng chí tóm tắt"
    shifted_back(server, 3)  # two minutes over
    post(server, "/api/stage/lectern", {"message": None})
    lectern.wait_for_function("() => document.getElementById('lectern').dataset.phase === 'overrun'")
    assert colour() == "rgb(255, 59, 48)"
    assert re.fullmatch(r"\+2:0\d", lectern.locator("#lectern-time").text_content())
    assert lectern.locator("#lectern-message").is_hidden()


def test_the_overlay_is_transparent_with_the_speaker_s_name_and_the_mc_hides_it(screens, server):
    _, overlay = screens
    post(server, "/api/show/goto", {"position": 2})
    overlay.wait_for_function("() => document.getElementById('overlay').dataset.shown === 'true'")
    assert overlay.locator("#lower-third-name").text_content() == "Mai Anh Hùng"
    assert overlay.locator("#lower-third-role").text_content().startswith("Phó Bí thư Đảng ủy")
    overlay.wait_for_timeout(600)  # the lower third's entrance
    picture = Image.open(io.BytesIO(overlay.screenshot(omit_background=True))).convert("RGBA")
    assert picture.getpixel((20, 20))[3] == 0  # the camera shows through
    assert picture.getpixel((160, 960))[3] > 200  # the lower third does not (its red is 94 % opaque)
    post(server, "/api/stage/overlay", {"hidden": True})
    overlay.wait_for_function("() => document.getElementById('overlay').dataset.shown === 'false'")
    overlay.wait_for_timeout(600)
    picture = Image.open(io.BytesIO(overlay.screenshot(omit_background=True))).convert("RGBA")
    assert picture.getpixel((160, 960))[3] == 0
    post(server, "/api/stage/overlay", {"hidden": False})
    overlay.wait_for_function("() => document.getElementById('overlay').dataset.shown === 'true'")
    post(server, "/api/show/goto", {"position": 5})
    post(server, "/api/awards/next")  # the decision
    answer = post(server, "/api/awards/next")  # the names of the first batch, called
    names = [honouree["name"] for honouree in answer["award"]["honourees"]]
    overlay.wait_for_function("() => document.getElementById('overlay').dataset.kind === 'awards'")
    shown = overlay.locator("#lower-third-name").text_content()
    assert names and all(name in shown for name in names[:6])
    assert overlay.locator("#lower-third-role").text_content() == answer["award"]["form"]


def test_pagedown_turns_the_slides_then_moves_the_show_on(chromium, sound_page, server):
    hall = sound_page  # a paired projector: the deck is served to signed-in screens only
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    mc = context.new_page()
    try:
        mc.goto(server.device("mc", "MC 1")["pair_url"])
        post(server, "/api/show/goto", {"position": 3})
        shows = lambda page: hall.wait_for_function(  # noqa: E731
            f"() => document.getElementById('hall').dataset.slidePage === '{page}'", timeout=10000)
        shows(1)
        assert hall.evaluate("() => document.getElementById('hall').dataset.mode") == "slides"
        mc.wait_for_function("() => document.getElementById('slide-count').textContent === '1/60'")
        for page in (2, 3, 4):  # how fast a page turns is bench/slides.py's to measure, not a test's
            mc.wait_for_function("() => !document.body.dataset.busy")
            mc.wait_for_timeout(400)  # the console's double-press guard
            mc.keyboard.press("PageDown")
            shows(page)
        post(server, "/api/stage/slides", {"shown": True, "page": 59})  # straight to the last but one
        mc.wait_for_function("() => document.getElementById('slide-count').textContent === '59/60'")
        mc.wait_for_timeout(400)
        mc.keyboard.press("PageDown")
        shows(60)
        mc.wait_for_function("() => !document.body.dataset.busy")
        mc.wait_for_timeout(400)
        mc.keyboard.press("PageDown")  # past the last page: the show moves on
        hall.wait_for_function("() => document.getElementById('hall').dataset.mode === 'item'", timeout=5000)
        assert requests.get(server.url + "/api/state", timeout=5).json()["current"] == 4
    finally:
        context.close()


def test_the_overlay_shows_nothing_of_the_report_s_slides(screens, server):
    """The stream gets the speaker's lower third; the slides' page is the projectors', the MC's and
    the phones' (docs/SHOW.md §10), never drawn over the camera picture."""
    _, overlay = screens
    post(server, "/api/show/goto", {"position": 3})
    answer = post(server, "/api/stage/slide/next", {"from": 1})
    assert answer["slide"]["page"] == 2
    overlay.wait_for_function(f"() => Number(document.getElementById('overlay').dataset.version) >= {answer['version']}")
    words = re.sub(r"\s+", "", overlay.evaluate("() => document.body.textContent"))
    assert "2/60" not in words and "Trang" not in words and "bao-cao" not in words
    assert overlay.locator("canvas, img, embed, iframe, object").count() == 0
