"""Several conferences in one install: the active one is what every screen and device serves,
a new one starts empty, from a template or as a copy (new badge codes), past ones stay readable."""
from __future__ import annotations

import sqlalchemy as sa

from conference.accounts.devices import authenticate, create_device
from conference.core.db import db
from conference.core.extensions import socketio as server_socketio
from conference.core.models import Badge, CheckIn, Conference, Delegate, Role
from conference.core.state import default_conference_id
from conference.office import lifecycle

from tests.conftest import bearer
from tests.office.lifecycle_helpers import any_app, signed_in, states  # noqa: F401 - any_app is a fixture


def _first_code(app, conference_id: int) -> str:
    with app.app_context():
        return db.session.scalar(sa.select(Delegate.badge_code).where(Delegate.conference_id == conference_id)
                                 .order_by(Delegate.id).limit(1))


def test_the_active_conference_is_what_devices_and_screens_serve(any_app):
    with any_app.app_context():
        demo = default_conference_id()
        door = create_device(demo, Role.DOOR, "Cửa 1")[1]
        new = lifecycle.create_conference("Hội nghị tổng kết năm 2026", template="tong-ket-nam")
        assert default_conference_id() == demo  # created, not active yet
        lifecycle.activate(new)
        assert default_conference_id() == new
        assert authenticate(door).conference_id == new  # the door is the door: no re-pairing
        rows = lifecycle.conferences()
        assert [row.id for row in rows if row.active] == [new] and {r.id for r in rows} == {demo, new}
    client = any_app.test_client()
    state = client.get("/api/state", headers=bearer(door)).get_json()
    assert state["conference"]["id"] == new and state["agenda"][0]["title"] == "Chào cờ"
    # The demo's badge is another conference's: refused at the door of the active one.
    answer = client.post("/api/checkins", json={"code": _first_code(any_app, demo)}, headers=bearer(door))
    assert answer.status_code == 404 and answer.get_json()["error"]["code"] == "other_conference"
    with any_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 0


def test_an_unknown_conference_cannot_be_activated_and_nothing_changes(any_app):
    with any_app.app_context():
        demo = default_conference_id()
        for bad in (999, 0, -1, "1", None, True):
            try:
                lifecycle.activate(bad)
                raise AssertionError(f"{bad!r} was accepted")
            except lifecycle.NotFound:
                pass
        assert default_conference_id() == demo


def test_activating_while_the_show_runs_needs_force(any_app):
    client = any_app.test_client()
    with any_app.app_context():
        demo = default_conference_id()
        mc = create_device(demo, Role.MC)[1]
        other = lifecycle.create_conference("Hội nghị cán bộ, công chức", template="can-bo-cong-chuc")
    client.post("/api/show/next", headers=bearer(mc))  # the show of the demo is running
    with any_app.app_context():
        try:
            lifecycle.activate(other)
            raise AssertionError("activated while the show runs")
        except lifecycle.Conflict as refused:
            assert refused.code == "show_running"
        assert default_conference_id() == demo
        lifecycle.activate(other, force=True)
        assert default_conference_id() == other


def test_every_connected_screen_moves_to_the_activated_conference_with_its_snapshot(any_app):
    app = any_app
    with app.app_context():
        tokens = {role.value: create_device(default_conference_id(), role).token
                  for role in (Role.DISPLAY, Role.DOOR, Role.MC)}
    screens = [server_socketio.test_client(app, auth=a)
               for a in ({"token": tokens["display"]}, {"token": tokens["door"]}, {"token": tokens["mc"]}, None)]
    first = [states(screen)[-1] for screen in screens]
    assert {s["conference"]["id"] for s in first} == {1}
    admin = signed_in(app)
    with app.app_context():
        new = lifecycle.create_conference("Hội nghị mới", template="dien-hinh-tien-tien")
    unconfirmed = admin.post(f"/admin/conferences/{new}/activate", data={"csrf_token": admin.csrf_token})
    assert unconfirmed.status_code == 400 and "xác nhận" in unconfirmed.get_data(as_text=True)
    with app.app_context():
        assert default_conference_id() == 1  # nothing switched
    answer = admin.post(f"/admin/conferences/{new}/activate", data={"csrf_token": admin.csrf_token, "confirm": "1"})
    assert answer.status_code == 303
    for screen in screens:
        received = states(screen)
        assert received and received[-1]["conference"]["id"] == new
        assert received[-1]["conference"]["title"] == "Hội nghị mới"
        assert screen.emit("sync", callback=True)["conference"]["id"] == new  # its room is the new one


def test_templates_bring_an_agenda_with_scripts_and_groups_in_protocol_order(any_app):
    with any_app.app_context():
        names = lifecycle.template_names()
        assert list(names) == ["dien-hinh-tien-tien", "tong-ket-nam", "can-bo-cong-chuc"]
        for name in names:
            cid = lifecycle.create_conference(f"Mẫu {name}", template=name)
            conference = db.session.get(Conference, cid)
            agenda = conference.agenda
            assert len(agenda) >= 9 and all(item.script for item in agenda)
            assert agenda[0].kind.value == "flag" and agenda[-1].kind.value == "closing"
            assert [g.position for g in conference.groups] == list(range(1, len(conference.groups) + 1))
            assert len(conference.groups) >= 5
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Delegate)
                                     .where(Delegate.conference_id == cid)) == 0
        model = db.session.get(Conference, lifecycle.create_conference("Điển hình", template="dien-hinh-tien-tien"))
        assert len(model.agenda) == 9 and all(item.presenter is None for item in model.agenda)
        blank = db.session.get(Conference, lifecycle.create_conference("Trống"))
        assert blank.agenda == [] and blank.groups == []


