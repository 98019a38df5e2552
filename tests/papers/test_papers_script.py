"""The kịch bản chương trình (.docx) from /admin and from the command line, read back with python-docx."""
from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
import sqlalchemy as sa
from docx import Document

from conference.core.db import db
from conference.core.models import AgendaItem

from tests.conftest import ROOT


def script(client) -> Document:
    answer = client.get("/admin/exports/script.docx")
    assert answer.status_code == 200 and answer.headers["Content-Disposition"].endswith("kich-ban-chuong-trinh.docx")
    assert answer.headers["Cache-Control"] == "no-store"
    return Document(io.BytesIO(answer.data))


def test_the_script_lists_every_item_and_step_with_planned_time_presenter_and_lời_dẫn(admin_client, app):
    document = script(admin_client)
    rows = [[cell.text for cell in row.cells] for row in document.tables[1].rows]
    assert rows[0] == ["Thời gian", "Nội dung, lời dẫn", "Người thực hiện"]
    with app.app_context():
        items = list(db.session.scalars(sa.select(AgendaItem).order_by(AgendaItem.position)
                                        .options(sa.orm.selectinload(AgendaItem.steps))))
        expected = []
        for item in items:
            expected.append((f"{item.position}. {item.title}", item.presenter or "Dẫn chương trình"))
            expected += [(f"{item.position}.{s.position}. {s.title}", s.presenter) for s in item.steps]
    assert [(row[1].split("\n")[0], row[2]) for row in rows[1:]] == expected
    assert rows[1][0] == "07:30 – 07:35" and rows[-1][0] == "10:40 – 11:00"
    opening = rows[2][1]
    assert "Hội nghị Điển hình tiên tiến phường An Tân, lần thứ IV (2020-2025)" in opening  # {title}… filled
    assert "có mặt ……/65 đại biểu" in opening and "{" not in opening  # nobody has arrived yet
    assert document.tables[0].rows[0].cells[1].text.startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n")


def test_figures_known_when_the_script_is_printed_are_filled_and_unknown_placeholders_kept(
        admin_client, app, auth, conference_id):
    from conference.show.agenda import update_item
    with app.app_context():
        item = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.position == 2))
        update_item(conference_id, item.id, item.title, item.presenter, item.planned_minutes, item.kind.value,
                    'Có mặt {present}/{expected}, vắng {absent}. {unknown} <w:t>&"')
    delegates = admin_client.get("/api/delegates", headers=auth("admin")).get_json()["delegates"]
    for delegate in delegates[:3]:
        admin_client.post("/api/checkins", json={"delegate_id": delegate["id"]}, headers=auth("door"))
    rows = [[cell.text for cell in row.cells] for row in script(admin_client).tables[1].rows]
    assert rows[2][1].split("\n")[1] == 'Có mặt 3/65, vắng 62. {unknown} <w:t>&"'


@pytest.mark.slow
def test_the_papers_page_offers_the_script_and_the_command_writes_it(admin_client, app, conference_id, tmp_path):
    assert 'href="/admin/exports/script.docx"' in admin_client.get("/admin/papers").get_data(as_text=True)
    env = {**os.environ, "CONFERENCE_INSTANCE": app.config["INSTANCE_PATH"],
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"]}
    run = lambda *args: subprocess.run([sys.executable, "-m", "conference", *args], cwd=ROOT, env=env,  # noqa: E731
                                       capture_output=True, text=True, timeout=60)
    out = tmp_path / "kich-ban.docx"
    done = run("export-script", str(out))
    assert done.returncode == 0, done.stderr
    assert Document(str(out)).tables[1].rows[1].cells[1].text.startswith("1. Chào cờ")
    for path, message in ((tmp_path / "kich-ban.pdf", ".docx"), (tmp_path / "missing" / "k.docx", "Không ghi được")):
        refused = run("export-script", str(path))
        assert refused.returncode == 1 and message in refused.stderr and "Traceback" not in refused.stderr


def test_direction_overrides_and_zero_width_spaces_in_the_script_and_the_notes_reach_neither_the_mc_nor_the_papers(
        admin_client, app, auth):
    from tests.checkin.test_names import HIDDEN
    hidden = "".join(HIDDEN)
    with app.app_context():
        item = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.position == 2))
        item_id, title = item.id, item.title
    script_text = f"Kính thưa\u202e quý vị\u200b đại biểu!{hidden}\r\nXin mời\u2028Nguyễn\u200b Văn\u202e Tám"
    saved = admin_client.post(f"/admin/agenda/{item_id}", data={
        "csrf_token": admin_client.csrf_token, "title": title, "kind": "normal", "script": script_text})
    assert saved.status_code == 303, saved.get_data(as_text=True)[:300]
    notes = f"Ý kiến\u202e của\u200b đồng chí{hidden} Tám.\n\tĐề nghị\ufeff bổ sung."
    assert admin_client.post(f"/admin/notes/{item_id}", json={"notes": notes},
                             headers={"X-CSRFToken": admin_client.csrf_token}).get_json() == {"saved": True}

    state = admin_client.get("/api/state", headers=auth("mc")).get_json()  # what /mc shows
    shown = next(entry for entry in state["agenda"] if entry["position"] == 2)["script"]
    assert shown == "Kính thưa quý vị đại biểu!\nXin mời\nNguyễn Văn Tám"
    minutes = "\n".join(p.text for p in Document(io.BytesIO(admin_client.get("/admin/exports/minutes.docx").data))
                        .paragraphs)
    assert "Ý kiến của đồng chí Tám." in minutes and "Đề nghị bổ sung." in minutes
    printed = "\n".join(cell.text for row in script(admin_client).tables[1].rows for cell in row.cells)
    assert "Kính thưa quý vị đại biểu!" in printed and "Nguyễn Văn Tám" in printed
    for text in (str(state), admin_client.get("/mc", headers=auth("mc")).get_data(as_text=True), minutes, printed):
        assert not any(ch in text for ch in HIDDEN)
