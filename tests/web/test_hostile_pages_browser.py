"""A name full of HTML, in a real browser, on every page and on the projector: shown as text, never run.

The delegate, an honouree, a candidate and the hall message are all set to markup that would
open a dialog if it were ever parsed as HTML. Each page is opened by the role that uses it; a
dialog must never open, no such element may appear, and the text must appear literally.
"""
from __future__ import annotations

import pytest
import requests

from tests.conftest import CHROMIUM_ARGS, bearer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NAME = "<img src=x onerror=alert(1)>"
MESSAGE = "<script>alert('message')</script><svg onload=alert(2)>"


def hostile_day(server) -> dict:
    """Put the markup everywhere a name or a text can reach; returns the tokens used."""
    tokens = {role: server.token(role) for role in ("admin", "mc", "door")}
    admin, mc = bearer(tokens["admin"]), bearer(tokens["mc"])
    delegate = requests.post(server.url + "/api/delegates", json={"full_name": NAME, "unit": NAME},
                             headers=admin, timeout=10)
    assert delegate.status_code == 201, delegate.text
    announcements = requests.get(server.url + "/api/awards", headers=mc, timeout=10).json()["announcements"]
    honouree_id = announcements[0]["honourees"][0]["id"]
    renamed = requests.put(f"{server.url}/api/honourees/{honouree_id}", json={"name": NAME, "unit": NAME},
                           headers=admin, timeout=10)
    assert renamed.status_code == 200, renamed.text
    for path, payload in (("/api/show/goto", {"position": 5}), ("/api/awards/next", None),
                          ("/api/awards/next", None), ("/api/show/message", {"message": MESSAGE})):
        answer = requests.post(server.url + path, json=payload, headers=mc, timeout=10)
        assert answer.status_code == 200, (path, answer.text)
    return tokens


def visit(context, server, path: str, then=None) -> tuple[str, list[str], int]:
    """Open a page in a browser context (paired as its role, or not); returns (visible text,
    dialogs opened, injected elements)."""
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(server.url + path)
        page.wait_for_load_state("load")
        if then:
            then(page)
        page.wait_for_timeout(700)  # let the live snapshot render and any injected handler fire
        text = page.evaluate("document.body ? document.body.innerText : ''")
        injected = page.locator('img[src="x"], svg[onload], script:text("alert")').count()
        return text, dialogs, injected
    finally:
        page.close()


def paired_browsers(browser, server, roles) -> dict:
    """A browser of its own per role, paired by its own single-use pairing address (None: unpaired)."""
    contexts = {}
    for role in roles:
        contexts[role] = browser.new_context(viewport={"width": 1280, "height": 800})
        if role:
            page = contexts[role].new_page()
            page.goto(f"{server.url}/pair/{server.pairing(role)}")
            page.close()
    return contexts


def search_door(page) -> None:
    page.fill("input[type=search]", "img src")
    page.wait_for_timeout(600)


def test_markup_in_names_and_messages_is_shown_as_text_on_every_page(live_server, chromium):
    tokens = hostile_day(live_server)
    state = requests.get(live_server.url + "/api/state", timeout=10).json()
    assert state["award"]["reveal"] and any(h["name"] == NAME for h in state["award"]["honourees"])
    delegate_id = requests.get(live_server.url + "/api/delegates?q=onerror", headers=bearer(tokens["door"]),
                               timeout=10).json()["delegates"][0]["id"]
    pages = [
        (None, "/display", [NAME, MESSAGE]),
        ("mc", "/mc", [MESSAGE]),
        ("door", "/door", [NAME]),
        ("admin", "/admin", []),
        ("admin", "/admin/delegates", [NAME]),
        ("admin", f"/admin/delegates/{delegate_id}", []),
        ("admin", "/admin/awards", []),
        ("admin", "/admin/candidates", []),
        (None, "/display/agenda", []),
    ]
    browsers = paired_browsers(chromium, live_server, {role for role, _, _ in pages})
    try:
        for role, path, expected in pages:
            text, dialogs, injected = visit(browsers[role], live_server, path,
                                            search_door if path == "/door" else None)
            assert dialogs == [], f"{path} ran markup: {dialogs}"
            assert injected == 0, f"{path} turned markup into elements"
            for literal in expected:
                assert literal in text, f"{path} does not show {literal!r} as text"
    finally:
        for context in browsers.values():
            context.close()
