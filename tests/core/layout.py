"""The layout of the package, as the shape tests read it: which modules are views, which are domain.

A feature package (conference/checkin, show, awards, seating, me, votes, speakers, papers, office, accounts) holds both: a view
module declares routes on a blueprint; every other module of a feature holds domain functions, but
for the request guards (accounts/guards.py), which read the request itself. The show-state row
(core/state.py) is domain too: every action bumps its version.
"""
from __future__ import annotations

import re
from pathlib import Path

CONFERENCE = Path(__file__).resolve().parents[2] / "conference"
FEATURES = ("accounts", "checkin", "show", "awards", "seating", "me", "votes", "speakers", "papers", "office")
_ROUTES = re.compile(r"^(bp|[a-z_]+\.bp) = Blueprint\(|^@bp\.(get|post|put|delete|route)\(", re.MULTILINE)
_REQUEST_BOUND = {"accounts/guards.py"}


def _source(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def is_view(path: Path) -> bool:
    """A module that declares routes (its own blueprint, or pages on the office's)."""
    return bool(_ROUTES.search(_source(path)))


def view_modules() -> list[Path]:
    return sorted(path for path in CONFERENCE.rglob("*.py") if "migrations" not in path.parts and is_view(path))


def domain_modules() -> list[Path]:
    found = [path for feature in FEATURES for path in (CONFERENCE / feature).rglob("*.py")
             if not is_view(path) and path.relative_to(CONFERENCE).as_posix() not in _REQUEST_BOUND
             and not (path.name == "__init__.py" and path.parent.name != "awards")]
    return sorted([*found, CONFERENCE / "core" / "state.py"])
