"""The start-up an operator sees: `python3 -m conference` alone listens where HOST and PORT say,
prints the screens' addresses without Werkzeug's development-server warning, and speaks one
language, Vietnamese or (CONFERENCE_LANG=en) English, in the banner, in --help (every command's
summary whole) and in a refusal."""
from __future__ import annotations

import os
import re
import sys

import pytest
import requests

from tests.conftest import ROOT, free_port, lanes
from tests.install.install_helpers import start, stop, wait_until_served

# Letters only Vietnamese uses (ă â đ ê ô ơ ư and the tone-marked vowels of Latin Extended Additional).
VIETNAMESE = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]")
ENGLISH_WORDS = re.compile(r"\b(Usage|Options|Commands|Show this message|the|and|is running|password)\b")
COMMANDS = ("serve", "token", "devices", "revoke", "import-delegates", "badges", "export-attendance",
            "export-minutes")


def run(*args: str, **env: str) -> str:
    from click.testing import CliRunner

    from conference.cli.commands import cli
    done = CliRunner().invoke(cli, list(args), prog_name="python3 -m conference", env=env)
    assert done.exit_code == 0, done.output
    return done.output


def words(line: str) -> str:
    """A line without what is the same in both languages: commands, options, addresses, file names."""
    return re.sub(r"https?://\S+|--?[\w-]+|\S+\.(xlsx|csv|docx|pdf|png)\b|\S*/\S*|\b[A-Z_]{2,}\b", " ", line)


def assert_one_language(text: str, language: str) -> None:
    for line in text.splitlines():
        plain = words(line)
        if language == "vi":
            assert not ENGLISH_WORDS.search(plain), line
        else:
            assert not VIETNAMESE.search(plain), line


@pytest.fixture(scope="module")
@lanes("slow")
def banners(tmp_path_factory):
    """`python3 -m conference` (no command) started twice, with HOST and PORT from the environment:
    what it printed in Vietnamese and in English."""
    printed = {}
    for language in ("vi", "en"):
        folder = tmp_path_factory.mktemp(f"startup-{language}")
        port = free_port()
        env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "CONFERENCE_INSTANCE": str(folder / "instance"),
               "PYTHONUNBUFFERED": "1", "CONFERENCE_LANG": language}
        log = folder / "server.log"
        process = start([sys.executable, "-m", "conference"], ROOT, env, log)
        try:
            wait_until_served(f"http://127.0.0.1:{port}", process, log, 60)
            assert requests.get(f"http://127.0.0.1:{port}/favicon.ico", timeout=10).status_code == 200
        finally:
            stop(process)
        printed[language] = (port, log.read_text(encoding="utf-8"))
    return printed


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_server_listens_where_host_and_port_say_and_names_the_screens(banners, language):
    port, printed = banners[language]
    for path in ("/door", "/mc", "/display", "/admin"):
        assert f"http://127.0.0.1:{port}{path}" in printed
    assert "WARNING" not in printed and "development server" not in printed
    text = printed.split("█")[0]  # the banner, before the QR code
    assert_one_language(text, language)
    expected = "is the one meant for a hall" if language == "en" else "máy chủ dành cho một hội trường"
    assert expected in text


@pytest.mark.parametrize("language", ["vi", "en"])
def test_help_lists_every_command_with_its_whole_summary_in_one_language(language):
    listed = run("--help", CONFERENCE_LANG=language)
    assert_one_language(listed, language)
    assert "..." not in listed.split("Commands:" if language == "en" else "Lệnh:")[1]
    for command in COMMANDS:
        assert re.search(rf"^  {command}\s", listed, re.M), command
        own = run(command, "--help", CONFERENCE_LANG=language)
        assert_one_language(own, language)
        summary = re.search(r"\n\n  (.+?)\n\n", own, re.S).group(1)
        # the summary in the list is the command's help, wrapped but not cut
        assert re.sub(r"\s+", "", summary) in re.sub(r"\s+", "", listed), command


@pytest.mark.parametrize("language, line", [("vi", "Lỗi: Không tìm thấy thiết bị."), ("en", "Error: Device not found.")])
def test_a_refusal_is_one_line_in_one_language(language, line, tmp_path):
    from click.testing import CliRunner

    from conference.cli.commands import cli
    done = CliRunner().invoke(cli, ["revoke", "99999"], prog_name="python3 -m conference",
                              env={"CONFERENCE_LANG": language, "CONFERENCE_INSTANCE": str(tmp_path / "instance")})
    assert done.exit_code == 1
    assert done.output.strip().splitlines()[-1] == line
