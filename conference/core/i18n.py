"""Interface language: Vietnamese unless the person chose English (?lang=en, kept in a cookie).

The English catalogue lives in translations/en/LC_MESSAGES/messages.po. It is compiled at start-up
into the instance folder (only when the .po changed), so a fresh clone needs no manual step and the
repository holds no generated .mo file. scripts/i18n.sh extracts and updates the catalogue.
"""
from __future__ import annotations

import gettext
import hashlib
import os
import threading
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from urllib.parse import urlencode

from flask import Flask, current_app, has_request_context, request

from .resources import TRANSLATIONS

LANGUAGES = ("vi", "en")
DEFAULT = "vi"
COOKIE = "lang"
LOCK_COOKIE = "lang_lock"
COOKIE_AGE = 365 * 24 * 3600
DOMAIN = "messages"
_compile_lock = threading.Lock()


def chosen_language(args=None) -> str | None:
    """The language asked for in this request (?lang=), if it is one we speak."""
    if args is None and not has_request_context():
        return None
    chosen = (request.args if args is None else args).get("lang")
    return chosen if chosen in LANGUAGES else None


def locked_language(args=None, cookies=None) -> str | None:
    """The language a device was locked to (a door tablet: ?lang=vi&lang_lock=1 on its pairing
    address), so a visitor's tap cannot switch it; ?lang_lock=0 unlocks it."""
    if args is None:
        if not has_request_context():
            return None
        args, cookies = request.args, request.cookies
    if args.get("lang_lock") == "0":
        return None
    if args.get("lang_lock") == "1" and chosen_language(args):
        return chosen_language(args)
    locked = cookies.get(LOCK_COOKIE)
    return locked if locked in LANGUAGES else None


def language_of(args, cookies) -> str:
    """A locked language first, then ?lang=, then the cookie, then Vietnamese: from a request's
    arguments and cookies (a WSGI layer outside Flask has them too, conference/web/limits.py)."""
    chosen = locked_language(args, cookies) or chosen_language(args) or cookies.get(COOKIE)
    return chosen if chosen in LANGUAGES else DEFAULT


def select_locale() -> str:
    """The request's language (language_of). Outside a request (CLI, exports): Vietnamese."""
    if not has_request_context():
        return DEFAULT
    return language_of(request.args, request.cookies)


@lru_cache(maxsize=len(LANGUAGES))
def catalogue(code: str) -> gettext.NullTranslations:
    """The translations of language CODE, compiled in memory: for the command line and the WSGI
    layers, which have no Flask app to ask."""
    po = TRANSLATIONS / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.is_file():
        return gettext.NullTranslations()
    return gettext.GNUTranslations(BytesIO(_compiled(str(po), hashlib.sha256(po.read_bytes()).hexdigest())))


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def remember_language(response):
    """Keep an explicit ?lang= choice in a cookie, so the next page speaks the same language."""
    chosen = chosen_language()
    if chosen and request.cookies.get(COOKIE) != chosen and not request.cookies.get(LOCK_COOKIE):
        response.set_cookie(COOKIE, chosen, max_age=COOKIE_AGE, samesite="Lax", httponly=True,
                            secure=request.is_secure)
    lock = request.args.get("lang_lock")
    if lock == "1" and chosen:
        response.set_cookie(LOCK_COOKIE, chosen, max_age=COOKIE_AGE, samesite="Lax", httponly=True,
                            secure=request.is_secure)
    elif lock == "0":
        response.delete_cookie(LOCK_COOKIE)
    return response


def language_url(code: str) -> str:
    """This page's address in another language, other query arguments kept."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    return f"{request.path}?{urlencode(args + [('lang', code)])}"


@lru_cache(maxsize=8)
def _compiled(po_path: str, digest: str) -> bytes:
    """The .mo bytes of a .po file (cached per content, so many test apps compile once)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    with open(po_path, "rb") as handle:
        catalog = read_po(handle)
    out = BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def compile_catalogues(target: Path, source: Path = TRANSLATIONS) -> Path:
    """Compile every source/<lang>/LC_MESSAGES/messages.po into target/, rewriting only what changed."""
    with _compile_lock:
        for po in sorted(source.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
            data = po.read_bytes()
            mo_bytes = _compiled(str(po), hashlib.sha256(data).hexdigest())
            mo = target / po.parent.relative_to(source) / f"{DOMAIN}.mo"
            if mo.exists() and mo.read_bytes() == mo_bytes:
                continue
            mo.parent.mkdir(parents=True, exist_ok=True)
            temporary = mo.with_name(f".{DOMAIN}.{os.getpid()}.{threading.get_ident()}.tmp")
            temporary.write_bytes(mo_bytes)
            os.replace(temporary, mo)  # atomic: another process starting at once reads old or new
    return target


def init_app(app: Flask) -> None:
    """Before Babel is set up: compile the catalogues and point Babel at them; remember ?lang=."""
    target = Path(app.config["INSTANCE_PATH"]) / "translations"
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compile_catalogues(target))
    app.after_request(remember_language)
    app.jinja_env.globals.update(language_url=language_url, LANGUAGES=LANGUAGES, locked_language=locked_language)
