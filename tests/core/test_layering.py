"""The layers know only what is below them: the database layer knows nothing of the screens
(create_app installs their publish as a step of every write transaction), and the files of the
awards share public names only, with no import hidden in a function to dodge a loop."""
from __future__ import annotations

import ast
from pathlib import Path

CONFERENCE = Path(__file__).resolve().parents[2] / "conference"
AWARDS = CONFERENCE / "awards"


def imports_from(path: Path) -> list[tuple[ast.ImportFrom, bool]]:
    """Every `from ... import ...` of a file, with whether it runs at load time (module level)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    at_load = {id(node) for node in tree.body}
    return [(node, id(node) in at_load) for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]


def test_the_database_layer_imports_no_module_of_the_app():
    assert [node.module for node, _ in imports_from(CONFERENCE / "core" / "db.py") if node.level] == []


def test_the_awards_files_import_nothing_late():
    late = [f"{path.name}: {node.module}" for path in AWARDS.glob("*.py")
            for node, at_load in imports_from(path) if node.level and not at_load]
    assert late == []


def test_no_file_imports_a_private_name_of_the_awards():
    private = [f"{path.relative_to(CONFERENCE)}: {alias.name}" for path in CONFERENCE.rglob("*.py")
               for node, _ in imports_from(path)
               if (path.parent == AWARDS and node.level == 1) or "awards" in (node.module or "")
               for alias in node.names if alias.name.startswith("_")]
    assert private == []
