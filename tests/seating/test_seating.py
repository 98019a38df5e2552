"""The hall and its seats, driven through the office's pages, the door's API, the import and the
domain: a seat is given by hand, by the roster's "Ghế / seat" column or automatically in protocol
order; never two delegates on one seat; a seat the hall lacks is refused and nothing changes; the
seat shows in the door's answer, on the badge and in the attendance list."""
from __future__ import annotations

import io
import re
import subprocess

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from conference.core.db import db
from conference.core.models import Delegate, Seat, SeatArea, SeatReserve
from tests.office.test_details_pages import form


def delegates(app) -> dict[str, Delegate]:
    with app.app_context():
        found = {d.full_name: d for d in db.session.scalars(sa.select(Delegate))}
        for delegate in found.values():
            db.session.expunge(delegate)
        return found


def hall_seats(app) -> dict[str, Seat]:
    with app.app_context():
        found = {s.code: s for s in db.session.scalars(sa.select(Seat))}
        for seat in found.values():
            db.session.expunge(seat)
        return found


def test_the_demo_comes_with_its_hall_and_seats_every_delegate_once(app):
    seats, people = hall_seats(app), delegates(app)
    assert {s.area for s in seats.values()} == set(SeatArea) and len(seats) >= len(people)
    taken = [d.seat for d in people.values()]
    assert None not in taken and len(set(taken)) == len(taken) and set(taken) <= set(seats)
    assert people["Mai Anh Hùng"].seat == "CT2" and people["Lê Thị Ngọc Diệp"].seat == "TK1"


def test_a_seat_is_given_by_hand_in_the_office_and_the_grid_shows_who_sits_there(admin_client, app):
    toan = delegates(app)["Lê Văn Toàn"]
    page = admin_client.get("/admin/seating").get_data(as_text=True)
    assert 'data-seat="A5-3"' in page and "Lê Văn Toàn" in page
    assert form(admin_client, "/admin/seating/assign", delegate=str(toan.id), seat_pick="A5-3").status_code == 303
    assert delegates(app)["Lê Văn Toàn"].seat == "A5-3"
    cell = re.search(r'data-seat="A5-3".*?</div>', admin_client.get("/admin/seating").get_data(as_text=True), re.S)
    assert "Lê Văn Toàn" in cell.group(0)
    assert form(admin_client, f"/admin/seating/{toan.id}/clear").status_code == 303
    assert delegates(app)["Lê Văn Toàn"].seat is None
    assert "Lê Văn Toàn" in admin_client.get("/admin/seating").get_data(as_text=True).split('id="unseated"')[1]


def test_a_seat_the_hall_lacks_or_someone_else_holds_is_refused_by_every_way_in_and_nothing_changes(
        admin_client, client, app, auth):
    people = delegates(app)
    toan, hung = people["Lê Văn Toàn"], people["Mai Anh Hùng"]
    missing = form(admin_client, "/admin/seating/assign", delegate=str(toan.id), seat="Z9-9")
    assert missing.status_code == 400 and "Hội trường không có ghế “Z9-9”" in missing.get_data(as_text=True)
    taken = form(admin_client, "/admin/seating/assign", delegate=str(toan.id), seat="CT2")
    assert taken.status_code == 409 and "đã có người ngồi: Mai Anh Hùng" in taken.get_data(as_text=True)
    edited = form(admin_client, f"/admin/delegates/{toan.id}", full_name=toan.full_name, seat="CT2")
    assert edited.status_code == 409
    walk_in = client.post("/api/delegates", json={"full_name": "Khách Mới", "seat": "CT2"}, headers=auth("door"))
    assert walk_in.status_code == 409 and walk_in.get_json()["error"]["code"] == "seat_taken"
    after = delegates(app)
    assert after["Lê Văn Toàn"].seat == toan.seat and after["Mai Anh Hùng"].seat == hung.seat == "CT2"
    assert "Khách Mới" not in after


