"""Interface language: Vietnamese by default, English when chosen (kept in a cookie), on every page;
and the English catalogue covers every msgid in templates/ and conference/."""
from __future__ import annotations

import io
import json
import re

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from tests.conftest import ROOT

PO = ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def source_msgids() -> dict[str, str]:
    """Every msgid in templates/ and conference/, as the extractor sees it (babel.cfg), with where it is."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = {}
    here = {pattern: f"**.{pattern.rsplit('.', 1)[1]}" for pattern, _method in method_map}  # within each folder
    for directory in ("conference", "templates"):
        for filename, _line, message, _comments, _context in extract_from_dir(
                ROOT / directory, [(here[p], m) for p, m in method_map],
                {here[p]: options for p, options in options_map.items()}, keywords=KEYWORDS):
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
    # a refusal's message, found only by babel.cfg's keywords (an older Babel would miss it silently)
    assert {"Đã có tài khoản “%(login)s”.", "dòng %(row)d: %(problem)s", "Cần nhập “%(field)s”."} <= set(found)


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
def test_every_page_has_a_language_switch_that_keeps_the_page(app, admin_client, pairings, who, url):
    client = admin_client if who == "admin" else app.test_client()
    if who in ("door", "mc"):
        client.get(f"/pair/{pairings[who]}")
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

    from conference.core.i18n import compile_catalogues
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

    from conference.core.i18n import select_locale
    with app.app_context():
        assert select_locale() == "vi"
        assert gettext("Đăng nhập") == "Đăng nhập"


# --- the strings of the scripts ---------------------------------------------------------------

VIETNAMESE_LETTER = re.compile("[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]",
                               re.IGNORECASE)
# Each script that shows text, the page that gives it its strings, and the JSON block they are in.
SCRIPT_PAGES = {"admin-awards.js": ("admin", "/admin/awards", "awards-text"),
                "awards-mc.js": ("mc", "/mc", "awards-text"),
                "awards-display.js": (None, "/display", "awards-text")}


def string_literals(source: str):
    """The text of every '…', "…" and `…` literal of a script, comments skipped."""
    index, end = 0, len(source)
    while index < end:
        if source.startswith(("//", "/*"), index):
            close = source.find("\n" if source[index + 1] == "/" else "*/", index + 2)
            index = end if close < 0 else close + 1
        elif source[index] in "\"'`":
            close = index + 1
            while close < end and source[close] != source[index]:
                close += 2 if source[close] == "\\" else 1
            yield source[index + 1:close]
            index = close + 1
        else:
            index += 1


def test_the_literal_reader_finds_strings_and_skips_comments():
    found = list(string_literals('// "Xin chào"\nconst a = "Lưu", b = \'x\\\'y\';\n/* `Vắng` */ f(`Đợt ${n}`);'))
    assert found == ["Lưu", "x\\'y", "Đợt ${n}"]


def test_no_script_hard_codes_vietnamese_text():
    """A person's text comes from the page (translated there), never from a string in a script."""
    found = {path.name: [text for text in string_literals(path.read_text(encoding="utf-8"))
                         if VIETNAMESE_LETTER.search(text)]
             for path in sorted((ROOT / "static" / "js").glob("*.js"))}
    assert len(found) > 10
    assert not {name: texts for name, texts in found.items() if texts}


def script_keys(name: str) -> set[str]:
    return set(re.findall(r'\bt\("(\w+)"', (ROOT / "static" / "js" / name).read_text(encoding="utf-8")))


def page_strings(client, url: str, block: str) -> dict:
    html = client.get(url).get_data(as_text=True)
    found = re.search(rf'<script type="application/json" id="{block}">(.*?)</script>', html, re.S)
    assert found, f"{url} has no {block} block"
    return json.loads(found.group(1))


@pytest.mark.parametrize("script", sorted(SCRIPT_PAGES))
def test_the_english_page_gives_its_script_every_string_in_english(app, admin_client, pairings, script):
    who, url, block = SCRIPT_PAGES[script]
    keys = script_keys(script)
    assert len(keys) >= 7
    client = admin_client if who == "admin" else app.test_client()
    if who == "mc":  # paired once: a pairing address pairs one browser
        client.get(f"/pair/{pairings[who]}")
    vietnamese = page_strings(client, url, block)
    english = page_strings(client, url + "?lang=en", block)
    assert keys <= set(vietnamese) and set(english) == set(vietnamese)
    assert all(VIETNAMESE_LETTER.search(vietnamese[key]) for key in keys)
    assert not {key: text for key, text in english.items() if VIETNAMESE_LETTER.search(text)}
    assert not {key: (vietnamese[key], text) for key, text in english.items()
                if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(vietnamese[key]))}
