"""The shape of the house, kept: which package may import which (docs/ARCHITECTURE.md).

- No import loop between the modules of conference/, late imports (inside functions) included.
- core/ imports nothing of the features; a feature's domain modules import core and the domain
  modules of the features before it (FEATURE_ORDER), never a view, live/, web/ or cli/.
- live/ reads the domain to build the snapshot; it imports no view, web/ or cli/.
- Views are imported only by views, web/, cli/ and the app factory.
- No module reaches into another feature's private names (`_name`).
- Only the domain modules, core's database layer and live/ query: a view, web/ or cli/ module
  imports no database handle, SQLAlchemy or model (test_architecture.py holds the views to it).
"""
from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

from tests.core.layout import CONFERENCE, domain_modules, view_modules
from tests.core.test_architecture import violations

FEATURE_ORDER = ("core", "accounts", "checkin", "awards", "seating", "show", "me", "votes", "speakers", "papers", "office")
# Modules outside the domain that touch the database, and why they may.
QUERYING_INFRASTRUCTURE = {
    "factory.py": "the app factory binds the database and rolls back a failed request",
    "core/db.py": "the database layer itself", "core/models.py": "the models themselves",
    "live/snapshot.py": "reads the whole state of a conference for the screens",
    "live/realtime.py": "watches the version in the database and the devices connected",
    "live/consoles.py": "reads the labels of the MC consoles connected",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(CONFERENCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(path: Path) -> str:
    name = module_name(path)
    return name if path.name == "__init__.py" else name.rsplit(".", 1)[0]


MODULES = {module_name(path): path for path in CONFERENCE.rglob("*.py") if "migrations" not in path.parts}


def imported_from(node: ast.ImportFrom, path: Path) -> str:
    """The absolute name of the module a `from … import` of this file reads from."""
    if not node.level:
        return node.module or ""
    return importlib.util.resolve_name("." * node.level + (node.module or ""), package_of(path))


def imports_of(path: Path) -> list[tuple[int, str, str]]:
    """(line, module imported, name imported or "") for each import of conference's own modules;
    `from package import module` counts as importing the module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = imported_from(node, path)
            for alias in node.names:
                if f"{base}.{alias.name}" in MODULES:
                    found.append((node.lineno, f"{base}.{alias.name}", ""))
                elif base in MODULES:
                    found.append((node.lineno, base, alias.name))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, "") for alias in node.names if alias.name in MODULES]
    return found


def find_loop(graph: dict[str, set[str]]) -> list[str]:
    """One import loop of the graph as a path (first module repeated at the end), or []."""
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> list[str]:
        state[module] = "open"
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "open":
                return path[path.index(target):] + [target]
            if target not in state and (loop := visit(target, path + [target])):
                return loop
        state[module] = "done"
        return []

    for start in sorted(graph):
        if start not in state and (loop := visit(start, [start])):
            return loop
    return []


def test_no_import_loop():
    graph = {name: {target for _, target, _ in imports_of(path)} - {name} for name, path in MODULES.items()}
    assert find_loop(graph) == []


def test_the_loop_finder_finds_a_loop():
    assert find_loop({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_loop({"a": {"b"}, "b": {"c"}, "c": set()}) == []


VIEWS = {module_name(path) for path in view_modules()}
DOMAIN = {module_name(path) for path in domain_modules()}


def outer(module: str) -> str:
    """core, accounts, …, live, web, cli, or "" for the package's own __init__/__main__/wsgi."""
    parts = module.split(".")
    is_package = MODULES.get(module, CONFERENCE).name == "__init__.py"
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and is_package) else ""


def test_core_imports_nothing_of_the_features():
    wrong = [f"{name}:{line} imports {target}" for name, path in MODULES.items() if outer(name) == "core"
             for line, target, _ in imports_of(path) if outer(target) != "core"]
    assert wrong == []


def test_the_domain_imports_core_and_the_features_before_it_only():
    wrong = []
    for name in sorted(DOMAIN):
        mine = FEATURE_ORDER.index(outer(name))
        for line, target, _ in imports_of(MODULES[name]):
            theirs = outer(target)
            if target in VIEWS or theirs not in FEATURE_ORDER or FEATURE_ORDER.index(theirs) > mine:
                wrong.append(f"{name}:{line} imports {target}")
    assert wrong == []


def test_live_reads_the_domain_and_imports_no_view_web_or_cli():
    wrong = [f"{name}:{line} imports {target}" for name, path in MODULES.items() if outer(name) == "live"
             for line, target, _ in imports_of(path)
             if target in VIEWS or outer(target) in ("web", "cli") or target == "conference.factory"]
    assert wrong == []


def test_views_are_imported_by_views_web_cli_and_the_factory_only():
    allowed = lambda name: name in VIEWS or outer(name) in ("web", "cli") or name == "conference.factory"  # noqa: E731
    wrong = [f"{name}:{line} imports {target}" for name, path in MODULES.items() if not allowed(name)
             for line, target, _ in imports_of(path) if target in VIEWS]
    assert wrong == []


def module_aliases(path: Path) -> dict[str, str]:
    """Local name -> module, for every module of conference/ this file imports as a whole."""
    aliases = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = imported_from(node, path)
            aliases.update({alias.asname or alias.name: f"{base}.{alias.name}" for alias in node.names
                            if f"{base}.{alias.name}" in MODULES})
    return aliases


def private_reaches(name: str, path: Path) -> list[str]:
    """Names starting with _ that this module imports from, or reads on, another area's module."""
    found = [f"{name}:{line} imports {target}.{imported}" for line, target, imported in imports_of(path)
             if imported.startswith("_") and outer(target) != outer(name)]
    aliases = {local: target for local, target in module_aliases(path).items() if outer(target) != outer(name)}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                and isinstance(node.value, ast.Name) and node.value.id in aliases):
            found.append(f"{name}:{node.lineno} reads {aliases[node.value.id]}.{node.attr}")
    return found


def test_no_module_reaches_into_another_area_s_private_names():
    wrong = [reach for name, path in sorted(MODULES.items()) for reach in private_reaches(name, path)]
    assert wrong == []


def test_only_the_domain_core_s_database_layer_and_live_query():
    wrong = []
    for name, path in sorted(MODULES.items()):
        relative = path.relative_to(CONFERENCE).as_posix()
        if name in DOMAIN or relative in QUERYING_INFRASTRUCTURE:
            continue
        wrong += [f"{relative} {why}" for why in violations(path.read_text(encoding="utf-8"), package_of(path))]
    assert wrong == []


@pytest.mark.parametrize("relative", sorted(QUERYING_INFRASTRUCTURE))
def test_each_module_allowed_to_query_still_does(relative):
    """An exception that no longer applies is removed, not kept as a hole."""
    path = CONFERENCE / relative
    assert violations(path.read_text(encoding="utf-8"), package_of(path)), relative
