"""Interface language: Vietnamese unless the person chose English (?lang=en, kept in a cookie)."""
from __future__ import annotations

from flask import current_app, request

LANGUAGES = ("vi", "en")


def select_locale() -> str:
    chosen = request.args.get("lang") or request.cookies.get("lang")
    return chosen if chosen in LANGUAGES else "vi"


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]
