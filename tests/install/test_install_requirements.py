"""What a fresh virtual environment gets is what the code and the tests import: every third-party
module the server imports is installed by requirements.txt (pinned there or required by what is),
every module the tests import by requirements-dev.txt, and the wheel's dependencies are requirements.txt."""
from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import PackageNotFoundError, packages_distributions, requires
from pathlib import Path

from packaging.requirements import Requirement

from tests.conftest import ROOT


def pinned(file: Path) -> list[Requirement]:
    """The requirements FILE lists, each pinned as name==version, following -r includes."""
    found = []
    for line in file.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            found += pinned(file.parent / line[3:].strip())
        elif line:
            requirement = Requirement(line)
            assert [spec.operator for spec in requirement.specifier] == ["=="], f"{file.name}: not pinned: {line}"
            found.append(requirement)
    return found


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_by(file: Path) -> set[str]:
    """Every distribution `pip install -r FILE` brings: those listed and, through their metadata
    (extras and markers included), what they require in turn."""
    todo, seen = pinned(file), set()
    while todo:
        requirement = todo.pop()
        key = (normalise(requirement.name), frozenset(requirement.extras))
        if key in seen:
            continue
        seen.add(key)
        try:
            dependencies = requires(requirement.name) or []
        except PackageNotFoundError:
            continue
        for text in dependencies:
            dependency = Requirement(text)
            extras = requirement.extras or {""}
            if dependency.marker is None or any(dependency.marker.evaluate({"extra": e}) for e in extras):
                todo.append(dependency)
    return {name for name, _extras in seen}


def optional(tree: ast.AST) -> set[ast.AST]:
    """Imports inside `try: ... except ImportError`: the code copes without them."""
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
                isinstance(handler.type, ast.Name) and handler.type.id in ("ImportError", "ModuleNotFoundError")
                for handler in node.handlers):
            skipped |= {inner for statement in node.body for inner in ast.walk(statement)}
    return skipped


def imported_modules(folder: Path) -> dict[str, str]:
    """Top-level modules the .py files under FOLDER import, each with a file that imports it."""
    found = {}
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = optional(tree)
        for node in ast.walk(tree):
            if node in skipped:
                continue
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], path.relative_to(ROOT).as_posix())
    return found


def missing(folder: Path, requirements: Path) -> list[str]:
    local = {"conference", "tests"}  # this project's own packages
    owners_of = packages_distributions()
    brought = installed_by(requirements)
    return [f"{module} (imported by {where}; distribution {owners_of.get(module, ['not installed here'])})"
            for module, where in imported_modules(folder).items()
            if module not in sys.stdlib_module_names and module not in local
            and not {normalise(name) for name in owners_of.get(module, [])} & brought]


def test_every_module_the_tests_import_is_installed_by_requirements_dev():
    assert missing(ROOT / "tests", ROOT / "requirements-dev.txt") == []


def test_every_module_the_server_imports_is_installed_by_requirements():
    assert missing(ROOT / "conference", ROOT / "requirements.txt") == []


def test_the_package_takes_its_dependencies_from_requirements_txt():
    """pyproject.toml names requirements.txt as its dependency list, so the two cannot drift
    (tests/test_install_wheel.py reads the built wheel's metadata too)."""
    import tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "dependencies" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["dependencies"] == {"file": ["requirements.txt"]}


def test_the_wheel_lists_every_python_package_of_the_code():
    """A package left out of pyproject.toml is missing from the installed program (only the slow
    test_install_fresh.py would notice): every folder of conference/ with an __init__.py is listed."""
    import tomllib
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "conference").rglob("__init__.py")}
    assert found <= listed, f"packages missing from pyproject.toml: {sorted(found - listed)}"
