"""The secretary's notes: typed per agenda item on /admin/notes, saved as typed (autosave, also in a
real browser across a reload), and printed as the minutes' diễn biến under each item."""
from __future__ import annotations

import io
import re
import subprocess
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from docx import Document

from conference.core.db import db
from conference.core.models import AgendaItem

from tests.conftest import ROOT
from tests.office.test_office_browser import sign_in

HOSTILE = '<script>alert(1)</script> & "Ý kiến"'


def item_ids(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AgendaItem.id).order_by(AgendaItem.position)))


def save(client, item_id, notes, csrf=True):
    headers = {"X-CSRFToken": client.csrf_token} if csrf else {}
    return client.post(f"/admin/notes/{item_id}", json={"notes": notes}, headers=headers)


def stored(app, item_id):
    with app.app_context():
        return db.session.get(AgendaItem, item_id).notes


def test_notes_are_saved_as_typed_and_become_the_minutes_diễn_biến_under_their_item(admin_client, app):
    ids = item_ids(app)
    opening = "Đồng chí Mai Anh Hùng phát biểu khai mạc.\r\n\r\nÝ kiến: đồng chí Bùi Văn Tường đề nghị bổ sung."
    assert save(admin_client, ids[1], opening).get_json() == {"saved": True}
    assert save(admin_client, ids[7], "Hội nghị biểu quyết thông qua.").status_code == 200
    assert stored(app, ids[1]) == opening.replace("\r\n", "\n")
    body = [p.text for p in Document(io.BytesIO(admin_client.get("/admin/exports/minutes.docx").data)).paragraphs]
    start = body.index("Diễn biến hội nghị")
    assert body[start + 1].startswith("2. Khai mạc hội nghị")
    assert body[start + 2:start + 4] == ["Đồng chí Mai Anh Hùng phát biểu khai mạc.",
                                         "Ý kiến: đồng chí Bùi Văn Tường đề nghị bổ sung."]
    assert body[start + 4].startswith("8. Thông qua danh sách") and body[start + 5] == "Hội nghị biểu quyết thông qua."
    assert save(admin_client, ids[7], "   \n ").get_json() == {"saved": True}  # emptied: gone from the minutes
    body = [p.text for p in Document(io.BytesIO(admin_client.get("/admin/exports/minutes.docx").data)).paragraphs]
    assert not any(line.startswith("8. Thông qua") for line in body)


def test_the_notes_page_shows_every_item_with_its_notes_as_text(admin_client, app):
    ids = item_ids(app)
    save(admin_client, ids[0], HOSTILE)
    page = admin_client.get("/admin/notes").get_data(as_text=True)
    assert page.count('class="notes-form"') == len(ids)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;Ý kiến&#34;" in page and "<script>alert(1)" not in page
    assert 'href="/admin/notes"' in admin_client.get("/admin/papers").get_data(as_text=True)


@pytest.mark.parametrize("notes, status", [(12, 400), (["a"], 400), ("x" * 20001, 400)])
def test_bad_notes_are_refused_with_a_message_and_change_nothing(admin_client, app, notes, status):
    ids = item_ids(app)
    save(admin_client, ids[2], "đã ghi")
    answer = save(admin_client, ids[2], notes)
    assert answer.status_code == status and answer.get_json()["error"]["message"]
    assert stored(app, ids[2]) == "đã ghi"


def test_notes_without_the_csrf_token_or_for_an_unknown_item_are_refused(admin_client, app):
    ids = item_ids(app)
    assert save(admin_client, ids[2], "x", csrf=False).status_code == 400 and stored(app, ids[2]) is None
    assert save(admin_client, 999999, "x").status_code == 404


def test_the_form_without_javascript_saves_too(admin_client, app):
    ids = item_ids(app)
    answer = admin_client.post(f"/admin/notes/{ids[3]}", data={"notes": "Bốn tham luận.",
                                                              "csrf_token": admin_client.csrf_token})
    assert answer.status_code == 303 and stored(app, ids[3]) == "Bốn tham luận."


@pytest.mark.browser
def test_in_a_browser_the_notes_save_while_typing_and_survive_a_reload(live_server, page, tmp_path):
    sign_in(live_server, page)
    page.goto(live_server.url + "/admin/notes")
    box = page.locator("textarea").nth(1)
    box.click()
    box.press_sequentially("Đồng chí Mai Anh Hùng khai mạc. Ý kiến: đồng ý.", delay=5)
    state = page.locator(".notes-state").nth(1)
    state.wait_for(state="visible")
    page.wait_for_function("() => document.querySelectorAll('.notes-state')[1].dataset.state === 'saved'")
    assert page.locator("button[type=submit]").nth(1).is_hidden()  # saved as typed, no button
    page.reload()
    assert page.locator("textarea").nth(1).input_value() == "Đồng chí Mai Anh Hùng khai mạc. Ý kiến: đồng ý."
    minutes = tmp_path / "bien-ban.docx"
    done = subprocess.run([sys.executable, "-m", "conference", "export-minutes", str(minutes)], cwd=ROOT,
                          env=live_server.env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Đồng chí Mai Anh Hùng khai mạc. Ý kiến: đồng ý." in [p.text for p in Document(str(minutes)).paragraphs]


@pytest.mark.browser
def test_the_notes_saved_at_time_is_the_conferences_not_the_computers(live_server, chromium):
    """A computer set to UTC, a conference in Hà Nội's time (7 hours ahead): "saved at" is the venue's time."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, timezone_id="UTC")
    page = context.new_page()
    sign_in(live_server, page)
    page.goto(live_server.url + "/admin/notes")
    page.locator("textarea").first.fill("Khai mạc đúng giờ.")
    page.wait_for_function("() => document.querySelector('.notes-state').dataset.state === 'saved'")
    shown = re.fullmatch(r"Đã lưu lúc (\d\d:\d\d):\d\d", page.locator(".notes-state").first.text_content())
    assert shown, page.locator(".notes-state").first.text_content()
    hanoi = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert shown.group(1) in {(hanoi + timedelta(seconds=d)).strftime("%H:%M") for d in (-60, 0, 60)}
    context.close()
