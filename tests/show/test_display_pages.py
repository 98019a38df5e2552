"""The projector and MC pages as served: who may open them, what they load, and that all of it
comes from this server (the venue may have no internet)."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

IMPORT = re.compile(r"""^\s*import\s[^;]*?from\s+["'](\./[\w.-]+\.js)["']""", re.MULTILINE)
ABSOLUTE_URL = re.compile(r"""https?://|(?:src|href|url\()\s*=?\s*["']?//""", re.IGNORECASE)


class Assets(HTMLParser):
    """Scripts, style sheets and the page's JSON data block."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()
        self.config: str | None = None
        self._in_config = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.urls.append(attrs["href"])
        self._in_config = tag == "script" and attrs.get("id") == "page-config"

    def handle_data(self, data):
        if self._in_config:
            self.config = (self.config or "") + data

    def handle_endtag(self, tag):
        self._in_config = False


def parse(html: str) -> Assets:
    assets = Assets()
    assets.feed(html)
    return assets


def every_asset(client, urls: list[str]) -> dict[str, str]:
    """Fetch each asset and, for ES modules, everything they import; all must be served here."""
    seen: dict[str, str] = {}
    queue = list(urls)
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        assert url.startswith("/") and not url.startswith("//"), f"not served by this server: {url}"
        response = client.get(url)
        assert response.status_code == 200, url
        seen[url] = response.get_data(as_text=True)
        response.close()
        if url.endswith(".js") and "/vendor/" not in url:
            base = url.rsplit("/", 1)[0]
            queue.extend(f"{base}/{name[2:]}" for name in IMPORT.findall(seen[url]))
    return seen


@pytest.fixture
def mc_client(app, pairings):
    client = app.test_client()
    client.get(f"/pair/{pairings['mc']}")
    return client


@pytest.mark.parametrize("path", ["/display", "/display/agenda"])
def test_the_projector_and_the_foyer_screen_need_no_sign_in(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("role, allowed", [("mc", True), ("admin", True), ("door", False), ("display", False)])
def test_only_the_mc_and_the_office_open_the_mc_console(app, pairings, role, allowed):
    device = app.test_client()
    device.get(f"/pair/{pairings[role]}")
    response = device.get("/mc")
    if allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_mc_console_without_a_sign_in_goes_to_the_sign_in(client):
    response = client.get("/mc")
    assert response.status_code == 302 and "/login?next=/mc" in response.headers["Location"]


@pytest.mark.parametrize("path, modules", [
    ("/display", {"display.js", "awards-display.js", "display-stage.js", "timing.js", "live.js"}),
    ("/display/agenda", {"display.js", "display-stage.js", "timing.js", "live.js"}),
    ("/mc", {"mc.js", "awards-mc.js", "mc-agenda.js", "timing.js", "live.js"}),
])
def test_every_script_style_and_font_of_the_show_pages_is_served_here(app, mc_client, path, modules):
    html = mc_client.get(path).get_data(as_text=True)
    assert not ABSOLUTE_URL.search(html)
    page = parse(html)
    assets = every_asset(mc_client, page.urls)
    loaded = {url.rsplit("/", 1)[1] for url in assets}
    assert modules <= loaded
    assert "awards.css" in loaded
    fonts = mc_client.get("/static/vendor/fonts/fonts.css").get_data(as_text=True)
    for url, text in assets.items():
        if "/vendor/" not in url:
            assert not ABSOLUTE_URL.search(text), f"{url} refers to another host"
    assert not ABSOLUTE_URL.search(fonts)


@pytest.mark.parametrize("path, containers", [
    ("/display", {"hall", "award-stage", "item-title", "message", "connection", "clock", "attendance"}),
    ("/mc", {"award-panel", "agenda", "next", "previous", "script", "step-timer", "program-timer", "connection"}),
])
def test_the_show_pages_carry_their_containers_and_translated_strings(mc_client, path, containers):
    page = parse(mc_client.get(path).get_data(as_text=True))
    assert containers <= page.ids
    config = json.loads(page.config)
    assert config["timezone"] == "Asia/Ho_Chi_Minh"
    assert config["strings"] and all(isinstance(text, str) and text for text in config["strings"].values())
