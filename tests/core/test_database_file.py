"""The SQLite database is instance/conference.db. One release named it conference.core.db by
mistake: an instance it started keeps its data, renamed back at the next start."""
from __future__ import annotations

import sqlite3

import pytest

from conference.core.config import load_settings


@pytest.fixture
def no_database_url(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)


def sqlite_file(instance) -> str:
    return load_settings(instance)["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")


def write_marker(path, text: str) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE marker (text TEXT)")
        connection.execute("INSERT INTO marker VALUES (?)", (text,))


def read_marker(path) -> str:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT text FROM marker").fetchone()[0]


def test_a_new_instance_keeps_its_data_in_conference_db(tmp_path, no_database_url):
    assert sqlite_file(tmp_path / "instance") == str(tmp_path / "instance" / "conference.db")


def test_a_database_the_misnaming_release_made_is_renamed_back_with_its_data(tmp_path, no_database_url):
    instance = tmp_path / "instance"
    instance.mkdir()
    write_marker(instance / "conference.core.db", "the day's check-ins")
    assert sqlite_file(instance) == str(instance / "conference.db")
    assert read_marker(instance / "conference.db") == "the day's check-ins"
    assert not (instance / "conference.core.db").exists()


def test_when_both_names_exist_conference_db_stays_the_one_in_use(tmp_path, no_database_url):
    instance = tmp_path / "instance"
    instance.mkdir()
    write_marker(instance / "conference.db", "kept")
    write_marker(instance / "conference.core.db", "left alone")
    assert sqlite_file(instance) == str(instance / "conference.db")
    assert read_marker(instance / "conference.db") == "kept"
    assert read_marker(instance / "conference.core.db") == "left alone"
