"""The project cites only documents it has: every docs/… path named in the README, the docs and the
code exists (and a § it cites is a heading there), and no bare NAME.md points outside the repository."""
from __future__ import annotations

import re

from tests.conftest import ROOT

DOC_PATH = re.compile(r"\bdocs/[\w./-]*\w")
SECTION = re.compile(r"\b(docs/\w+\.md) §(\d+(?:\.\d+)*)")
BARE_MD = re.compile(r"(?<![\w/.])([A-Z][A-Z_]+\.md)\b")


def citing_files() -> list:
    files = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted((ROOT / "conference").rglob("*.py"))]
    assert len(files) > 30
    return files


def cited(pattern: re.Pattern) -> dict[str, list[str]]:
    """What the pattern finds, and in which files."""
    found: dict[str, list[str]] = {}
    for path in citing_files():
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            found.setdefault(match.group(0), []).append(str(path.relative_to(ROOT)))
    return found


def test_every_docs_path_that_is_cited_exists():
    paths = cited(DOC_PATH)
    assert {"docs/API.md", "docs/DOOR.md"} <= set(paths)
    assert not {path: where for path, where in paths.items() if not (ROOT / path.rstrip(".")).exists()}


def test_every_cited_section_is_a_heading_of_its_document():
    sections = {(match.group(1), match.group(2)) for path in citing_files()
                for match in SECTION.finditer(path.read_text(encoding="utf-8"))}
    assert ("docs/API.md", "6.2") in sections

    def has_heading(doc: str, number: str) -> bool:
        text = (ROOT / doc).read_text(encoding="utf-8")
        return re.search(rf"^#+ {re.escape(number)}[. ]", text, re.M) is not None

    assert not [(doc, number) for doc, number in sorted(sections) if not has_heading(doc, number)]


def test_a_document_named_without_its_folder_is_one_of_the_repository():
    """DESIGN.md and the like live outside the project: citing them sends a reader nowhere."""
    names = {path.name for path in ROOT.rglob("*.md") if ".git" not in path.parts}
    bare = cited(BARE_MD)
    assert not {name: where for name, where in bare.items() if name not in names}
