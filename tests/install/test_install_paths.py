"""Where the server finds its files and keeps its data: in a checkout, templates/, static/ and
translations/ beside the package and the data in instance/; installed (tests/install/test_install_fresh.py
runs the wheel), inside the package and the data in the user's data folder of each platform."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT


def test_a_checkout_serves_its_own_folders_and_keeps_its_data_in_instance():
    from conference.core import config, resources
    assert not resources.INSTALLED
    assert (resources.TEMPLATES, resources.STATIC, resources.TRANSLATIONS) == (
        ROOT / "templates", ROOT / "static", ROOT / "translations")
    assert config.default_instance() == ROOT / "instance"


def test_an_installed_package_serves_the_folders_the_wheel_put_inside_it(tmp_path, monkeypatch):
    from conference.core import resources
    (tmp_path / "templates").mkdir()
    monkeypatch.setattr(resources, "PACKAGE", tmp_path)
    monkeypatch.setattr(resources, "INSTALLED", True)
    assert resources.resource("static") == tmp_path / "static"


@pytest.mark.parametrize("platform, env, expected", [
    ("linux", {"XDG_DATA_HOME": "/data/xdg"}, "/data/xdg/conference-day"),
    ("linux", {}, "HOME/.local/share/conference-day"),
    ("darwin", {}, "HOME/Library/Application Support/conference-day"),
    ("win32", {"LOCALAPPDATA": "/Users/an/AppData/Local", "APPDATA": "/Users/an/AppData/Roaming"},
     "/Users/an/AppData/Local/conference-day"),
    ("win32", {"APPDATA": "/Users/an/AppData/Roaming"}, "/Users/an/AppData/Roaming/conference-day"),
])
def test_installed_the_data_goes_to_the_users_data_folder(platform, env, expected, tmp_path, monkeypatch):
    from conference.core import config, resources
    monkeypatch.setattr(resources, "INSTALLED", True)
    monkeypatch.setattr(config.sys, "platform", platform)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path))
    for name in ("XDG_DATA_HOME", "LOCALAPPDATA", "APPDATA"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert config.default_instance() == Path(expected.replace("HOME", str(tmp_path)))


def test_conference_instance_overrides_the_default(tmp_path, monkeypatch):
    from conference import create_app
    monkeypatch.setenv("CONFERENCE_INSTANCE", str(tmp_path / "hall"))
    app = create_app({"PREPARE_DATABASE": False, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    assert Path(app.config["INSTANCE_PATH"]) == tmp_path / "hall" == Path(app.instance_path)
    assert (tmp_path / "hall" / "secret_key").is_file()
