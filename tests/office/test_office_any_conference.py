"""The office works on any conference: the address names it (?conference=ID), and a page working on
one conference never shows or changes another's data, whatever its address says (docs/OFFICE.md,
"A conference's year"). Every office route is enumerated from the app's url_map, so a route added
later is covered without being listed here; each runs working on the active conference and on one
that is not active, on SQLite and on PostgreSQL."""
from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from flask import url_for

from conference.core.db import db, utcnow
from conference.accounts.devices import create_device
from conference.core.models import (AgendaItem, AgendaStep, AuditEntry, AwardDecision, AwardForm, Candidate,
                                    Conference, Delegate, DelegateGroup, Role, ShowState)
from conference.me import documents
from conference.office import details, lifecycle
from conference.show import agenda
from conference.show.stage import cues, slides
from conference.votes import record

from tests.conftest import bearer
from tests.web.test_english import data_strings, left_in_vietnamese
from tests.office import lifecycle_helpers
from tests.office.lifecycle_helpers import signed_in
from tests.office.test_lifecycle_isolation import readable
from tests.me.helpers import pdf_bytes
from tests.show.stage_sounds import wav

any_app = lifecycle_helpers.any_app  # the fixture: SQLite, and PostgreSQL in the services lane

OFFICE_BLUEPRINTS = ("admin.", "admin_awards.")
# Office routes about the install, not one conference (docs/OFFICE.md): they keep working on it
# whichever conference a tab has open, and are checked by their own tests.
INSTALL_WIDE = {
    "admin.conferences", "admin.create_conference", "admin.activate", "admin.reset_day",  # name their conference in the form
    "admin.past_attendance", "admin.past_minutes",  # name their conference in the path
    "admin.backup_now", "admin.latest_backup", "admin.backups_list", "admin.backups_confirm",
    "admin.backups_restore", "admin.backups_upload",  # a backup holds every conference
    "admin.users", "admin.users_add", "admin.users_remove", "admin.users_password", "admin.users_role",
    "admin.users_end_session",  # accounts sign in to the install
    "admin.devices", "admin.add_device", "admin.rename_device", "admin.renew_pairing", "admin.revoke",  # a device serves the active one
}
# A route's id argument -> the kind of row of a conference it names.
OWNED = {"delegate_id": "delegate", "group_id": "group", "item_id": "item", "step_id": "step",
         "candidate_id": "candidate", "document_id": "document", "cue_id": "cue", "deck_id": "deck",
         "vote_id": "vote"}
# What a form may send to any office route: valid where a route reads it, and naming rows of the other
# conference where it names one, which must then be refused.
FORM = {"title": "Mục thêm", "name": "Tổ thêm", "full_name": "Người Thêm", "position": "Tổ viên", "unit": "Tổ 1",
        "color": "#336699", "presenter": "Chủ tịch", "planned_minutes": "5", "kind": "normal", "script": "Kính thưa",
        "award_batch_size": "5", "direction": "up", "notes": "Ghi chú"}


def marks(tag: str) -> dict[str, str]:
    """Names only this conference's rows carry, to find them in any page or paper."""
    return {"delegate": f"Đặng Văn Dấu{tag}", "group": f"Tổ Dấu{tag}", "item": f"Mục Dấu{tag}",
            "step": f"Bước Dấu{tag}", "candidate": f"Ứng Viên Dấu{tag}", "document": f"Tài liệu Dấu{tag}",
            "cue": f"am-bao-dau-{tag.lower()}.wav", "deck": f"trinh-chieu-dau-{tag.lower()}.pdf",
            "vote": f"Biểu quyết Dấu{tag}"}


def marked_rows(conference_id: int, tag: str) -> dict[str, int]:
    """A group, a delegate in it, an item with a step, a candidate: each named with the tag; their ids."""
    names = marks(tag)
    group = details.create_group(conference_id, names["group"], "#aa3300")
    delegate = details.create_delegate(conference_id, names["delegate"], "Tổ trưởng", "Tổ Dấu", group.id)
    item = agenda.add_item(conference_id, names["item"], "Chủ tịch", 5, "talks", "Kính thưa")
    step = agenda.add_step(conference_id, item.id, names["step"], "Đại biểu")
    candidate = details.add_candidate(conference_id, names["candidate"], "Tổ trưởng", "Tổ Dấu")
    # What the office uploads for the hall: a document for the delegates, a sound cue, the item's slides.
    document = documents.add_document(conference_id, names["document"], pdf_bytes(names["document"]))
    cue = cues.attach_cue(conference_id, "place", str(item.position), names["cue"], io.BytesIO(wav()))
    deck = slides.attach_deck(conference_id, str(item.position), names["deck"], io.BytesIO(pdf_bytes("Trang 1")))
    vote = record.open_vote(conference_id, {"question": names["vote"], "method": "phones"})  # an open (named) vote
    return {"delegate": delegate.id, "group": group.id, "item": item.id, "step": step.id, "candidate": candidate.id,
            "document": document.id, "cue": cue.id, "deck": deck.id, "vote": vote.id}


