"""Shared by the install tests: a copy of this checkout, the README's POSIX commands, a served
process stopped with its children, and the pages' assets."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path

import requests

from tests.conftest import ROOT


def readme_commands() -> list[str]:
    """The lines of README.md's first ```sh block: [serve the demo, run the tests]."""
    block = re.search(r"^```sh\n(.*?)^```", (ROOT / "README.md").read_text(encoding="utf-8"), re.M | re.S)
    return [line for line in block.group(1).splitlines() if line.strip()]


UNTRACKED = shutil.ignore_patterns(".git", ".venv", "instance", "build", "wheels", "*.egg-info", "__pycache__",
                                   ".pytest_cache", ".hypothesis", "out")


def copy_checkout(target: Path) -> Path:
    """The files of this checkout as they stand (tracked or new, ignored ones left out)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():  # an exported tree: copy it all
        shutil.copytree(ROOT, target, ignore=UNTRACKED, dirs_exist_ok=True)
        return target
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def start(command: str | list[str], cwd: Path, env: dict, log: Path) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen(command, shell=isinstance(command, str), cwd=cwd, env=env, stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    """Stop the shell and everything it started (its own process group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


def wait_until_served(url: str, process: subprocess.Popen, log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"exited {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if requests.get(url + "/api/state", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise AssertionError(f"no answer within {seconds:.0f} s:\n{log.read_text(errors='replace')[-3000:]}")


class Assets(HTMLParser):
    """The scripts, style sheets and icons a page references."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        elif tag == "link" and attrs.get("href") and attrs.get("rel") in ("stylesheet", "icon"):
            self.urls.append(attrs["href"])


def page_and_assets(session: requests.Session, url: str) -> list[str]:
    """Load a page and everything it references; returns the asset paths (each asserted 200, not empty)."""
    page = session.get(url, timeout=20, allow_redirects=False)
    assert page.status_code == 200, (url, page.status_code, page.headers.get("Location"))
    parser = Assets()
    parser.feed(page.text)
    base = url.split("/", 3)[:3]
    for asset in parser.urls:
        loaded = session.get("/".join(base) + asset if asset.startswith("/") else asset, timeout=20)
        assert loaded.status_code == 200 and loaded.content, (url, asset, loaded.status_code)
    return parser.urls


def pair(session: requests.Session, base: str, printed: str) -> None:
    """Open, on BASE, the pairing path a `token` command printed (…: http://LAN-ADDRESS:PORT/pair/SECRET)."""
    path = re.search(r"https?://[^/\s]+(/pair/\S+)", printed).group(1)
    assert session.get(base + path, timeout=20).status_code == 200
