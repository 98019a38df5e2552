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
    assert "Hội nghị Điển hình tiên tiến phường An Tân, Lần thứ IV (2020-2025)" in opening  # {title}… filled
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