def test_bad_input_to_create_is_refused_and_nothing_is_made(any_app):
    with any_app.app_context():
        count = db.session.scalar(sa.select(sa.func.count()).select_from(Conference))
        for title, options in (("", {}), ("x" * 301, {}), (None, {}), ("Hội nghị", {"template": "khong-co"}),
                               ("Hội nghị", {"copy_from": 999}),
                               ("Hội nghị", {"template": "tong-ket-nam", "copy_from": 1})):
            try:
                lifecycle.create_conference(title, **options)
                raise AssertionError(f"{title!r} {options} accepted")
            except lifecycle.ConferenceError:
                pass
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Conference)) == count


def test_a_copy_takes_the_set_up_never_the_day_and_every_delegate_gets_a_new_badge(any_app):
    client = any_app.test_client()
    with any_app.app_context():
        demo = default_conference_id()
        door = create_device(demo, Role.DOOR)[1]
        mc = create_device(demo, Role.MC)[1]
    old_code = _first_code(any_app, demo)
    assert client.post("/api/checkins", json={"code": old_code}, headers=bearer(door)).status_code == 201
    client.post("/api/show/next", headers=bearer(mc))
    with any_app.app_context():
        copy = lifecycle.create_conference("Hội nghị điển hình tiên tiến lần thứ V", copy_from=demo)
        old, new = db.session.get(Conference, demo), db.session.get(Conference, copy)
        assert [g.name for g in new.groups] == [g.name for g in old.groups]
        assert [(i.title, i.script, len(i.steps)) for i in new.agenda] == [(i.title, i.script, len(i.steps))
                                                                             for i in old.agenda]
        assert all(i.started_at is None and i.ended_at is None for i in new.agenda)
        names = lambda cid: sorted(db.session.scalars(sa.select(Delegate.full_name)  # noqa: E731
                                                      .where(Delegate.conference_id == cid, Delegate.walk_in.is_(False))))
        assert names(copy) == names(demo) and len(names(copy)) == 65
        old_codes = set(db.session.scalars(sa.select(Badge.code).where(Badge.conference_id == demo)))
        new_codes = set(db.session.scalars(sa.select(Delegate.badge_code).where(Delegate.conference_id == copy)))
        assert len(new_codes) == 65 and not new_codes & old_codes
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)
                                 .where(CheckIn.conference_id == copy)) == 0
        lifecycle.activate(copy, force=True)
    # A badge printed for the demo admits no one to the copy.
    answer = client.post("/api/checkins", json={"code": old_code}, headers=bearer(door))
    assert answer.status_code == 404 and answer.get_json()["error"]["code"] == "other_conference"
    state = client.get("/api/state", headers=bearer(door)).get_json()
    assert state["conference"]["id"] == copy and state["attendance"]["present"] == 0 and state["current"] is None


def test_past_conferences_stay_readable_from_the_office(any_app):
    with any_app.app_context():
        demo = default_conference_id()
        new = lifecycle.create_conference("Hội nghị mới")
        lifecycle.activate(new)
    admin = signed_in(any_app)
    page = admin.get("/admin/conferences").get_data(as_text=True)
    assert "Hội nghị mới" in page and "Hội nghị Điển hình tiên tiến phường An Tân" in page
    sheet = admin.get(f"/admin/conferences/{demo}/attendance.xlsx")
    assert sheet.status_code == 200 and sheet.data[:2] == b"PK"
    from io import BytesIO

    import openpyxl
    rows = list(openpyxl.load_workbook(BytesIO(sheet.data)).active.iter_rows(values_only=True))
    assert len([r for r in rows if any(r)]) > 65  # the demo's 65 delegates, not the new, empty one
    minutes = admin.get(f"/admin/conferences/{demo}/minutes.docx")
    assert minutes.status_code == 200 and minutes.data[:2] == b"PK"
    assert admin.get("/admin/conferences/999/minutes.docx").status_code == 404


def test_the_first_page_of_the_office_offers_its_own_conference_while_only_the_demo_exists(app):
    admin = signed_in(app)
    assert 'id="first-start"' in admin.get("/admin").get_data(as_text=True)
    answer = admin.post("/admin/conferences", data={"csrf_token": admin.csrf_token, "title": "Hội nghị của phường",
                                                    "source": "template:tong-ket-nam"})
    assert answer.status_code == 303
    assert 'id="first-start"' not in admin.get("/admin").get_data(as_text=True)
    refused = admin.post("/admin/conferences", data={"csrf_token": admin.csrf_token, "title": "",
                                                     "source": "copy:abc"})
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Conference)) == 2


def test_devices_belong_to_the_install_listed_and_revoked_whichever_conference_is_active(any_app):
    from conference.accounts.devices import list_devices, revoke_device
    with any_app.app_context():
        demo = default_conference_id()
        old_door = create_device(demo, Role.DOOR)
        new = lifecycle.create_conference("Hội nghị mới")
        lifecycle.activate(new)
        second = create_device(new, Role.DOOR)[0]
        assert second.label == "Cửa 2"  # numbered across the install, not per conference
        assert {d.id for d in list_devices(new)} == {old_door[0].id, second.id}
        revoke_device(new, old_door[0].id)
        assert authenticate(old_door[1]) is None
