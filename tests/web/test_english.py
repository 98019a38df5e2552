"""Every page in English, completely: each GET page of app.url_map, opened with ?lang=en by the role
that uses it, holds no interface text in Vietnamese. The conference's own data (the demo's names,
titles, agenda, groups, decisions) is taken out first: it stays in the language it was written in."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from conference.accounts.users import FIRST_NAME
from conference.office.demo import DEMO_FILE

VIETNAMESE = re.compile("[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I)
NOT_PAGES = {"static", "auth.pair", "door.roster", "door.presence",
             "stage.cue_file", "stage.deck_file",  # besides files (a name with a suffix); a cue, a deck
             "ballot.mine"}  # JSON for the phone's script: whether it has voted (conference/votes/)
ROLE = {"door.index": "door", "mc.index": "mc"}
PHONE_PAGES = {"me.page", "me.open_page", "me.document_view"}  # a delegate's phone (conference/me/)
TEXT_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "value", "content"}


def data_strings() -> list[str]:
    """Every text of the demo conference, longest first (so a title goes before a word of it)."""
    found: set[str] = set()

    def walk(value):
        if isinstance(value, str):
            found.update({value, *value.split("\n")})
        elif isinstance(value, dict):
            for key, inner in value.items():
                walk(key)
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)
    walk(json.loads(DEMO_FILE.read_text(encoding="utf-8")))
    walk(FIRST_NAME)  # the first administrator's name, an account's data like a delegate's
    return sorted((s.strip() for s in found if s.strip()), key=len, reverse=True)


class Texts(HTMLParser):
    """What a person reads: text, the readable attributes, and the strings of JSON config blocks."""

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self.stack: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.stack.append((tag, attrs))
        self.texts += [v for k, v in attrs.items() if v and (k in TEXT_ATTRIBUTES or k.startswith("data-"))
                       and not (tag == "meta" and attrs.get("name") == "csrf-token")]

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        tag, attrs = self.stack[-1] if self.stack else ("", {})
        if attrs.get("lang") == "vi":  # marked as Vietnamese on purpose: "Tiếng Việt" in the switch
            return
        if tag == "script" and attrs.get("type") == "application/json":
            self._strings(json.loads(data))
        elif tag not in ("script", "style"):
            self.texts.append(data)

    def _strings(self, value):
        if isinstance(value, str):
            self.texts.append(value)
        elif isinstance(value, dict):
            for inner in value.values():
                self._strings(inner)
        elif isinstance(value, list):
            for inner in value:
                self._strings(inner)


def left_in_vietnamese(html: str, data: list[str]) -> list[str]:
    parser = Texts()
    parser.feed(html)
    left = []
    for text in parser.texts:
        for known in data:
            if known in text:
                text = text.replace(known, " ")
        # A Vietnamese word named in quotes in an English sentence is meant: the heading a file must
        # have (“Họ và tên”), the wording of a Vietnamese document (“…, ngày … tháng … năm …”).
        text = re.sub("“[^”]*”", " ", text)
        if VIETNAMESE.search(text):
            left.append(" ".join(text.split())[:120])
    return sorted(set(left))


def page_urls(app) -> list[tuple[str, str]]:
    """(endpoint, url) of every GET page; a route with an id gets the first row the demo has, and the
    restore of a backup the newest backup (one is taken if there is none)."""
    from conference.office.backups import backup_now, backups
    with app.app_context():
        kept = backups()
        ids = {"item_id": 1, "delegate_id": 1, "name": kept[0].name if kept else backup_now().name,
               "code": sample_badge_code(), "document_id": sample_document()}
    pages = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        if rule.rule.startswith(("/api/", "/press/")):  # JSON for programs and button boxes, not pages
            continue
        if "." in rule.rule.rsplit("/", 1)[-1]:  # a download (.pdf, .xlsx, .docx, .db, .js …), not a page
            continue
        pages.append((rule.endpoint, rule.build({k: ids[k] for k in rule.arguments}, append_unknown=False)[1]))
    return sorted(pages)


def sample_badge_code() -> str:
    from conference.checkin.roster import get_delegate
    from conference.core.state import default_conference_id
    return get_delegate(default_conference_id(), 1).badge_code


def sample_document() -> int:
    """A one-page PDF added to the demo conference (the first time), for the delegate's viewer."""
    import io

    from reportlab.pdfgen import canvas

    from conference.core.state import default_conference_id
    from conference.me import documents
    conference_id = default_conference_id()
    found = documents.office_documents(conference_id)
    if found:
        return found[0].id
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.drawString(72, 720, "Report")
    pdf.save()
    return documents.add_document(conference_id, "Report", out.getvalue()).id


def test_every_page_is_wholly_english_when_english_is_chosen(app, admin_client, pairings):
    data = data_strings()
    problems = {}
    paired = {}  # a pairing address pairs one browser: one per role, opened once
    for endpoint, url in page_urls(app):
        client = admin_client
        if endpoint in ROLE:
            role = ROLE[endpoint]
            if role not in paired:
                paired[role] = app.test_client()
                paired[role].get(f"/pair/{pairings[role]}")
            client = paired[role]
        if endpoint in PHONE_PAGES:  # the phone that opened the first delegate's page
            if "phone" not in paired:
                paired["phone"] = app.test_client()
                with app.app_context():
                    paired["phone"].get(f"/me/{sample_badge_code()}")
            client = paired["phone"]
        answer = client.get(url + "?lang=en", follow_redirects=endpoint == "me.open_page")
        assert answer.status_code == 200, url
        left = left_in_vietnamese(answer.get_data(as_text=True), data)
        if left:
            problems[url] = left
    assert len(page_urls(app)) >= 18
    assert problems == {}


def test_the_check_finds_vietnamese_left_in_a_page(app):
    html = ('<p title="Đóng">Close</p><script type="application/json">{"a": "Tiếp"}</script><p>Chào cờ</p>'
            '<p>The “Họ và tên” column</p><a lang="vi">Tiếng Việt</a>')
    assert left_in_vietnamese(html, data_strings()) == ["Tiếp", "Đóng"]  # data, quotes and lang="vi" left out
