"""One rule for a bounded text field: cleaned as names are stored, required or optional, at most its
limit, and refused with one pattern of codes (invalid_/missing_/_too_long) or the codes docs/API.md names."""
from __future__ import annotations

import ast

import pytest
from hypothesis import given, strategies as st

from conference.core.errors import ConferenceError
from conference.core.fields import Codes, bounded_text
from conference.core.textnorm import clean
from tests.conftest import ROOT


def refusal(*args, **kwargs) -> ConferenceError:
    with pytest.raises(ConferenceError) as caught:
        bounded_text(*args, **kwargs)
    return caught.value


def test_a_text_is_stored_cleaned_and_an_empty_optional_one_is_none():
    assert bounded_text("  Tổ dân phố\t 4 ", 20, "Đơn vị") == "Tổ dân phố 4"
    assert bounded_text("Le\u0302", 20, "Đơn vị") == "Lê"  # NFD in, NFC stored
    assert bounded_text(None, 20, "Đơn vị") is None
    assert bounded_text(" \x00\t ", 20, "Đơn vị") is None


def test_the_limit_counts_the_cleaned_text_and_is_inclusive():
    assert bounded_text("a" * 10 + "   ", 10, "Ghế") == "a" * 10
    error = refusal("a" * 11, 10, "Ghế")
    assert (error.code, error.message, error.status) == ("field_too_long", "“Ghế” dài quá 10 ký tự.", 400)


def test_the_codes_follow_one_pattern_from_a_stem():
    assert refusal(["x"], 10, "received_by", "received_by").code == "invalid_received_by"
    assert refusal("  ", 10, "reason", "reason", required=True).code == "missing_reason"
    assert refusal("x" * 11, 10, "reason", "reason").code == "reason_too_long"
    assert Codes.of("field") == Codes("invalid_field", "missing_field", "field_too_long")


def test_documented_codes_are_given_as_they_are_written():
    name_codes = Codes("invalid_field", "missing_name", "name_too_long")
    assert refusal({"a": 1}, 120, "Họ và tên", name_codes, required=True).code == "invalid_field"
    assert refusal(None, 120, "Họ và tên", name_codes, required=True).code == "missing_name"
    assert refusal("N" * 121, 120, "Họ và tên", name_codes, required=True).code == "name_too_long"
    for bad in (5, ["a"], "n" * 65):
        assert refusal(bad, 64, "nonce", Codes.one("invalid_nonce")).code == "invalid_nonce"


@pytest.mark.parametrize("value", [5, 5.5, True, b"bytes", ["a"], {"a": 1}, object()])
def test_only_a_string_is_text_unless_numbers_are_allowed(value):
    error = refusal(value, 50, "Chức vụ")
    assert (error.code, error.message) == ("invalid_field", "Trường “Chức vụ” không hợp lệ.")


@pytest.mark.parametrize("cell, text", [(12, "12"), (12.0, "12"), (2.5, "2.5"), (-3, "-3")])
def test_with_numbers_a_spreadsheet_cell_is_text_as_it_shows(cell, text):
    assert bounded_text(cell, 10, "Ghế", numbers=True) == text


def test_a_boolean_is_never_a_number():
    assert refusal(True, 10, "Ghế", numbers=True).code == "invalid_field"


def test_a_required_field_names_itself_when_empty():
    error = refusal(" \t ", 10, "Tên thành phần", required=True)
    assert (error.code, error.message) == ("missing_field", "Cần nhập “Tên thành phần”.")


def test_the_message_is_english_when_english_is_chosen(app):
    with app.test_request_context("/?lang=en"):
        assert refusal("x" * 3, 2, "Ghế").localized() == "“Seat” is longer than 2 characters."
        assert refusal(1, 2, "Ghế").localized() == "The field “Seat” is invalid."
        assert refusal("", 2, "Ghế", required=True).localized() == "“Seat” is required."
        assert refusal("x" * 3, 2, "Ghế").message == "“Ghế” dài quá 2 ký tự."  # logs and the audit: Vietnamese


@given(st.one_of(st.none(), st.text(max_size=80), st.integers(), st.floats(allow_nan=False)))
def test_whatever_comes_in_the_answer_is_none_a_clean_bounded_text_or_a_refusal(value):
    try:
        text = bounded_text(value, 40, "Đơn vị", numbers=True)
    except ConferenceError as error:
        assert error.code in {"invalid_field", "field_too_long"}
        return
    assert text is None or (text == clean(text) and 0 < len(text) <= 40)


def test_fields_imports_nothing_a_service_could_import_back():
    """Every service uses fields.py, so it must stand below them all: errors and textnorm only (the
    message is put in a language where it is read, so not even Babel)."""
    tree = ast.parse((ROOT / "conference" / "core" / "fields.py").read_text(encoding="utf-8"))
    imported = {(node.level, node.module) for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported == {(0, "__future__"), (0, "typing"), (1, "errors"), (1, "textnorm")}


def test_a_delegate_field_is_named_in_the_chosen_language(app):
    from conference.checkin.roster import validate_fields
    with app.test_request_context("/?lang=en"):
        with pytest.raises(ConferenceError) as caught:
            validate_fields("N" * 121)
        assert (caught.value.code, caught.value.localized()) == ("name_too_long",
                                                                 "“Full name” is longer than 120 characters.")
    with app.test_request_context("/"):
        with pytest.raises(ConferenceError) as caught:
            validate_fields("Lê Văn Tám", unit={"a": 1})
        assert (caught.value.code, caught.value.localized()) == ("invalid_field", "Trường “Đơn vị” không hợp lệ.")


def test_a_json_number_fits_its_integer_column_and_an_id_past_it_names_no_row():
    from conference.core.db import MAX_ID
    from conference.core.fields import MAX_INT, MIN_INT, json_id, json_int
    assert MAX_ID == MAX_INT == 2**31 - 1  # PostgreSQL's integer column
    assert json_int(MAX_INT, "rank") == MAX_INT and json_int(MIN_INT, "rank") == MIN_INT
    for bad in (MAX_INT + 1, MIN_INT - 1, 2**63, "3", 3.0, True, None):
        with pytest.raises(ConferenceError) as caught:
            json_int(bad, "rank")
        assert (caught.value.code, caught.value.status) == ("invalid_rank", 400)
    assert json_id(MAX_INT, "form_id") == MAX_INT
    assert [json_id(number, "form_id") for number in (0, -1, MAX_INT + 1, 2**63, 10**30)] == [None] * 5
    with pytest.raises(ConferenceError) as caught:
        json_id("1", "form_id")
    assert caught.value.code == "invalid_form_id"
