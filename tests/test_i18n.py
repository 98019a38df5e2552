"""Interface language: Vietnamese by default, English when chosen (kept in a cookie), on every page;
and the English catalogue covers every msgid in templates/ and conference/."""
from __future__ import annotations

import io
import re

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from conftest import ROOT

PO = ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def source_msgids() -> dict[str, str]:
    """Every msgid in templates/ and conference/, as the extractor sees it (babel.cfg), with where it is."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = {}
    for directory in ("conference", "templates"):
        for filename, _line, message, _comments, _context in extract_from_dir(
                ROOT / directory, [(f"**.{p.rsplit('.', 1)[1]}", m) for p, m in method_map], options_map,
                keywords=KEYWORDS):
            msgid = message[0] if isinstance(message, tuple) else message
            if msgid:
                found.setdefault(msgid, f"{directory}/{filename}")
    return found


def catalogue():
    with open(PO, "rb") as handle:
        return read_po(handle)


def singular(msgid) -> str:
    return msgid[0] if isinstance(msgid, tuple) else msgid


def translated(message) -> bool:
    """A non-empty English text (every plural form of it, for an ngettext message), not marked fuzzy."""
    texts = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    return all(texts) and not message.fuzzy


def test_every_msgid_in_templates_and_code_has_an_english_translation():
    known = {singular(m.id): m for m in catalogue() if m.id}
    missing = {msgid: where for msgid, where in source_msgids().items()
               if msgid not in known or not translated(known[msgid])}
    assert not missing, ("run scripts/i18n.sh and translate these in " + str(PO.relative_to(ROOT)) + ":\n"
                         + "\n".join(f"  {where}: {msgid!r}" for msgid, where in sorted(missing.items())))


def test_the_extractor_finds_the_strings_of_the_office_pages():
    """Guards the test above: if babel.cfg stopped matching, it would pass on nothing."""
    found = source_msgids()
    assert len(found) > 150
    assert {"Điểm danh trực tiếp", "Đăng nhập", "Tên hội nghị", "Nhập %(num)d đại biểu"} <= set(found)


def test_translations_keep_every_placeholder():
    problems = [(m.id, m.string) for m in catalogue() if m.id and translated(m)
                and any(sorted(PLACEHOLDER.findall(singular(m.id))) != sorted(PLACEHOLDER.findall(text))
                        for text in (m.string if isinstance(m.string, (tuple, list)) else (m.string,)))]
    assert not problems
    assert not [error for _message, errors in catalogue().check() for error in errors]


def test_vietnamese_is_the_default_and_english_is_kept_once_chosen(client):
    first = client.get("/login")
    assert 'lang="vi"' in first.get_data(as_text=True) and "Đăng nhập quản trị" in first.get_data(as_text=True)
    assert "lang=" not in first.headers.get("Set-Cookie", "")
    chosen = client.get("/login?lang=en")
    cookie = chosen.headers["Set-Cookie"]
    assert "lang=en" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=" in cookie
    assert "Office sign-in" in chosen.get_data(as_text=True)
    later = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in later and "Office sign-in" in later
    assert 'lang="en"' in client.get("/login?lang=xx").get_data(as_text=True)  # unknown: the choice stays
    back = client.get("/login?lang=vi")
    assert "lang=vi" in back.headers["Set-Cookie"] and "Đăng nhập quản trị" in back.get_data(as_text=True)
    assert "Đăng nhập quản trị" in client.get("/login").get_data(as_text=True)


@pytest.mark.parametrize("who, url", [
    (None, "/"), (None, "/login"), (None, "/display"), ("door", "/door"), ("mc", "/mc"),
    ("admin", "/admin"), ("admin", "/admin/delegates?q=nguyen&group=2"), ("admin", "/admin/import"),
    ("admin", "/admin/devices"), ("admin", "/admin/agenda"), ("admin", "/admin/papers"),
    ("admin", "/admin/awards"),
])
def test_every_page_has_a_language_switch_that_keeps_the_page(app, admin_client, tokens, who, url):
    client = admin_client if who == "admin" else app.test_client()
    if who in ("door", "mc"):
        client.get(f"/pair/{tokens[who]}")
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    switch = re.search(r'<nav class="lang-switch"[^>]*>(.*?)</nav>', html, re.S)
    assert switch, f"{url} has no language switch"
    path, _, query = url.partition("?")
    english = (path + "?" + (query.replace("&", "&amp;") + "&amp;" if query else "") + "lang=en")
    assert f'href="{english}"' in switch.group(1) and "lang=vi" in switch.group(1)
    assert client.get(url + ("&" if query else "?") + "lang=en").status_code == 200


@pytest.mark.parametrize("url, english", [
    ("/admin", "Live attendance"), ("/admin/conference", "Conference details"), ("/admin/groups", "Delegate groups"),
    ("/admin/delegates", "Add delegate"), ("/admin/import", "Import delegates from Excel or CSV"),
    ("/admin/candidates", "Delegates to the higher-level conference"), ("/admin/devices", "Paired devices"),
    ("/admin/papers", "Delegate badges"), ("/admin/agenda", "Conference program"),
])
def test_the_office_pages_speak_english_when_asked(admin_client, url, english):
    html = admin_client.get(url + "?lang=en").get_data(as_text=True)
    assert english in html and 'lang="en"' in html


def test_a_refused_form_explains_itself_in_the_chosen_language(admin_client):
    admin_client.get("/admin?lang=en")
    answer = admin_client.post("/admin/groups", data={"csrf_token": admin_client.csrf_token, "name": "x",
                                                      "color": "red"})
    assert answer.status_code == 400 and "The colour must be #rrggbb." in answer.get_data(as_text=True)


def test_the_catalogue_is_compiled_into_the_instance_at_start_without_a_manual_step(app):
    from babel.support import Translations
    compiled = app.config["BABEL_TRANSLATION_DIRECTORIES"]
    assert compiled.startswith(app.config["INSTANCE_PATH"])
    english = Translations.load(compiled, ["en"])
    checked = 0
    for message in catalogue():
        if message.id and isinstance(message.id, str) and translated(message):
            assert english.gettext(message.id) == message.string
            checked += 1
    assert checked > 100
    assert not list(ROOT.glob("translations/**/*.mo")), "the .mo is generated, never committed"


def test_a_changed_catalogue_is_compiled_again_and_an_unchanged_one_is_left_alone(tmp_path):
    from babel.support import Translations

    from conference.i18n import compile_catalogues
    source = tmp_path / "source"
    (source / "en" / "LC_MESSAGES").mkdir(parents=True)
    po = source / "en" / "LC_MESSAGES" / "messages.po"
    entry = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=utf-8\\n"\n\nmsgid "Lưu"\nmsgstr "{}"\n'
    po.write_text(entry.format("Save"), encoding="utf-8")
    target = compile_catalogues(tmp_path / "out", source)
    mo = target / "en" / "LC_MESSAGES" / "messages.mo"
    stamp = mo.stat().st_mtime_ns
    compile_catalogues(tmp_path / "out", source)
    assert mo.stat().st_mtime_ns == stamp
    po.write_text(entry.format("Keep"), encoding="utf-8")
    compile_catalogues(tmp_path / "out", source)
    assert Translations(io.BytesIO(mo.read_bytes())).gettext("Lưu") == "Keep"


def test_outside_a_request_the_language_is_vietnamese(app):
    from flask_babel import gettext

    from conference.i18n import select_locale
    with app.app_context():
        assert select_locale() == "vi"
        assert gettext("Đăng nhập") == "Đăng nhập"
