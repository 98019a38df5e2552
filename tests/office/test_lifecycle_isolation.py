"""The data of two conferences never mix: once another conference is active, no page, export or
API answer of any route shows a delegate, a title or a row of the one before."""
from __future__ import annotations

import io
import re
import zipfile

import sqlalchemy as sa

from conference.accounts.devices import create_device
from conference.core.db import db
from conference.core.models import AgendaItem, Delegate, Role
from conference.core.state import default_conference_id
from conference.office import lifecycle
from conference.office.details import create_delegate

from tests.conftest import bearer
from tests.office.lifecycle_helpers import any_app, signed_in  # noqa: F401 - any_app is a fixture

# Routes that are about the install or about every conference by design, or hold no data.
NOT_ONE_CONFERENCE = {"static", "auth.login", "auth.pair", "auth.home", "door.service_worker", "door.certificate",
                      "favicon", "admin.conferences", "admin.latest_backup", "admin.past_attendance",
                      "admin.past_minutes", "admin.badges_pdf"}
# Pages that offer the install's other conferences by title (to copy from), and show no other data of theirs.
OFFER_OTHER_CONFERENCES = {"admin.seating"}


# The chooser at the foot of every office page names every conference of the install, by design.
CHOOSER = re.compile(r'<form method="get" class="conference-chooser".*?</form>', re.S)


def readable(answer) -> str:
    """What a person could read in the answer: the text, the XML inside an .xlsx / .docx, or a PDF's text."""
    if answer.data[:5] == b"%PDF-":
        from pypdf import PdfReader
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.data)).pages)
    if answer.data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(answer.data)) as package:
            return "".join(package.read(name).decode("utf-8", "replace") for name in package.namelist()
                           if name.endswith(".xml"))
    return answer.get_data(as_text=True)


def test_no_route_shows_the_data_of_a_conference_that_is_not_active(any_app):
    with any_app.app_context():
        demo = default_conference_id()
        names = set(db.session.scalars(sa.select(Delegate.full_name).where(Delegate.conference_id == demo)))
        demo_delegate = db.session.scalar(sa.select(Delegate.id).where(Delegate.conference_id == demo).limit(1))
        demo_item = db.session.scalar(sa.select(AgendaItem.id).where(AgendaItem.conference_id == demo).limit(1))
        new = lifecycle.create_conference("Hội nghị tổng kết năm 2026", template="tong-ket-nam")
        lifecycle.activate(new)
        create_delegate(new, "Hoàng Thị Mới", "Tổ trưởng", "Tổ dân phố 9")
        door = create_device(new, Role.DOOR)[1]
    demo_title = "Hội nghị Điển hình tiên tiến phường An Tân"
    admin = signed_in(any_app)
    checked = 0
    for rule in any_app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_ONE_CONFERENCE:
            continue
        if rule.arguments - {"fmt"}:
            continue
        paths = [rule.rule.replace("<any(xlsx, csv):fmt>", fmt) for fmt in ("xlsx", "csv")] \
            if "fmt" in rule.arguments else [rule.rule]
        for path in paths:
            for client, headers in ((admin, {}), (any_app.test_client(), bearer(door))):
                answer = client.get(path, headers=headers)
                assert answer.status_code < 500, path
                if answer.status_code != 200:
                    continue
                text = CHOOSER.sub("", readable(answer))
                titles = set() if rule.endpoint in OFFER_OTHER_CONFERENCES else {demo_title}
                leaked = {name for name in names | titles if name in text}
                assert not leaked, f"{path} shows the demo's {sorted(leaked)[:3]}"
                checked += 1
    assert checked >= 25
    assert "Hoàng Thị Mới" in readable(admin.get("/admin/delegates"))  # the check can see a name when there is one
    assert admin.get(f"/admin/delegates/{demo_delegate}").status_code == 404
    assert admin.get(f"/admin/agenda/{demo_item}").status_code == 404
    assert any_app.test_client().post(f"/api/delegates/{demo_delegate}/reissue", headers=bearer(door)).status_code in (403, 404)