def test_the_hall_cannot_lose_a_seat_someone_sits_on_and_a_bad_block_is_named(admin_client, app):
    before = hall_seats(app)
    smaller = form(admin_client, "/admin/seating/hall", presidium="2", secretariat="1", name_0="A", rows_0="2",
                   seats_0="4")
    assert smaller.status_code == 400 and "Hội trường mới không có ghế" in smaller.get_data(as_text=True)
    bad = form(admin_client, "/admin/seating/hall", presidium="5", secretariat="2", name_0="Khu 1", rows_0="2",
               seats_0="4")
    assert bad.status_code == 400 and "Tên khu “KHU 1”" in bad.get_data(as_text=True)
    assert hall_seats(app).keys() == before.keys()
    larger = form(admin_client, "/admin/seating/hall", presidium="5", secretariat="2",
                  **{f"{key}_{line}": value for line, name in enumerate("ABCD")
                     for key, value in (("name", name), ("rows", "6"), ("seats", "8"), ("guest_rows", "1"),
                                        ("honouree_rows", "1"))})
    assert larger.status_code == 303 and len(hall_seats(app)) == 7 + 4 * 6 * 8


def test_the_import_reads_the_seat_and_the_honorific_and_refuses_a_seat_twice_or_unknown(app, conference_id):
    from conference.checkin.importer import ImportFailed, import_delegates
    header = "Họ và tên,Danh xưng / honorific,Ghế / seat,Thành phần\n"
    with app.app_context():
        with pytest.raises(ImportFailed) as refused:
            import_delegates(conference_id, "x.csv", (header + "Phan Văn Một,ông,A5-1,Tổ dân phố\n"
                                                      "Phan Văn Hai,,A5-1,Tổ dân phố\nPhan Văn Ba,,Q1-1,\n"
                                                      "Phan Văn Bốn,Ngài,,\n").encode())
        problems = {error.row: error.text() for error in refused.value.errors}
        assert problems == {3: "ghế “A5-1” đã dành cho dòng 2", 4: "Hội trường không có ghế “Q1-1”.",
                            5: "Danh xưng “Ngài” không dùng được: chọn Đồng chí, Ông, Bà hoặc để trống."}
        assert import_delegates(conference_id, "x.csv", (header + "Phan Văn Một,ông,A5-1,Tổ dân phố\n"
                                                         "Lê Thị Hai,BÀ,A5-2,\n").encode()) == 2
    people = delegates(app)
    assert (people["Phan Văn Một"].honorific, people["Phan Văn Một"].seat) == ("Ông", "A5-1")
    assert (people["Lê Thị Hai"].honorific, people["Lê Thị Hai"].seat) == ("Bà", "A5-2")
    assert "Phan Văn Ba" not in people


