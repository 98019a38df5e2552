"""The production command as deploy/gunicorn.command, its systemd unit and docs/SCALE.md give it,
read without starting it: the services tests run it as it is written, so what it binds is checked here."""
from __future__ import annotations

import re

from tests.conftest import ROOT

GUNICORN = (ROOT / "deploy" / "gunicorn.command").read_text(encoding="utf-8").strip()
SCALE = (ROOT / "docs" / "SCALE.md").read_text(encoding="utf-8")


def test_the_production_command_listens_on_this_machine_only():
    """nginx on the same machine is its only caller: a process bound to every address would let a
    device on the venue network reach it around nginx, and around its limits."""
    assert re.findall(r"--bind (\S+)", GUNICORN) == ["127.0.0.1:$PORT"]


def test_the_scale_guide_runs_the_command_with_the_gunicorn_of_the_venv():
    """The guide's command finds gunicorn in .venv (where requirements.txt installs it), not a
    gunicorn of the system's, which would serve without the project's packages."""
    assert GUNICORN.startswith("gunicorn ")
    assert 'PATH=.venv/bin:$PATH sh -c "$(cat deploy/gunicorn.command)"' in SCALE


def test_the_scale_guide_shows_the_command_as_it_is_on_port_5001():
    shown = re.search(r"^\s*(gunicorn --worker-class .*?conference\.wsgi:app)$", SCALE, re.MULTILINE | re.DOTALL)
    assert shown, "docs/SCALE.md no longer shows the production command"
    assert " ".join(shown.group(1).replace("\\\n", " ").split()) == GUNICORN.replace("$PORT", "5001")


def test_the_systemd_unit_runs_the_production_command_with_the_gunicorn_of_the_venv():
    """SCALE.md's step 4 installs the unit saying it runs the production command: the same worker
    class, limits and address, on the unit's port, with the gunicorn of the install's .venv."""
    unit = (ROOT / "deploy" / "conference@.service").read_text(encoding="utf-8")
    directory = re.search(r"^WorkingDirectory=(\S+)$", unit, re.MULTILINE).group(1)
    start = re.search(r"^ExecStart=(.*)$", unit, re.MULTILINE).group(1)
    assert start == f"{directory}/.venv/bin/" + GUNICORN.replace("$PORT", "%i")
