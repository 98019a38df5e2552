"""Where the files the app serves live: beside the package in a checkout, inside it once installed.

The repository keeps templates/, static/ and translations/ at its top level; the wheel maps them
into the package (pyproject.toml), so an installed server finds them wherever it is started.
"""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
CHECKOUT = PACKAGE.parent
INSTALLED = (PACKAGE / "templates").is_dir()  # only a built wheel has them inside the package


def resource(name: str) -> Path:
    """The folder templates/, static/ or translations/ of this copy of Conference day."""
    return (PACKAGE if INSTALLED else CHECKOUT) / name


TEMPLATES = resource("templates")
STATIC = resource("static")
TRANSLATIONS = resource("translations")
