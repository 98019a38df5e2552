"""Every refusal a person reads is in the language they chose: the API's answers, the door's, the
import's rows, the 413 of the body limit, the command line. The services raise msgids with their
values kept apart (conference/core/errors.py); the language is chosen where the message is read."""
from __future__ import annotations

import ast
import io
import re

from click.testing import CliRunner

from tests.conftest import ADMIN_PASSWORD, ROOT, bearer
from tests.core.layout import domain_modules
from tests.core.test_i18n import catalogue, source_msgids, translated

REFUSALS = {"ConferenceError", "NotFound", "Conflict", "Forbidden", "Unauthorized", "RowError", "_refuse",
            "_field_refusal", "_refusal"}
MESSAGE_AT = {"_refuse": 0, "_field_refusal": 2}  # the others: the second argument
VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)


def refusal_messages():
    """(where, message node) of every refusal made in conference/."""
    for path in sorted((ROOT / "conference").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            at = MESSAGE_AT.get(name, 1)
            if name in REFUSALS and len(node.args) > at:
                yield f"{path.relative_to(ROOT)}:{node.lineno}", node.args[at]


def test_every_refusal_is_a_msgid_with_its_values_apart_and_has_its_english():
    """A message built before it is raised (an f-string, a .format, a _() in the raiser's language)
    cannot be put in another language where it is read."""
    found = list(refusal_messages())
    assert len(found) > 100  # the scan sees the refusals (if it stopped matching, it would pass on nothing)
    built = [where for where, message in found
             if not (isinstance(message, ast.Constant) and isinstance(message.value, str))
             and not (isinstance(message, ast.Name) and message.id == "msgid")]  # a helper passing it on
    assert not built, "raise the msgid and pass its values as keywords: " + ", ".join(built)
    english = {m.id: m for m in catalogue() if m.id and translated(m)}
    extracted = source_msgids()
    missing = [(where, message.value) for where, message in found if isinstance(message, ast.Constant)
               and (message.value not in english or message.value not in extracted)]
    assert not missing, missing


def test_the_services_leave_the_language_to_whoever_reads_the_message():
    """A service translating at raise time would speak the language of whoever happened to cause it."""
    speaking = [str(path.relative_to(ROOT)) for path in domain_modules()
                if "flask_babel" in path.read_text(encoding="utf-8")]
    assert speaking == []


def test_an_api_refusal_with_values_is_english_when_english_is_chosen(client, auth):
    query = "x" * 101
    english = client.get(f"/api/delegates?q={query}&lang=en", headers=auth("door"))
    assert english.status_code == 400
    assert english.json["error"] == {"code": "query_too_long", "message": "The search is longer than 100 characters."}
    vietnamese = client.get(f"/api/delegates?q={query}&lang=vi", headers=auth("door"))
    assert vietnamese.json["error"]["message"] == "Từ khóa dài quá 100 ký tự."


def test_a_name_in_a_refusal_is_kept_as_written_in_english(client, auth):
    form = {"name": "Giấy khen của phường", "kind": "form", "rank": 90}
    created = client.post("/api/award-forms?lang=en", json=form, headers=auth("admin"))
    assert created.status_code == 201, created.json
    again = client.post("/api/award-forms?lang=en", json=form, headers=auth("admin"))
    assert again.status_code == 409
    assert again.json["error"]["message"] == "There is already a form “Giấy khen của phường”."


def test_the_door_hears_its_refusal_in_its_language_even_for_a_repeated_scan(client, auth):
    scan = {"code": "AAAA-BBBB-CCCC", "nonce": "n-1"}
    vietnamese = client.post("/api/checkins", json=scan, headers=auth("door"))
    assert vietnamese.status_code in (400, 404)
    assert not VIETNAMESE.search(client.post("/api/checkins?lang=en", json=scan, headers=auth("door"))
                                 .json["error"]["message"])
    assert VIETNAMESE.search(vietnamese.json["error"]["message"])


def test_the_rows_of_a_refused_import_are_english(client, auth):
    sheet = "Quyết định số,Loại,Tên\n99/QĐ-UBND,tập thể,Tổ dân phố 1\n12/QĐ-UBND,nhóm,Lê Văn Tám\n"
    answer = client.post("/api/honourees/import?lang=en", headers=auth("admin"),
                         data={"file": (io.BytesIO(sheet.encode()), "khen.csv")}, content_type="multipart/form-data")
    assert answer.status_code == 422, answer.json
    error = answer.json["error"]
    assert error["rows"][0] == {"row": 2, "message": "there is no decision number 99/QĐ-UBND yet; "
                                                     "a “Hình thức” (form) column is needed"}
    third = "the kind “nhóm” must be “tập thể” (collective) or “cá nhân” (individual)"  # the cell, as written
    assert error["rows"][1] == {"row": 3, "message": third}
    assert error["message"] == ("Nothing was imported (2 errors): row 2: " + error["rows"][0]["message"]
                                + "; row 3: " + third)


def test_a_body_over_the_limit_is_refused_in_the_chosen_language(client, auth):
    from conference.core.config import BODY_MAX_BYTES
    headers = {**auth("mc"), "Content-Type": "application/json"}
    body = b" " * (BODY_MAX_BYTES + 1)
    english = client.post("/api/show/next?lang=en", headers=headers, data=body)
    assert english.status_code == 413
    assert english.json["error"]["message"] == f"The request body is larger than {BODY_MAX_BYTES // 1024} KB."
    vietnamese = client.post("/api/show/next?lang=vi", headers=headers, data=body)
    assert vietnamese.json["error"]["message"] == f"Nội dung gửi lên lớn quá {BODY_MAX_BYTES // 1024} KB."


def test_the_command_line_refuses_in_one_language(tmp_path, monkeypatch):
    from conference.cli.commands import cli
    monkeypatch.setenv("CONFERENCE_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("CONFERENCE_ADMIN_PASSWORD", ADMIN_PASSWORD)
    runner = CliRunner()
    for language, expected in (("en", "Error: There is already an account “admin”."),
                               ("vi", "Lỗi: Đã có tài khoản “admin”.")):
        monkeypatch.setenv("CONFERENCE_LANG", language)
        result = runner.invoke(cli, ["users", "add", "admin", "--role", "staff"])
        assert result.exit_code == 1 and result.output.strip().splitlines()[-1] == expected, result.output


def test_a_refused_import_on_the_command_line_names_its_rows_in_english(tmp_path, monkeypatch):
    from conference.cli.commands import cli
    monkeypatch.setenv("CONFERENCE_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("CONFERENCE_ADMIN_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setenv("CONFERENCE_LANG", "en")
    sheet = tmp_path / "delegates.csv"
    sheet.write_text("Họ và tên,Thành phần\nLê Văn Tám,Không có nhóm này\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import-delegates", str(sheet)])
    assert result.exit_code == 1
    assert "row 2: There is no delegate group “Không có nhóm này”." in result.output, result.output


def test_a_device_token_for_a_press_address_is_refused_in_english(client, tokens):
    answer = client.post("/api/show/next?lang=en", headers=bearer("not-a-token"))
    assert answer.status_code == 401
    assert answer.json["error"]["message"] == "Sign in or use a valid device token."


def test_a_wrong_address_or_method_is_told_in_the_request_language_not_in_werkzeugs_english(client):
    page = client.get("/no-such-page?lang=vi")
    assert page.status_code == 404 and "Không có trang hoặc địa chỉ này." in page.get_data(as_text=True)
    assert 'lang="vi"' in page.get_data(as_text=True) and "requested URL" not in page.get_data(as_text=True)
    english = client.get("/api/no-such-thing?lang=en")
    assert english.json["error"] == {"code": "not_found", "message": "There is no such page or address."}
    wrong_method = client.put("/api/state?lang=vi")
    assert wrong_method.status_code == 405 and "GET" in wrong_method.headers["Allow"]
    assert wrong_method.json["error"]["message"] == "Địa chỉ này không nhận cách gửi này."


def test_a_form_without_its_csrf_token_says_what_to_do_in_the_chosen_language(client):
    english = client.post("/login?lang=en", data={"login": "admin", "password": "x"})
    assert english.status_code == 400
    assert "reload the page and send again" in english.get_data(as_text=True)
    vietnamese = client.post("/login?lang=vi", data={"login": "admin", "password": "x"})
    assert "hãy tải lại trang rồi gửi lại" in vietnamese.get_data(as_text=True)
