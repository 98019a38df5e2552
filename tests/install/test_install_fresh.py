"""The first hour on a fresh machine, as a newcomer meets it: README.md's two POSIX commands, run
as written in a copy of this checkout (a fresh .venv from the machine's Python, packages from the
index or pip's cache), serve the demo and collect every test; the wheel, installed in that virtual
environment, serves the door, MC and projector pages with their assets from an empty folder, with
its data in the user's data folder. Select with -m install; a first run downloads the packages."""
from __future__ import annotations

import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
import requests

from tests.conftest import ROOT, free_port, lanes, unavailable
from tests.install.install_helpers import copy_checkout, page_and_assets, pair, readme_commands, start, stop, wait_until_served

pytestmark = [pytest.mark.install, pytest.mark.slow]
INSTALL_SECONDS = 900  # a first run downloads ~60 MB; with pip's cache warm it takes well under a minute


def clean_env(**extra: str) -> dict:
    """The machine's environment without anything that would point the copy at this checkout."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("CONFERENCE_INSTANCE", "PYTHONPATH", "VIRTUAL_ENV", "CONFERENCE_LANG")}
    return {**env, "PYTHONUNBUFFERED": "1", **extra}


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    try:
        subprocess.run(["python3", "-m", "venv", "--help"], capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        unavailable("python3 -m venv (Debian/Ubuntu: apt-get install python3-venv)")
    return copy_checkout(tmp_path_factory.mktemp("newcomer"))


@pytest.fixture(scope="module")
@lanes("slow")
def served(checkout, tmp_path_factory):
    """README's first command, as written, in the copy: it makes .venv, installs and serves."""
    serve_command = readme_commands()[0]
    port = free_port()
    env = clean_env(HOST="127.0.0.1", PORT=str(port))
    log = tmp_path_factory.mktemp("logs") / "readme-serve.log"
    process = start(serve_command, checkout, env, log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_served(url, process, log, INSTALL_SECONDS)
        yield {"url": url, "log": log, "env": env}
    finally:
        stop(process)


def banner(log: Path) -> str:
    """What the server printed (after pip's own output, when the command installed first)."""
    printed = log.read_text(encoding="utf-8", errors="replace")
    assert "Conference day đang chạy tại" in printed, printed[-3000:]
    return printed[printed.index("Conference day đang chạy tại"):]


def test_the_readme_serve_command_serves_the_demo_in_a_fresh_venv(served, checkout):
    state = requests.get(served["url"] + "/api/state", timeout=10).json()
    assert state["agenda"], "the demo conference is loaded"
    printed = banner(served["log"])
    assert f"{served['url']}/door" in printed
    assert "WARNING" not in printed and "development server" not in printed
    # the pairing command the banner prints can be pasted as it is, here in the checkout
    [pairing] = re.findall(r"Ghép thiết bị: (.+)", printed)
    assert pairing.startswith(".venv/bin/python -m conference token door")
    made = subprocess.run(pairing, shell=True, cwd=checkout, env=served["env"], capture_output=True,
                          text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    tablet = requests.Session()
    pair(tablet, served["url"], made.stdout)
    assert page_and_assets(tablet, served["url"] + "/door")


def test_the_readme_test_command_collects_every_test_in_a_fresh_venv(served, checkout):
    test_command = readme_commands()[1]
    assert test_command.endswith("-m pytest")
    done = subprocess.run(f"{test_command} --collect-only -q -n 0", shell=True, cwd=checkout,  # -n 0: listed here
                          env=clean_env(), capture_output=True, text=True, timeout=INSTALL_SECONDS)
    report = done.stdout + done.stderr
    assert done.returncode == 0, report[-3000:]
    collected = re.search(r"^(\d+) tests collected", report, re.M)
    assert collected and int(collected.group(1)) > 500, report[-3000:]
    assert not re.search(r"\berrors?\b", report.splitlines()[-1]), report[-3000:]


def requirement_lines(file: Path) -> list[str]:
    return [line.split("#", 1)[0].strip() for line in file.read_text(encoding="utf-8").splitlines()
            if line.split("#", 1)[0].strip()]


def test_the_wheel_serves_every_screen_from_an_empty_folder(served, checkout, tmp_path):
    python = checkout / ".venv" / "bin" / "python"
    built = subprocess.run([str(python), "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"),
                            str(checkout)], env=clean_env(), capture_output=True, text=True, timeout=INSTALL_SECONDS)
    assert built.returncode == 0, built.stderr[-3000:]
    [wheel] = (tmp_path / "dist").glob("conference_day-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))).decode()
    assert re.findall(r"^Requires-Dist: (.+)$", metadata, re.M) == requirement_lines(ROOT / "requirements.txt")
    installed = subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], env=clean_env(),
                               capture_output=True, text=True, timeout=INSTALL_SECONDS)
    assert installed.returncode == 0, installed.stderr[-3000:]

    empty, data = tmp_path / "empty", tmp_path / "user-data"
    empty.mkdir()
    port = free_port()
    env = clean_env(HOST="127.0.0.1", PORT=str(port), XDG_DATA_HOME=str(data))
    where = subprocess.run([str(python), "-c", "import conference; print(conference.__file__)"], cwd=empty,
                           env=env, capture_output=True, text=True, check=True).stdout
    assert "site-packages" in where, where
    program = str(checkout / ".venv" / "bin" / "conference-day")
    log = tmp_path / "conference-day.log"
    process = start([program], empty, env, log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_served(url, process, log, 120)
        assert (data / "conference-day" / "conference.db").is_file(), "data in the user's data folder"
        assert list(empty.iterdir()) == [], "nothing written where it was started"
        assert "conference-day token door" in banner(log)
        for role, page in (("door", "/door"), ("mc", "/mc"), ("display", "/display")):
            made = subprocess.run([program, "token", role], cwd=empty, env=env, capture_output=True, text=True,
                                  timeout=120)
            assert made.returncode == 0, made.stderr
            device = requests.Session()
            pair(device, url, made.stdout)
            assets = page_and_assets(device, url + page)
            assert any(asset.endswith(".js") for asset in assets) and any(".css" in a for a in assets)
        icon = requests.get(url + "/favicon.ico", timeout=10)
        assert icon.status_code == 200 and icon.content[:4] == b"\0\0\1\0"  # an ICO file
    finally:
        stop(process)
