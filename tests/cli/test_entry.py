"""`python -m conference` makes the standard library cooperative for serving only."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conference.__main__ import serves
from tests.conftest import ROOT


@pytest.mark.parametrize("arguments, serving", [
    ([], True), (["serve"], True), (["serve", "--port", "5001"], True),
    (["--help"], False), (["-h"], False), (["serve", "--help"], False),
    (["import-delegates", "roster.csv"], False), (["token", "door"], False), (["users"], False),
])
def test_only_serving_is_made_cooperative(arguments, serving):
    assert serves(arguments) is serving


@pytest.mark.slow
def test_a_command_that_fails_its_arguments_exits_without_a_traceback(tmp_path):
    done = subprocess.run([sys.executable, "-m", "conference", "import-delegates", str(tmp_path / "missing.csv")],
                          cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "CONFERENCE_INSTANCE": str(tmp_path / "instance")})
    assert done.returncode == 2 and "missing.csv" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("arguments", [["--help"], ["serve", "--help"]])
def test_help_prints_the_help_and_nothing_on_the_error_stream(tmp_path, arguments):
    """Help made cooperative for nothing left gevent's hub to complain as the interpreter exited."""
    done = subprocess.run([sys.executable, "-m", "conference", *arguments], cwd=ROOT, capture_output=True,
                          text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "CONFERENCE_INSTANCE": str(tmp_path / "instance")})
    assert done.returncode == 0 and "serve" in done.stdout
    assert done.stderr == ""
