"""The hardening that leans on other projects' internals (conference/web/hardening.py) is re-read
when they change: each piece names the installed version, internals that still exist, and a test
that makes its attack on a real server."""
from __future__ import annotations

import ast
import importlib
import importlib.metadata
import inspect

import pytest

from conference.web.hardening import PIECES
from tests.conftest import ROOT


def resolve(internal: str) -> bool:
    """Whether "module:Class.attribute" exists: as an attribute, or as one __init__ sets (self.x)."""
    module_name, path = internal.split(":")
    owner = importlib.import_module(module_name)
    for name in path.split("."):
        if hasattr(owner, name):
            owner = getattr(owner, name)
        elif inspect.isclass(owner):
            return any(f"self.{name} =" in inspect.getsource(cls) for cls in owner.__mro__ if cls is not object
                       and cls.__module__.split(".")[0] == module_name.split(".")[0])
        else:
            return False
    return True


@pytest.mark.parametrize("piece", PIECES, ids=lambda piece: piece.attack[:40])
def test_each_piece_was_written_against_the_installed_version(piece):
    assert importlib.metadata.version(piece.package) == piece.version, (
        f"{piece.package} changed: re-read {piece.code} against {piece.internals}, then update hardening.py")


@pytest.mark.parametrize("piece", PIECES, ids=lambda piece: piece.attack[:40])
def test_each_internal_a_piece_relies_on_still_exists(piece):
    assert [internal for internal in piece.internals if not resolve(internal)] == []


@pytest.mark.parametrize("piece", PIECES, ids=lambda piece: piece.attack[:40])
def test_each_piece_names_a_test_that_makes_its_attack(piece):
    path, name = piece.test.split("::")
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    assert name in {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def test_the_versions_named_are_the_versions_pinned():
    pinned = {line.split("==")[0].strip().lower(): line.split("==")[1].split()[0]
              for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
              if "==" in line and not line.startswith("#")}
    assert {piece.package.lower(): pinned.get(piece.package.lower()) for piece in PIECES} == {
        piece.package.lower(): piece.version for piece in PIECES}


def test_a_missing_internal_is_noticed():
    assert not resolve("gunicorn.workers.gthread:ThreadWorker.no_such_method")
    assert not resolve("engineio.socket:Socket.no_such_attribute")
    assert resolve("engineio.socket:Socket.upgraded")
