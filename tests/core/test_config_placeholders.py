"""A start with a secret left as deploy/conference.env.example has it stops, naming the variable and
never printing its value: SECRET_KEY, CONFERENCE_ADMIN_PASSWORD or DATABASE_URL holding CHANGE-ME (any
case) or another placeholder, or a SECRET_KEY under 32 characters. Such a process used to start."""
from __future__ import annotations

import secrets

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT

EXAMPLE = ROOT / "deploy" / "conference.env.example"


def example_values() -> dict[str, str]:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


@pytest.fixture
def environment(monkeypatch, tmp_path):
    """Set variables as a process would find them; nothing else of the machine's."""
    for name in ("SECRET_KEY", "CONFERENCE_ADMIN_PASSWORD", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CONFERENCE_INSTANCE", str(tmp_path / "instance"))
    return lambda **values: [monkeypatch.setenv(name, value) for name, value in values.items()]


def test_the_example_file_as_it_is_stops_the_start_naming_each_variable(environment, tmp_path):
    from conference import create_app
    values = example_values()
    environment(**{name: values[name] for name in ("SECRET_KEY", "CONFERENCE_ADMIN_PASSWORD", "DATABASE_URL")})
    with pytest.raises(SystemExit) as stopped:
        create_app()
    message = str(stopped.value.code)
    for name in ("SECRET_KEY", "CONFERENCE_ADMIN_PASSWORD", "DATABASE_URL"):
        assert f"{name} is a placeholder" in message
    assert "CHANGE-ME" not in message  # no value is printed
    assert not (tmp_path / "instance").exists()  # stopped before anything was made


@pytest.mark.parametrize("name, value", [
    ("SECRET_KEY", "change-me-9c1e4b7f20d36a85e0f4c2b91d7a3e6f58b0c4d2"), ("SECRET_KEY", "x" * 64), ("SECRET_KEY", "<secret key>"),
    ("SECRET_KEY", "ChangeMe" * 5), ("CONFERENCE_ADMIN_PASSWORD", "CHANGE-ME"),
    ("CONFERENCE_ADMIN_PASSWORD", "change_me_please"), ("CONFERENCE_ADMIN_PASSWORD", "Replace-Me-2025"),
    ("DATABASE_URL", "postgresql://conference:change-me@127.0.0.1/conference"),
    ("DATABASE_URL", "postgresql://conference:…@127.0.0.1/conference"),  # as docs/SCALE.md abbreviates it
])
def test_a_placeholder_stops_the_start(environment, name, value):
    from conference.core.config import load_settings, refuse_placeholders
    environment(**{name: value})
    with pytest.raises(SystemExit, match=f"^{name} is a placeholder") as stopped:
        refuse_placeholders()
    assert value not in str(stopped.value.code)
    with pytest.raises(SystemExit):
        load_settings(ROOT / "never-made")
    assert not (ROOT / "never-made").exists()


def test_a_short_secret_key_stops_the_start(environment):
    from conference.core.config import refuse_placeholders
    environment(SECRET_KEY=secrets.token_hex(15))  # 30 characters
    with pytest.raises(SystemExit, match="SECRET_KEY must have at least 32 characters"):
        refuse_placeholders()


@pytest.mark.parametrize("make", [lambda: secrets.token_hex(16), lambda: secrets.token_hex(32),
                                  lambda: secrets.token_urlsafe(40)], ids=["hex-32", "hex-64", "urlsafe-54"])
def test_a_real_secret_key_starts(environment, tmp_path, make):
    from conference.core.config import load_settings
    key = make()
    environment(SECRET_KEY=key, CONFERENCE_ADMIN_PASSWORD="hội nghị An Tân 2025",
                DATABASE_URL=f"sqlite:///{tmp_path / 'real.db'}")
    assert load_settings(tmp_path / "instance")["SECRET_KEY"] == key


def test_a_command_with_a_placeholder_exits_non_zero_with_the_reason(environment):
    from conference.cli.commands import cli
    environment(SECRET_KEY="CHANGE-ME-64-hex-characters")
    result = CliRunner().invoke(cli, ["users", "list"])
    assert result.exit_code == 1
    assert "SECRET_KEY is a placeholder" in result.output and "SECRET_KEY must have at least 32" in result.output
