"""Remote control: every curl call documented in docs/SHOW.md §6 works against the real server,
as a Stream Deck button would send it: the API's with an mc token, the press addresses' with a
button device's token; and each is refused with the wrong token."""
from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import requests

from tests.conftest import LiveServer, lanes

pytestmark = pytest.mark.slow

DOC = Path(__file__).resolve().parents[2] / "docs" / "SHOW.md"


PRESS = "/press/$BUTTON/"  # a press address: the button device's token goes in $BUTTON, not $TOKEN


def documented_calls() -> list[str]:
    """The curl lines of the remote-control section, in order."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## 6. Remote control", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if line.startswith("curl ")]


def run(line: str, url: str, token: str) -> subprocess.CompletedProcess:
    """One documented line, with the token where that line takes it."""
    return subprocess.run(["bash", "-c", line], env={**os.environ, "CONFERENCE": url, "TOKEN": token,
                                                     "BUTTON": token},
                          capture_output=True, text=True, timeout=30)


@pytest.fixture(scope="module")
@lanes("slow")
def live_server(tmp_path_factory):
    """One real server for the module (each test leaves the show somewhere new, which is fine)."""
    server = LiveServer(tmp_path_factory.mktemp("remote") / "instance").start()
    yield server
    server.stop()


@pytest.fixture
def all_calls(has_tool):
    if not has_tool("curl"):
        pytest.skip("curl is not installed")
    return documented_calls()


@pytest.fixture
def calls(all_calls):
    """The API's calls, with a Bearer token."""
    found = [line for line in all_calls if PRESS not in line]
    assert len(found) >= 10, "the remote-control section lost its curl examples"
    return found


@pytest.fixture
def press_calls(all_calls):
    """The press addresses' calls, with a button device's token in the address."""
    found = [line for line in all_calls if PRESS in line]
    assert len(found) >= 8, "the remote-control section lost its press-address examples"
    return found


def test_every_documented_call_works_with_an_mc_token(calls, live_server):
    token = live_server.token("mc", "Stream Deck")
    versions = []
    for line in calls:
        done = run(line, live_server.url, token)
        assert done.returncode == 0, (line, done.stderr)
        if "-X POST" in line:
            versions.append(json.loads(done.stdout)["version"])
    assert versions == sorted(versions) and len(set(versions)) == len(versions)  # each call changed the state
    state = requests.get(live_server.url + "/api/state", timeout=10).json()
    assert (state["current"], state["screen"], state["message"]) == (6, "live", None)
    assert done.stdout.split() == ["6", "None", str(state["timing"]["offset_seconds"])]


def test_documented_calls_are_refused_with_a_projector_door_or_button_token(calls, live_server):
    tokens = {"display": live_server.token("display"), "door": live_server.token("door"),
              "button": live_server.token("button"), "none": ""}
    before = requests.get(live_server.url + "/api/state", timeout=10).json()["version"]
    for line in (line for line in calls if "-X POST" in line):
        for role, token in tokens.items():
            done = run(line, live_server.url, token)
            assert done.returncode == 22, (role, line)  # curl -f: the server answered 4xx
    assert requests.get(live_server.url + "/api/state", timeout=10).json()["version"] == before


def test_every_documented_press_address_works_with_a_button_token(press_calls, live_server):
    token = live_server.token("button", "Stream Deck")
    versions = []
    for line in press_calls:
        done = run(line, live_server.url, token)
        assert done.returncode == 0, (line, done.stderr)
        versions.append(json.loads(done.stdout)["version"])
    assert versions == sorted(versions) and len(set(versions)) == len(versions)  # each press changed the state
    state = requests.get(live_server.url + "/api/state", timeout=10).json()
    assert (state["current"], state["current_step"], state["screen"]) == (6, None, "live")
    assert json.loads(done.stdout)["version"] == state["version"]


def test_documented_press_addresses_are_refused_with_an_mc_or_office_token(press_calls, live_server):
    tokens = {"mc": live_server.token("mc"), "admin": live_server.token("admin"), "none": "x"}
    before = requests.get(live_server.url + "/api/state", timeout=10).json()["version"]
    for line in press_calls:
        for role, token in tokens.items():
            done = run(line, live_server.url, token)
            assert done.returncode == 22, (role, line)  # curl -f: the server answered 4xx (401)
    assert requests.get(live_server.url + "/api/state", timeout=10).json()["version"] == before
