"""Every template closes what it opens: a section left open (as a merge of two features once left the
vote's card on /me and the MC console) swallows the sections after it, and they vanish with it when
it is hidden. Counted on the template's text, for the tags that hold a page's parts."""
from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT

TAGS = ("section", "div", "form", "main", "aside", "nav", "header", "footer", "ul", "ol", "table", "fieldset",
        "details", "dialog")
TEMPLATES = sorted((ROOT / "templates").glob("*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_each_part_a_template_opens_it_closes(template):
    text = re.sub(r"\{#.*?#\}", "", template.read_text(encoding="utf-8"), flags=re.S)  # Jinja comments
    unbalanced = {tag: (len(re.findall(rf"<{tag}[\s>]", text)), len(re.findall(rf"</{tag}>", text)))
                  for tag in TAGS}
    assert {tag: counts for tag, counts in unbalanced.items() if counts[0] != counts[1]} == {}


def test_the_templates_are_found():
    assert len(TEMPLATES) > 30