@pytest.fixture
def two(any_app):
    """An active conference and one being prepared, each with marked rows (both small, so their
    papers print quickly; the demo stays too, a third conference that must not leak either)."""
    with any_app.app_context():
        active = lifecycle.activate(lifecycle.create_conference("Hội nghị năm 2025", template="tong-ket-nam"))
        preparing = lifecycle.create_conference("Hội nghị tổng kết năm 2026", template="tong-ket-nam")
        rows = {active: marked_rows(active, "Một"), preparing: marked_rows(preparing, "Hai")}
    return {"app": any_app, "active": active, "preparing": preparing, "rows": rows,
            "tags": {active: "Một", preparing: "Hai"}}


def fingerprint(app, conference_id: int) -> tuple:
    """What a change to a conference moves: its version (every change bumps it) and its rows."""
    with app.app_context():
        count = lambda model: db.session.scalar(sa.select(sa.func.count()).select_from(model)  # noqa: E731
                                                .where(model.conference_id == conference_id))
        version = db.session.scalar(sa.select(ShowState.version).where(ShowState.conference_id == conference_id))
        steps = db.session.scalar(sa.select(sa.func.count(AgendaStep.id)).join(AgendaItem)
                                  .where(AgendaItem.conference_id == conference_id))
        title = db.session.get(Conference, conference_id).title
        return (version, title, steps, *(count(model) for model in
                                         (Delegate, DelegateGroup, AgendaItem, Candidate, AwardDecision)))


def office_rules(app):
    return [rule for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith(OFFICE_BLUEPRINTS) and rule.endpoint not in INSTALL_WIDE]


def address(app, rule, working: int, other_rows: dict[str, int]) -> str:
    """The rule's address working on WORKING, every id in it one of the other conference's rows."""
    values = {name: other_rows[OWNED[name]] for name in rule.arguments if name in OWNED}
    assert set(values) | {"fmt"} >= rule.arguments, f"{rule.endpoint}: an id the test does not know"
    if "fmt" in rule.arguments:
        values["fmt"] = "xlsx"
    with app.test_request_context():
        return url_for(rule.endpoint, conference=working, **values)


@pytest.mark.parametrize("working_on", ["active", "preparing"])
def test_no_office_route_shows_or_changes_another_conferences_data(two, working_on):
    """Every office route (from url_map), working on one conference: its pages and papers show none of
    the other's rows, an id of the other's refuses with 404, and the other conference never changes."""
    app = two["app"]
    working = two[working_on]
    other = two["preparing" if working_on == "active" else "active"]
    other_rows, other_marks = two["rows"][other], marks(two["tags"][other])
    client = signed_in(app)
    before = fingerprint(app, other)
    checked = 0
    for rule in office_rules(app):
        path = address(app, rule, working, other_rows)
        owned = bool(rule.arguments & set(OWNED))
        # A GET as it is and naming the other's group and delegate (badges, invitations); a POST
        # with a form whose group and delegate are the other's.
        asks = [("GET", path), ("GET", path + f"&group={other_rows['group']}&delegate={other_rows['delegate']}")]
        asks = (asks if "GET" in rule.methods else []) + ([("POST", path)] if "POST" in rule.methods else [])
        for method, target in asks:
            if method == "GET":
                answer = client.get(target)
            else:
                answer = client.post(target, data={**FORM, "csrf_token": client.csrf_token,
                                                   "group_id": other_rows["group"],
                                                   "delegate_id": other_rows["delegate"]})
            assert answer.status_code < 500, f"{method} {target}"
            if owned:
                assert answer.status_code == 404, f"{method} {target} took an id of another conference"
            leaked = [name for name in other_marks.values() if name in readable(answer)]
            assert not leaked, f"{method} {target} shows another conference's {leaked}"
            assert fingerprint(app, other) == before, f"{method} {target} changed another conference"
            checked += 1
    assert checked >= 40
    # The check can see a name when there is one: the working conference's own rows are shown.
    assert marks(two["tags"][working])["delegate"] in client.get(f"/admin/delegates?conference={working}").text


