"""Invisible and direction-override characters never reach a stored name or unit: a name cannot be
made to look like another (U+202E turns "Tám" around on screen), nor two equal names differ unseen."""
from __future__ import annotations

import sys
import unicodedata

import pytest
import sqlalchemy as sa

from conference.core.db import db
from conference.core.models import Delegate
from conference.core.textnorm import clean, fold
from tests.conftest import bearer
from tests.checkin.test_import_pages import confirm, excel_csv, office_workbook, preview

HIDDEN = {
    "\u200b": "zero-width space", "\u200c": "zero-width non-joiner", "\u200d": "zero-width joiner",
    "\u200e": "left-to-right mark", "\u200f": "right-to-left mark", "\u202a": "left-to-right embedding",
    "\u202b": "right-to-left embedding", "\u202c": "pop directional formatting",
    "\u202d": "left-to-right override", "\u202e": "right-to-left override", "\u2066": "left-to-right isolate",
    "\u2067": "right-to-left isolate", "\u2068": "first strong isolate", "\u2069": "pop directional isolate",
    "\ufeff": "byte order mark", "\u00ad": "soft hyphen", "\u2060": "word joiner", "\u061c": "Arabic letter mark",
    "\U000e0041": "tag letter A",
}


@pytest.mark.parametrize("hidden", HIDDEN, ids=HIDDEN.values())
def test_an_invisible_character_is_removed_wherever_it_stands(hidden):
    assert clean(f"{hidden}Lê Văn{hidden} Tám{hidden}") == "Lê Văn Tám"
    assert fold(f"Lê Văn T{hidden}ám") == fold("Lê Văn Tám")


def test_every_format_character_is_removed_and_no_vietnamese_letter_is():
    formats = "".join(chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf")
    assert len(formats) > 150 and clean(f"A{formats}B") == "AB"
    vietnamese = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
    for text in (vietnamese, vietnamese.upper(), unicodedata.normalize("NFD", vietnamese)):
        assert clean(text) == unicodedata.normalize("NFC", text)


def test_removing_an_invisible_character_leaves_one_space_and_composes_the_letters():
    assert clean("Lê \u200b Văn\u00a0\u202e Tám") == "Lê Văn Tám"
    assert clean("Nguye\u200b\u0302\u0303n") == "Nguyễn"  # the marks join their letter once the gap is gone
    assert clean("\u200b\u202e\ufeff") == ""


def test_an_imported_name_with_a_direction_override_is_stored_and_shown_without_it(
        admin_client, app, conference_id, auth):
    rows = [("Lê Văn \u202eTám\u202c", "Tổ trưởng", "Tổ dân\u200b phố\u00ad 5", "Tổ dân phố"),
            ("\u2067Hoàng Thị\u2069 Ánh", "", "\ufeffTổ dân phố 6", "Tổ dân phố")]
    assert preview(admin_client, "danh-sach.csv", excel_csv(rows)).status_code == 200
    assert confirm(admin_client).status_code == 303
    with app.app_context():
        stored = set(db.session.execute(sa.select(Delegate.full_name, Delegate.unit)
                                        .where(Delegate.conference_id == conference_id)).tuples())
    assert {("Lê Văn Tám", "Tổ dân phố 5"), ("Hoàng Thị Ánh", "Tổ dân phố 6")} <= stored
    page = admin_client.get("/admin/delegates").get_data(as_text=True)
    found = admin_client.get("/api/delegates", query_string={"q": "le van tam"}, headers=auth("door")).get_json()
    assert "Lê Văn Tám" in page and [d["full_name"] for d in found["delegates"]] == ["Lê Văn Tám"]
    assert not any(ch in page + str(found) for ch in HIDDEN)


def test_a_workbook_name_with_zero_width_characters_matches_the_same_name_typed_plainly(
        admin_client, app, conference_id):
    first = [("Phạm Văn Đồng", None, "Tổ dân phố 7", "Tổ dân phố")]
    assert preview(admin_client, "a.xlsx", office_workbook(first)).status_code == 200
    assert confirm(admin_client).status_code == 303
    disguised = [("Phạm\u200b Văn Đồng\u200d", None, "Tổ dân phố\u2060 7", "Tổ dân phố")]
    answer = preview(admin_client, "b.xlsx", office_workbook(disguised))
    assert answer.status_code == 422 and "đã có trong danh sách đại biểu" in answer.get_data(as_text=True)


def test_a_typed_delegate_name_loses_its_override_too(admin_client, app, conference_id):
    answer = admin_client.post("/admin/delegates/new", data={
        "csrf_token": admin_client.csrf_token, "full_name": "Đỗ\u202e Thị Lan", "unit": "Tổ dân phố\u200f 8"})
    assert answer.status_code == 303, answer.get_data(as_text=True)[:300]
    with app.app_context():
        names = set(db.session.execute(sa.select(Delegate.full_name, Delegate.unit)
                                       .where(Delegate.conference_id == conference_id)).tuples())
    assert ("Đỗ Thị Lan", "Tổ dân phố 8") in names
