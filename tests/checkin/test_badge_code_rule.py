"""The door and the server agree on what a badge code is: checkin/badgecodes.py and the tablet's
static/js/door-text.js read every input of one shared list (tests/data/badge_codes.json) the same way,
what a wedge scanner, a paste or a typist adds included."""
from __future__ import annotations

import json
import re

import pytest

from conference.checkin import badgecodes
from tests.conftest import ROOT

CASES = json.loads((ROOT / "tests" / "data" / "badge_codes.json").read_text(encoding="utf-8"))
DOOR_TEXT = ROOT / "static" / "js" / "door-text.js"


@pytest.mark.parametrize("case", CASES, ids=[case["why"] for case in CASES])
def test_the_server_reads_each_input_as_the_shared_list_says(case):
    assert badgecodes.normalise(case["input"]) == case["code"]


def test_the_shared_list_holds_both_codes_and_refusals():
    """Guards the tests here: a list of only valid (or only invalid) inputs would prove little."""
    assert sum(case["code"] is None for case in CASES) >= 10
    assert sum(case["code"] is not None for case in CASES) >= 10


@pytest.mark.browser
def test_the_tablet_reads_each_input_as_the_shared_list_says(page):
    page.goto("about:blank")
    source = DOOR_TEXT.read_text(encoding="utf-8")
    found = page.evaluate("""async ([source, inputs]) => {
        const text = await import("data:text/javascript;charset=utf-8," + encodeURIComponent(source));
        return inputs.map((input) => text.normaliseCode(input));
    }""", [source, [case["input"] for case in CASES]])
    wrong = [(case["why"], case["input"], got) for case, got in zip(CASES, found) if got != case["code"]]
    assert not wrong


def test_both_ignore_the_same_characters_written_the_same_way():
    """The pattern is one text in two languages, so a change to one shows here before a door disagrees."""
    door = re.search(r"const IGNORED = /(.+)/g;", DOOR_TEXT.read_text(encoding="utf-8")).group(1)
    assert door == badgecodes._IGNORED.pattern