def test_the_office_prepares_a_conference_that_is_not_active(two):
    """A change made on a page working on the conference being prepared goes to it, and the active
    one, which every screen serves, does not move. The awards page works through /api: an office
    caller's ?conference= is its page's conference; a device serves the active one whatever it asks."""
    app, active, preparing = two["app"], two["active"], two["preparing"]
    client = signed_in(app)
    active_before = fingerprint(app, active)
    added = client.post(f"/admin/groups?conference={preparing}",
                        data={"name": "Khách mời", "color": "#114477", "csrf_token": client.csrf_token})
    assert added.status_code == 303
    assert "Khách mời" in client.get(f"/admin/groups?conference={preparing}").text
    assert "Khách mời" not in client.get("/admin/groups").text  # no conference named: the active one
    assert fingerprint(app, active) == active_before
    with app.app_context():  # the audit trail files the change under the conference it changed
        entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry.conference_id == preparing and entry.action == "admin.add_group"
    # An import previewed for the conference being prepared is confirmed into it only: a confirmation
    # sent from a page of another conference is refused, and nothing is imported anywhere.
    sheet = "STT,Họ và tên,Chức vụ,Đơn vị,Thành phần\r\n1,Ninh Văn Nhập,Tổ viên,Tổ 5,\r\n".encode()
    previewed = client.post(f"/admin/import?conference={preparing}", content_type="multipart/form-data",
                            data={"csrf_token": client.csrf_token, "file": (io.BytesIO(sheet), "them.csv")})
    assert previewed.status_code == 200 and "Ninh Văn Nhập" in previewed.text
    with client.session_transaction() as session:
        token = session["import"]["token"]
    elsewhere = client.post(f"/admin/import/confirm?conference={active}",
                            data={"csrf_token": client.csrf_token, "token": token})
    assert elsewhere.status_code == 409 and fingerprint(app, active) == active_before
    imported = client.post(f"/admin/import/confirm?conference={preparing}",
                           data={"csrf_token": client.csrf_token, "token": token})
    assert imported.status_code == 303 and "Ninh Văn Nhập" in client.get(imported.headers["Location"]).text
    assert fingerprint(app, active) == active_before
    made = client.post(f"/api/award-forms?conference={preparing}", headers={"X-CSRFToken": client.csrf_token},
                       json={"name": "Giấy khen Dấu Hai", "rank": 3, "kind": "form"})
    assert made.status_code in (200, 201), made.get_data(as_text=True)
    with app.app_context():
        owners = set(db.session.scalars(sa.select(AwardForm.conference_id).where(AwardForm.name == "Giấy khen Dấu Hai")))
        door = create_device(active, Role.DOOR, "Cửa chính").token
    assert owners == {preparing}
    listed = client.get(f"/api/award-forms?conference={active}").get_data(as_text=True)
    assert "Giấy khen Dấu Hai" not in listed
    state = app.test_client().get(f"/api/state?conference={preparing}", headers=bearer(door))
    assert state.json["conference"]["id"] == active


def links_of(html: str) -> list[str]:
    return [target for target in re.findall(r'(?:href|action)="([^"]+)"', html) if target.startswith("/admin")]


def test_each_page_names_its_conference_which_survives_links_forms_and_redirects(two):
    app, active, preparing = two["app"], two["active"], two["preparing"]
    client = signed_in(app)
    for page in ("/admin", "/admin/groups", "/admin/agenda", "/admin/delegates", "/admin/papers", "/admin/awards", "/admin/audit",
                 f"/admin/agenda/{two['rows'][preparing]['item']}"):
        html = client.get(f"{page}?conference={preparing}").text
        targets = links_of(html)
        assert targets, page
        for target in targets:
            if "conference-chooser" in html and target == page:  # the chooser's form: its select names it
                continue
            assert parse_qs(urlsplit(target.replace("&amp;", "&")).query).get("conference") == [str(preparing)], \
                f"{page}: {target} loses the conference"
        for form in re.findall(r'<form method="get".*?</form>', html, re.S):  # a GET form sends only its fields
            assert f'name="conference" value="{preparing}"' in form or 'id="conference-chooser"' in form, page
    redirected = client.post(f"/admin/agenda?conference={preparing}",
                             data={**FORM, "title": "Phát biểu bế mạc", "csrf_token": client.csrf_token})
    assert redirected.status_code == 303
    assert parse_qs(urlsplit(redirected.headers["Location"]).query)["conference"] == [str(preparing)]
    assert "Phát biểu bế mạc" in client.get(redirected.headers["Location"]).text
    for page in ("/admin/delegates", "/admin/awards"):  # and the sign-in brings the office back to it
        anonymous = app.test_client().get(f"{page}?conference={preparing}")
        assert parse_qs(urlsplit(anonymous.headers["Location"]).query)["next"] == [f"{page}?conference={preparing}"]
    listed = client.get("/admin/conferences").text  # the list opens any conference to work on it
    assert f'href="/admin/conference?conference={preparing}"' in listed
    # The frame names the conference, marks one not active, and offers the others.
    page = client.get(f"/admin/delegates?conference={preparing}").text
    assert 'id="working-preparing"' in page and "Hội nghị tổng kết năm 2026" in page
    assert f'<option value="{preparing}" selected>' in page and f'<option value="{active}">' in page
    assert 'id="working-active"' in client.get("/admin/delegates").text
    dashboard = client.get(f"/admin?conference={preparing}").text
    assert 'id="not-live"' in dashboard and 'id="connection"' not in dashboard  # its figures, not live
    titles = ["Hội nghị năm 2025", "Hội nghị tổng kết năm 2026"]  # the data; the frame around them in English
    english = client.get(f"/admin?conference={preparing}&lang=en").text
    frame = re.findall(r'<div class="working-on.*?</div>|<span id="not-live".*?</p>'
                       r'|<form method="get" class="conference-chooser".*?</form>', english, re.S)
    assert len(frame) == 3 and "Being prepared" in frame[0]
    assert [left_in_vietnamese(said, data_strings() + titles) for said in frame] == [[], [], []]