def test_automatic_assignment_seats_the_unseated_in_protocol_order_honourees_by_batch_from_an_aisle(app, conference_id):
    from conference.awards.order import calling_order
    from conference.seating.assign import assign_automatically, is_head, protocol_key
    with app.app_context():  # everyone off the hall's seats; the stage stays as it was set by hand
        db.session.execute(sa.update(Delegate).where(~Delegate.seat.like("CT%"), ~Delegate.seat.like("TK%"))
                           .values(seat=None))
        db.session.commit()
        assert assign_automatically(conference_id) == 59
        assert assign_automatically(conference_id) == 0  # nobody seated moves, nobody is left
        batches = [[h.delegate_id for h in a.honourees if h.delegate_id] for a in calling_order(conference_id)]
    people, seats = delegates(app), hall_seats(app)
    by_id = {d.id: d for d in people.values()}
    taken = [d.seat for d in people.values()]
    assert len(set(taken)) == len(taken) == len(people) and set(taken) <= set(seats)
    seen = {d.id for d in people.values() if seats[d.seat].area != SeatArea.HALL}  # the stage, set by hand
    width = {s.block: max(t.number for t in seats.values() if t.block == s.block) for s in seats.values() if s.block}
    for batch in batches:  # one batch: one row of the honouree rows, side by side from an aisle
        newly = [i for i in dict.fromkeys(batch) if i not in seen]  # one who receives twice sits once
        seen.update(newly)
        if not newly:
            continue
        places = [seats[by_id[i].seat] for i in newly]
        assert {(p.block, p.row) for p in places} == {(places[0].block, places[0].row)}
        numbers = sorted(p.number for p in places)
        assert numbers == list(range(numbers[0], numbers[0] + len(places)))  # side by side
        assert numbers[0] == 1 or numbers[-1] == width[places[0].block]  # from seat 1 or the row's last
        assert all(p.reserve == SeatReserve.HONOUREES for p in places)
    honourees = {i for batch in batches for i in batch}
    others = [d for d in people.values() if d.id not in honourees and seats[d.seat].area == SeatArea.HALL]
    fill = sorted(others, key=lambda d: (seats[d.seat].reserve != SeatReserve.GUESTS, seats[d.seat].row,
                                         seats[d.seat].block_position, seats[d.seat].number))
    assert [protocol_key(d) for d in fill] == sorted(protocol_key(d) for d in fill)
    assert is_head(people["Đinh Văn Bưm"].position) and not is_head(people["Huỳnh Thị Mỹ Linh"].position)
    assert fill.index(people["Đinh Văn Bưm"]) < fill.index(people["Huỳnh Thị Mỹ Linh"])  # same group, head first
    assert all(seats[d.seat].reserve == SeatReserve.GUESTS for d in fill[:20])  # the guest rows: the top 20


def test_the_seat_shows_in_the_door_answer_on_the_badge_and_in_the_attendance_list(admin_client, client, app, auth):
    hong = delegates(app)["Đặng Thị Hồng"]
    answer = client.post("/api/checkins", json={"code": hong.badge_code}, headers=auth("door"))
    assert answer.status_code in (200, 201) and answer.get_json()["delegate"]["seat"] == hong.seat
    roster = client.get("/door/roster", headers=auth("door")).get_json()  # what the door page answers from offline
    row = next(r for r in roster["rows"] if r[0] == hong.id)
    assert row[roster["fields"].index("seat")] == hong.seat  # shown as "group · Ghế …" (test_door_browser.py)
    badge = admin_client.get(f"/admin/delegates/{hong.id}/badge.pdf")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=badge.data, capture_output=True, check=True).stdout
    assert f"Ghế {hong.seat}" in text.decode()
    sheet = load_workbook(io.BytesIO(admin_client.get("/admin/exports/attendance.xlsx").data)).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = next(r for r in rows if r[0] == "STT")
    assert header[-1] == "Ghế"
    assert [r[-1] for r in rows if r[1] == "Đặng Thị Hồng"] == [hong.seat]


def test_the_honorific_is_set_in_the_delegate_form_and_an_unknown_one_is_refused(admin_client, app):
    hue = delegates(app)["Phạm Thị Huệ"]
    assert form(admin_client, f"/admin/delegates/{hue.id}", full_name=hue.full_name, honorific="ba",
                seat=hue.seat).status_code == 303
    assert delegates(app)["Phạm Thị Huệ"].honorific == "Bà"
    page = admin_client.get(f"/admin/delegates/{hue.id}").get_data(as_text=True)
    assert '<option value="ba" selected>Bà</option>' in page
    refused = form(admin_client, f"/admin/delegates/{hue.id}", full_name=hue.full_name, honorific="Cụ")
    assert refused.status_code == 400 and "Danh xưng “Cụ” không dùng được" in refused.get_data(as_text=True)
    assert delegates(app)["Phạm Thị Huệ"].honorific == "Bà"


