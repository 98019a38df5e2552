"""The shape of the code: page and API routes read and write through the services, never the database.

A route may import from the services, auth, errors and flask; from `conference.core.models` only the enums
(Role, ItemKind...), which name values and query nothing. It may not import the database module
(`db`, `is_id`, `write_transaction`...), SQLAlchemy, or a mapped model class, whatever path it takes
(a service re-exporting one counts too), nor reach a `db.session` through another module.
An import under `if TYPE_CHECKING:` exists for annotations only and is not checked.
"""
from __future__ import annotations

import ast
import enum
import importlib
import importlib.util
import types
from pathlib import Path

import pytest
from flask_sqlalchemy import SQLAlchemy

from conference.core.db import Base
from tests.core.layout import CONFERENCE, view_modules

EXAMPLE_PACKAGE = "conference.checkin"  # the package the examples below are read as part of
DATABASE_MODULES = ("conference.core.db", "conference.core.models", "sqlalchemy", "flask_sqlalchemy")


def _under(module: str, roots: tuple[str, ...]) -> bool:
    return any(module == root or module.startswith(root + ".") for root in roots)


def _type_checking_only(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _nodes(tree: ast.AST):
    """Every node, except what sits under `if TYPE_CHECKING:` (never run)."""
    for child in ast.iter_child_nodes(tree):
        if _type_checking_only(child):
            for other in child.orelse:
                yield other
                yield from _nodes(other)
            continue
        yield child
        yield from _nodes(child)


def _imports(tree: ast.AST, package: str):
    """(line, module, name or None) for every import, relative ones resolved against the package."""
    for node in _nodes(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, None
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                module = importlib.util.resolve_name("." * node.level + module, package)
            for alias in node.names:
                yield node.lineno, module, alias.name


def _imported_object(module: str, name: str):
    target = importlib.import_module(module)
    if hasattr(target, name):
        return getattr(target, name)
    return importlib.import_module(f"{module}.{name}")  # `from .. import models` names a submodule


def _why_forbidden(module: str, name: str | None) -> str | None:
    """Why importing name (or the whole module) from module gives a route the database, else None."""
    if name is None:
        return f"imports {module}" if _under(module, DATABASE_MODULES) else None
    if name == "*":
        return f"star import from {module} (nothing may be hidden)"
    value = _imported_object(module, name)
    if isinstance(value, type) and issubclass(value, enum.Enum):
        return None  # an enum names values; it cannot query
    if _under(module, ("conference.core.db", "sqlalchemy", "flask_sqlalchemy")):
        return f"imports {name} from {module}"
    if isinstance(value, types.ModuleType) and _under(value.__name__, DATABASE_MODULES):
        return f"imports the module {value.__name__}"
    if isinstance(value, SQLAlchemy):
        return f"imports the database handle as {name}"
    if isinstance(value, type) and issubclass(value, Base):
        return f"imports the model {name}"
    if _under(getattr(value, "__module__", None) or "", ("sqlalchemy", "flask_sqlalchemy")):
        return f"imports SQLAlchemy's {name}"
    if module == "conference.core.models":
        return f"imports {name} from conference.core.models (only its enums are allowed)"
    return None


def _session_reach(node: ast.AST) -> bool:
    """`db.session` or `anything.db.session`: the session reached through a re-exported handle."""
    if not (isinstance(node, ast.Attribute) and node.attr == "session"):
        return False
    owner = node.value
    return (isinstance(owner, ast.Name) and owner.id == "db") or (
        isinstance(owner, ast.Attribute) and owner.attr == "db")


def violations(source: str, package: str = EXAMPLE_PACKAGE) -> list[str]:
    """What in this route source reaches the database, one line each ("line N: why")."""
    tree = ast.parse(source)
    found = [f"line {line}: {why}" for line, module, name in _imports(tree, package)
             if (why := _why_forbidden(module, name))]
    found += [f"line {node.lineno}: uses db.session" for node in _nodes(tree) if _session_reach(node)]
    return found


ROUTE_FILES = view_modules()


def _package(path: Path) -> str:
    return ".".join(("conference", *path.parent.relative_to(CONFERENCE).parts))


@pytest.mark.parametrize("path", ROUTE_FILES, ids=lambda path: path.relative_to(CONFERENCE).as_posix())
def test_routes_reach_the_database_only_through_services(path):
    assert violations(path.read_text(encoding="utf-8"), _package(path)) == []


def test_every_route_file_is_checked():
    names = {path.relative_to(CONFERENCE).as_posix() for path in ROUTE_FILES}
    assert {"checkin/door.py", "checkin/dashboard_pages.py", "checkin/delegate_pages.py", "papers/pages.py",
            "web/api.py", "office/frame.py", "show/press.py", "awards/api.py"} <= names


# The check itself, on sources written to break the rule (and some that keep it): it must catch each.
BREAKING = {
    "the database handle": "from ..core.db import db",
    "a helper of the database module": "from ..core.db import is_id",
    "the database module, relative": "from ..core import db",
    "the database module, absolute": "import conference.core.db",
    "SQLAlchemy as sa": "import sqlalchemy as sa",
    "SQLAlchemy's select": "from sqlalchemy import select",
    "SQLAlchemy's orm": "import sqlalchemy.orm",
    "Flask-SQLAlchemy": "from flask_sqlalchemy import SQLAlchemy",
    "a model": "from ..core.models import Delegate",
    "a model beside an enum": "from ..core.models import Role, DelegateGroup",
    "the models module": "from ..core import models",
    "every model": "from ..core.models import *",
    "a model re-exported by a service": "from .roster import Delegate",
    "the handle re-exported by a service": "from .roster import db",
    "an import late in a function": "def view():\n    from ..core.models import AgendaStep\n    return AgendaStep",
    "the session through a service": "from . import roster\nroster.db.session.scalars(None)",
    "a module-level TYPE_CHECKING else branch": (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    pass\nelse:\n    from ..core.db import db"),
}
KEEPING = {
    "an enum": "from ..core.models import Role",
    "two enums": "from ..core.models import ItemKind, Role",
    "a service": "from . import roster\nroster.groups(1)",
    "a service function": "from .roster import groups",
    "the cookie session": "from flask import session\nsession.get('import')",
    "a model for annotations only": (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..core.models import Delegate"),
}


@pytest.mark.parametrize("source", BREAKING.values(), ids=BREAKING.keys())
def test_the_check_catches_a_route_that_reaches_the_database(source):
    assert violations(source), source


@pytest.mark.parametrize("source", KEEPING.values(), ids=KEEPING.keys())
def test_the_check_lets_services_and_enums_through(source):
    assert violations(source) == []