def award_rows(app, conference_id: int, rows: dict[str, int]) -> dict[str, int]:
    from conference.awards import catalogue
    with app.app_context():
        form = catalogue.create_form(conference_id, {"name": "Bằng khen Dấu Một", "rank": 1, "kind": "form"})
        decision = catalogue.create_decision(conference_id, {"number": "7/QĐ-UBND", "issuer": "Chủ tịch UBND phường",
                                                             "form_id": form.id})
        honouree = catalogue.add_honouree(conference_id, decision.id, {"kind": "individual", "name": "Đặng Văn DấuMột"})
        return {"form_id": form.id, "decision_id": decision.id, "honouree_id": honouree.id}


def vote_rows(app, conference_id: int, rows: dict[str, int]) -> dict[str, int]:
    return {"vote_id": rows["vote"]}  # marked_rows opened it


def speaker_rows(app, conference_id: int, rows: dict[str, int]) -> dict[str, int]:
    """A delegate waiting to speak (asked from their phone: written here, as the phone's page would)."""
    from conference.core.models import SpeakingRequest, SpeakingState
    with app.app_context():
        request = SpeakingRequest(conference_id=conference_id, delegate_id=rows["delegate"],
                                  state=SpeakingState.WAITING, asked_at=utcnow())
        db.session.add(request)
        db.session.commit()
        return {"request_id": request.id}


# The office's /api blueprints whose routes take a row's id -> the rows of a conference they name.
# The stage's /api (show/stage/api.py) takes no id: its cues and decks are named on /admin (OWNED).
API_ROWS = {"api_awards.": award_rows, "api_votes.": vote_rows, "speakers_api.": speaker_rows}
API_BODY = {"name": "Đổi", "rank": 2, "kind": "individual", "number": "8/QĐ", "issuer": "UBND",  # awards
            "counts": {"Tán thành": 1}, "entry": 1}  # votes


@pytest.mark.parametrize("blueprint", sorted(API_ROWS))
def test_the_office_api_refuses_a_row_of_another_conference(two, blueprint):
    """Every route of the blueprint with an id (from url_map), called by the office working on one
    conference with an id of the other's row (an award form, decision or honouree; a vote; a request to
    speak): 404 for that row, and the other conference does not move."""
    app, active, preparing = two["app"], two["active"], two["preparing"]
    ids = API_ROWS[blueprint](app, active, two["rows"][active])
    client = signed_in(app)
    before = fingerprint(app, active)
    checked = set()
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(blueprint) or not rule.arguments:
            continue
        with app.test_request_context():
            path = url_for(rule.endpoint, conference=preparing, **{name: ids[name] for name in rule.arguments})
        for method in sorted(rule.methods & {"GET", "POST", "PUT", "DELETE"}):
            answer = client.open(path, method=method, headers={"X-CSRFToken": client.csrf_token},
                                 json={**API_BODY, "form_id": ids.get("form_id")})
            assert answer.status_code == 404, f"{method} {path}: {answer.status_code}"
            assert answer.json["error"]["code"].startswith("unknown_"), f"{method} {path}: {answer.json}"
            checked.add(rule.endpoint)
    assert len(checked) >= {"api_awards.": 5, "api_votes.": 4, "speakers_api.": 3}[blueprint]
    assert fingerprint(app, active) == before


def test_an_address_naming_no_conference_of_the_install_answers_404(two):
    client = signed_in(two["app"])
    before = fingerprint(two["app"], two["active"])
    for asked in ("987654", "0", "abc", "-1", ""):
        for path in ("/admin", "/admin/delegates", "/admin/awards", "/admin/badges.pdf"):
            answer = client.get(f"{path}?conference={asked}")
            assert answer.status_code == 404 and "Không tìm thấy hội nghị này." in answer.text, path
        posted = client.post(f"/admin/groups?conference={asked}", data={"name": "Tổ lạ", "csrf_token": client.csrf_token})
        assert posted.status_code == 404
        assert client.get(f"/api/award-forms?conference={asked}").status_code in (400, 404)
    assert fingerprint(two["app"], two["active"]) == before