def test_a_copied_conference_has_the_same_hall_and_its_delegates_their_seats(app, conference_id):
    from conference.office.lifecycle import create_conference
    with app.app_context():
        copy = create_conference("Hội nghị năm sau", copy_from=conference_id)
        codes = {cid: set(db.session.scalars(sa.select(Seat.code).where(Seat.conference_id == cid)))
                 for cid in (conference_id, copy)}
        seated = dict(db.session.execute(sa.select(Delegate.full_name, Delegate.seat)
                                         .where(Delegate.conference_id == copy)).all())
    assert codes[copy] == codes[conference_id] and seated["Mai Anh Hùng"] == "CT2"


def test_upgrading_keeps_a_seat_written_twice_for_its_first_delegate_only(tmp_path):
    """Before the hall (revision 0012) a seat was free text and two delegates could share one: the
    upgrade leaves it to the first of them (the lowest id), so the new one-delegate-a-seat key holds."""
    from alembic import command

    from conference.office.first_start import alembic_config
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0011")
        connection.execute(sa.text(
            "INSERT INTO conference (id, title, award_batch_size, created_at) VALUES (1, 'H', 6, '2020-03-05')"))
        connection.execute(sa.text(
            "INSERT INTO delegate (id, conference_id, full_name, search_key, seat, badge_code, walk_in, created_at) "
            "VALUES (1, 1, 'Một', 'mot', 'A1', 'C1', 0, '2020-03-05'), "
            "(2, 1, 'Hai', 'hai', 'A1', 'C2', 0, '2020-03-05'), (3, 1, 'Ba', 'ba', 'A2', 'C3', 0, '2020-03-05'), "
            "(4, 1, 'Bốn', 'bon', NULL, 'C4', 0, '2020-03-05')"))
        command.upgrade(alembic_config(connection), "head")
        seats = dict(connection.execute(sa.text("SELECT full_name, seat FROM delegate")).all())
        with pytest.raises(sa.exc.IntegrityError):
            with connection.begin_nested():
                connection.execute(sa.text("UPDATE delegate SET seat = 'A2' WHERE id = 1"))
    engine.dispose()
    assert seats == {"Một": "A1", "Hai": None, "Ba": "A2", "Bốn": None}


def test_the_office_prints_name_cards_for_the_stage_the_guests_and_those_it_chooses(admin_client, app):
    from pypdf import PdfReader
    people = delegates(app)
    page = admin_client.get("/admin/seating").get_data(as_text=True)
    assert 'id="name-cards-form"' in page and 'name="delegate" multiple' in page

    def pages(query: str) -> int:
        return len(PdfReader(io.BytesIO(admin_client.get(f"/admin/name-cards.pdf{query}").data)).pages)
    chosen = [people[name].id for name in ("Lê Văn Toàn", "Phạm Thị Huệ")]
    assert pages("") + 2 == pages(f"?delegate={chosen[0]}&delegate={chosen[1]}") and pages("?all=1") == len(people)
    assert admin_client.get("/admin/name-cards.pdf?delegate=abc").status_code == 400
    assert admin_client.get("/admin/name-cards.pdf?delegate=999999").status_code == 404


def test_the_mc_console_invites_a_presenter_with_their_danh_xung_as_the_printed_script_does(app, client,
                                                                                            conference_id):
    """The snapshot's step names the presenter as the MC says it ("called"): with the danh xưng of the
    delegate of that name, else as written; mc.js reads it for the invitation it shows."""
    from conference.office.details import update_delegate
    with app.app_context():
        trang = db.session.scalar(sa.select(Delegate).where(Delegate.full_name == "Hồ Thị Thu Trang"))
        update_delegate(conference_id, trang.id, trang.full_name, trang.position, trang.unit, trang.group_id,
                        trang.seat, "Bà")
    steps = [step for item in client.get("/api/state").get_json()["agenda"] for step in item["steps"]]
    called = {step["presenter"]: step["called"] for step in steps if step["presenter"]}
    assert called["Hồ Thị Thu Trang"] == "Bà Hồ Thị Thu Trang"
    assert all(name == said for name, said in called.items() if name != "Hồ Thị Thu Trang")
