"""Security headers: every page and API answer carries a strict Content-Security-Policy, frame and
sniffing protection and a referrer policy; the pages keep working under that policy in a real browser
(no violation, their live connection up, the door's worker and service worker, the QR code); under
https, HSTS and Secure cookies, also behind a trusted proxy, and never for a caller that only claims it."""
from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
import requests

from conference import create_app
from conference.web.security_headers import CONTENT_SECURITY_POLICY
from tests.conftest import ROOT, LiveServer, bearer, lanes, page_csrf_token

EXPECTED = {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}
# A button box's press address (docs/SHOW.md §6) holds its token: never sent on at all, never kept.
PRESS_EXPECTED = {**EXPECTED, "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}
# Pages that answer something else than 200 on purpose, over plain http.
NOT_200 = {"auth.pair": 302, "door.certificate": 404,
           "admin.latest_backup": 404,  # no certificate made yet, no backup taken yet: still answered with the headers
           "ballot.mine": 401}  # no delegate's page open in this client


def directives(policy: str) -> dict[str, set[str]]:
    return {name: set(values) for name, *values in (part.split() for part in policy.split(";") if part.strip())}


def assert_protected(response, what: str, expected: dict = EXPECTED) -> None:
    headers = response.headers
    assert headers.get("Content-Security-Policy") == CONTENT_SECURITY_POLICY, what
    assert {name: headers.get(name) for name in expected} == expected, what
    assert "Strict-Transport-Security" not in headers, what  # plain http: HSTS would be ignored or harmful
    assert all("secure" not in cookie.lower() for cookie in headers.getlist("Set-Cookie")), what


def test_the_policy_allows_nothing_inline_and_nothing_from_elsewhere():
    policy = directives(CONTENT_SECURITY_POLICY)
    assert policy["default-src"] == policy["script-src"] == policy["style-src"] == {"'self'"}
    assert policy["frame-ancestors"] == policy["object-src"] == policy["base-uri"] == {"'none'"}
    assert policy["img-src"] == {"'self'", "data:"}  # the pairing QR code
    assert not any(value.startswith("'unsafe") or value in ("*", "http:", "https:")
                   for values in policy.values() for value in values)


def fill(rule, values: dict[str, str]) -> str:
    """The rule's path with its arguments filled in."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: values.get(m.group(1), "1"), rule.rule)


@pytest.fixture
def callers(app, admin_client, tokens, pairings, auth):
    """Who opens what: the office, each paired screen, a bearer per API role, anyone."""
    paired = {}
    for role in ("door", "mc", "display"):
        paired[role] = app.test_client()
        assert paired[role].get(f"/pair/{pairings[role]}").status_code == 302
    anyone = app.test_client()

    def open_as(path: str):
        if path.startswith("/api/"):
            answers = [anyone.get(path, headers=auth(role)) for role in tokens]
            return next((a for a in answers if a.status_code == 200), answers[0])
        first = path.strip("/").split("/")[0].split("-")[0]
        return {"admin": admin_client, **paired}.get(first, anyone).get(path)
    return open_as


def test_every_page_and_api_answer_carries_the_headers(app, callers, tokens, pairings):
    with app.app_context():
        from conference.show import agenda
        from conference.checkin import roster
        from conference.core.state import default_conference_id
        conference = default_conference_id()
        item, delegate = agenda.items(conference)[0].id, roster.search_delegates(conference, None, 1)[0].id
    values = {"item_id": str(item), "delegate_id": str(delegate), "token": pairings["admin"],
              "filename": "css/app.css", "fmt": "csv"}
    rules = [rule for rule in app.url_map.iter_rules() if "GET" in rule.methods]
    assert len(rules) > 30
    for rule in rules:
        press = rule.rule.startswith("/press/")  # a press address takes a button box's token only
        path = fill(rule, {**values, "token": tokens["button"]} if press else values)
        response = callers(path)
        assert response.status_code != 500, path
        if not rule.arguments or set(rule.arguments) <= set(values):
            assert response.status_code == NOT_200.get(rule.endpoint, 200), (path, response.status_code)
        assert_protected(response, path, PRESS_EXPECTED if press else EXPECTED)


def test_refusals_and_errors_carry_the_headers_too(client):
    for path in ("/admin", "/api/delegates", "/no-such-page", "/api/no-such-thing", "/static/none.css"):
        response = client.get(path)
        assert response.status_code in (302, 401, 403, 404), path
        assert_protected(response, path)
    assert_protected(client.post("/login", data={"password": "x"}), "/login without CSRF")


TEMPLATES = sorted((ROOT / "templates").glob("*.html"))
INLINE = {
    "an inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"),
    "an event handler attribute": re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE),
    "a style attribute": re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE),
    "a style element": re.compile(r"<style\b", re.IGNORECASE),
    "a javascript: address": re.compile(r"javascript:", re.IGNORECASE),
}


@pytest.mark.parametrize("template", TEMPLATES, ids=[t.name for t in TEMPLATES])
def test_no_template_has_anything_inline_the_policy_refuses(template: Path):
    text = template.read_text(encoding="utf-8")
    found = [what for what, pattern in INLINE.items() if pattern.search(text)]
    assert not found, f"{template.name}: {found}"


# --- https: HSTS and Secure cookies ------------------------------------------------------------

def cookies_of(response) -> list[str]:
    """Every Set-Cookie line of a live server's answer or of a test client's."""
    headers = response.raw.headers if isinstance(response, requests.Response) else response.headers
    return headers.getlist("Set-Cookie")


def secure_cookies(response) -> list[bool]:
    cookies = cookies_of(response)
    assert cookies, "the answer sets no cookie"
    return ["secure" in {part.strip().lower() for part in cookie.split(";")} for cookie in cookies]


def behind_proxy(tmp_path):
    return create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True, "BEHIND_PROXY": True,
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.db'}"})


def test_behind_a_trusted_proxy_over_https_cookies_are_secure_and_hsts_is_sent(tmp_path):
    client = behind_proxy(tmp_path).test_client()
    client.environ_base["REMOTE_ADDR"] = "127.0.0.1"
    answer = client.get("/login?lang=en", headers={"X-Forwarded-Proto": "https"})
    assert answer.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert secure_cookies(answer) == [True, True]  # the session (its CSRF token) and the language


def test_a_direct_caller_claiming_https_gets_neither(tmp_path):
    client = behind_proxy(tmp_path).test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.8"
    answer = client.get("/login?lang=en", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in answer.headers
    assert secure_cookies(answer) == [False, False]


@pytest.fixture(scope="module")
@lanes("slow")
def https_server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("https-headers") / "instance", https=True).start()
    yield server
    server.stop()


def fetch(server, path: str, session=None) -> requests.Response:
    with warnings.catch_warnings():  # the certificate is verified in tests/checkin/test_door_https.py
        warnings.simplefilter("ignore")
        return (session or requests).get(server.url + path, verify=False, timeout=5, allow_redirects=False)


def test_serve_https_sends_hsts_and_marks_every_cookie_secure(https_server):
    for path in ("/login", "/api/state", "/door", "/static/css/app.css"):
        answer = fetch(https_server, path)
        assert answer.headers["Strict-Transport-Security"] == "max-age=31536000", path
        assert answer.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, path
    assert secure_cookies(fetch(https_server, "/login?lang=en")) == [True, True]
    paired = fetch(https_server, "/pair/" + https_server.pairing("door", "Cửa 1"))
    assert paired.status_code == 302 and secure_cookies(paired) == [True]
    for cookie in cookies_of(paired):
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie  # kept as they were


# --- a real browser under the policy -----------------------------------------------------------

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


class Watched:
    """A browser context whose pages report every policy violation and console error."""

    def __init__(self, browser, server, **options):
        self.context = browser.new_context(**options)
        self.context.add_init_script(WATCH)
        self.page = self.context.new_page()
        self.server = server
        self.console: list[str] = []
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.console.append(m.text))
        self.page.on("pageerror", lambda e: self.console.append(str(e)))

    def open(self, path: str, live: bool = True):
        self.page.goto(self.server.url + path)
        if live:
            self.page.wait_for_function("() => document.getElementById('connection')?.dataset.state === 'online'",
                                        timeout=15000)
        return self.page

    def assert_clean(self) -> None:
        violations = self.page.evaluate("window.__violations")
        policy = [text for text in self.console if "Content Security Policy" in text or "Refused to" in text]
        assert violations == [] and policy == [], (violations, policy)


def decoder_answers(page) -> dict:
    """The door's QR decoder worker loads jsQR under the policy and answers a blank frame."""
    return page.evaluate("""() => new Promise((resolve, reject) => {
        setTimeout(() => reject(new Error("the worker did not answer")), 5000);
        const worker = new Worker("/static/js/door-decoder.js");
        worker.onmessage = (event) => resolve(event.data);
        worker.onerror = (event) => reject(new Error("worker failed: " + event.message));
        const pixels = new Uint8ClampedArray(64 * 64 * 4).fill(255);
        worker.postMessage({ id: 1, width: 64, height: 64, buffer: pixels.buffer }, [pixels.buffer]);
    })""")


def check_pages(browser, server, **options) -> None:
    for role, paths in {"door": ["/door"], "mc": ["/mc"], "display": ["/display", "/display/agenda"]}.items():
        screen = Watched(browser, server, **options)
        try:
            screen.open("/pair/" + server.pairing(role, f"{role} CSP"))
            for path in paths[1:]:
                screen.open(path)
            if role == "door":
                assert decoder_answers(screen.page)["code"] is None
                if not server.https:  # browsers refuse service workers over a certificate they do not trust
                    screen.page.wait_for_function("() => navigator.serviceWorker.controller !== null")
            screen.assert_clean()
        finally:
            screen.context.close()
    office = Watched(browser, server, **options)
    try:
        office.open("/pair/" + server.pairing("admin", "office CSP"))
        office.open("/admin/awards")
        office.open("/admin/delegates", live=False)  # its colour swatches: data-swatch, set by admin-forms.js
        assert office.page.locator("td .swatch").first.evaluate("(s) => getComputedStyle(s).backgroundColor") \
            not in ("", "rgba(0, 0, 0, 0)")
        for path in ("/admin/groups", "/admin/agenda", "/admin/import", "/", "/login"):
            office.open(path, live=False)
        office.open("/admin/devices", live=False)
        office.page.fill("input[name=label]", "Cửa phụ")
        office.page.click("form[action$='/admin/devices'] button[type=submit]")
        qr = office.page.locator("#pairing-qr")
        qr.wait_for(timeout=5000)
        assert qr.evaluate("(img) => img.complete && img.naturalWidth > 0")  # the data: QR code is drawn
        office.open("/admin")
        office.assert_clean()
        office.page.evaluate("""() => document.body.insertAdjacentHTML("beforeend",
            '<img src="https://elsewhere.example/x.png"><b style="color: red">x</b>')""")
        office.page.wait_for_function("() => window.__violations.length >= 2")  # the watch itself works
    finally:
        office.context.close()


@pytest.mark.browser
def test_the_pages_work_under_the_policy_without_a_single_violation(chromium, live_server):
    check_pages(chromium, live_server)


@pytest.mark.browser
def test_the_pages_work_under_the_policy_over_https_too(chromium, https_server):
    check_pages(chromium, https_server, ignore_https_errors=True)  # the one-time certificate warning
