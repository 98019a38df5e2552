"""The minutes (biên bản, .docx), read back with python-docx and checked against what happened on the day."""
from __future__ import annotations

import io
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from docx import Document

from conference.core.db import db
from conference.core.models import AgendaItem, AwardPresentation, Candidate, Delegate, Honouree
from conference.core.dates import vn_date, vn_day
from conference.core.state import default_conference_id
from conference.votes.record import record_show_of_hands
from tests.office.lifecycle_helpers import any_app, signed_in  # noqa: F401 - any_app is a fixture

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def local(moment: datetime | None) -> str:
    return moment.astimezone(HANOI).strftime("%H:%M") if moment else ""


def clock(moment: datetime) -> str:
    moment = moment.astimezone(HANOI)
    return f"{moment.hour:02d} giờ {moment.minute:02d} phút"


def minutes(client) -> Document:
    answer = client.get("/admin/exports/minutes.docx")
    assert answer.status_code == 200 and answer.headers["Content-Disposition"].endswith(".docx")
    return Document(io.BytesIO(answer.data))


def text_of(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def run_the_day(app, conference_id, client, auth) -> dict:
    """Check some people in, run the whole program with the awards and the vote, as the MC would."""
    from conference import awards
    from conference.show import moves as show
    from conference.awards import day as award_day
    with app.app_context():
        ids = list(db.session.scalars(sa.select(Delegate.id).order_by(Delegate.id)))[:40]
    for delegate_id in ids:
        client.post("/api/checkins", json={"delegate_id": delegate_id}, headers=auth("door"))
    outcomes = {}
    with app.app_context():
        for _ in range(200):
            show.next_item(conference_id)
            state = client.get("/api/state").get_json()
            current = next((i for i in state["agenda"] if i["position"] == state["current"]), None)
            if current and current["kind"] == "awards" and not outcomes:
                plan = [("received", None), ("proxy", "Nguyễn Văn Thay"), ("absent", None)]
                for announcement in awards.calling_order(conference_id):
                    awards.next_announcement(conference_id)  # the decision
                    awards.next_announcement(conference_id)  # the names: they are called
                    for honouree in announcement.honourees:
                        if plan:
                            outcome, by = plan.pop(0)
                            award_day.record_presentation(conference_id, honouree.id, outcome, by, confirm=True)
                            outcomes[honouree.id] = outcome
                    if not plan:
                        break
            if current and current["kind"] == "vote":
                record_show_of_hands(conference_id, len(ids) - 2)
            if state["finished"]:
                break
        assert client.get("/api/state").get_json()["finished"]
    return {"present": len(ids), "outcomes": outcomes}


def test_the_minutes_state_the_day_as_it_happened(admin_client, app, auth, conference_id):
    day = run_the_day(app, conference_id, admin_client, auth)
    document = minutes(admin_client)
    body = text_of(document)
    header, numbering = table_rows(document.tables[0])
    assert header[0].split("\n") == ["UBND THỊ XÃ AN KHÊ", "ỦY BAN NHÂN DÂN", "PHƯỜNG AN TÂN", ""]  # "" : the rule
    assert header[1].split("\n") == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", ""]
    assert "BIÊN BẢN" in body and "Hội nghị Điển hình tiên tiến phường An Tân lần thứ IV (2020-2025)" in body
    with app.app_context():
        expected = db.session.scalar(sa.select(sa.func.count(Delegate.id)))
        items = list(db.session.scalars(sa.select(AgendaItem).order_by(AgendaItem.position)
                                        .options(sa.orm.selectinload(AgendaItem.steps))))
        program = []
        for item in items:
            program.append([str(item.position), item.title, item.presenter or "", local(item.started_at),
                            local(item.ended_at)])
            program += [[f"{item.position}.{s.position}", "- " + s.title, s.presenter or "", local(s.started_at),
                         local(s.ended_at)] for s in item.steps]
        start, end = items[0].started_at, items[-1].ended_at
        called = {h.id: h for h in db.session.scalars(
            sa.select(Honouree).join(AwardPresentation, AwardPresentation.honouree_id == Honouree.id))}
        candidates = list(db.session.scalars(sa.select(Candidate.full_name).order_by(Candidate.position)))
    ran_on = vn_day(start.astimezone(HANOI).date())  # the day the clock was read, not the planned 05/3/2020
    assert numbering == ["Số:       /BB-UBND", f"An Tân, {ran_on}"]
    assert f"Vào lúc {clock(start)}, {ran_on}." in body
    assert "Địa điểm: Hội trường UBND phường An Tân." in body
    assert "Chủ tọa: Mai Anh Hùng." in body and "Thư ký: Lê Thị Ngọc Diệp." in body
    assert f"có mặt {day['present']}/{expected} đại biểu" in body
    assert table_rows(document.tables[1])[1:] == program
    assert all(row[3] and row[4] for row in program)  # every item and step ran and has its times

    assert sorted(day["outcomes"].values()) == ["absent", "proxy", "received"]
    awards_rows = [row for row in table_rows(document.tables[2])[1:] if len(set(row)) > 1]
    decisions = [row[0] for row in table_rows(document.tables[2])[1:] if len(set(row)) == 1]
    assert len(awards_rows) == len(called) and [row[0] for row in awards_rows] == [
        str(n) for n in range(1, len(called) + 1)]
    assert decisions and all(line.startswith(("Bằng khen", "Giấy khen")) and "(QĐ số " in line
                             for line in decisions)
    received = {row[1]: row[3] for row in awards_rows}
    for honouree_id, outcome in day["outcomes"].items():
        honouree = called[honouree_id]
        if outcome == "proxy":
            assert received[honouree.name] == "Nguyễn Văn Thay (nhận thay)"
        elif outcome == "absent":
            assert received[honouree.name] == "Vắng mặt"
        elif honouree.kind.value == "collective":
            assert received[honouree.name].endswith("(đại diện nhận)")
        else:
            assert received[honouree.name] == "Trực tiếp nhận"
    for name in candidates:
        assert name in body
    assert f"tán thành {day['present'] - 2}/{day['present']} đại biểu có mặt" in body
    assert f"Hội nghị kết thúc vào lúc {clock(end)} cùng ngày." in body
    signatures = table_rows(document.tables[-1])[0]
    assert signatures[0].startswith("THƯ KÝ") and signatures[0].endswith("Lê Thị Ngọc Diệp")
    assert signatures[1].startswith("CHỦ TỌA") and signatures[1].endswith("Mai Anh Hùng")
    assert "Nơi nhận:\n- UBND thị xã An Khê (để báo cáo);" in body and body.endswith("- Lưu: VT.")


class Clock:
    """The show service's clock, moved by hand."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def at(self, hour: int, minute: int, day: int = 5) -> None:
        self.now = datetime(2020, 3, day, hour, minute, tzinfo=timezone.utc)


@pytest.fixture
def show_clock(monkeypatch):
    from conference.show import moves as show
    fake = Clock(datetime(2020, 3, 5, 0, 30, tzinfo=timezone.utc))
    monkeypatch.setattr(show, "utcnow", fake)
    return fake


def goto(app, conference_id, position: int) -> None:
    from conference.show import moves as show
    with app.app_context():
        show.goto_item(conference_id, position)


def finish(app, conference_id) -> None:
    from conference.show import moves as show
    with app.app_context():
        last = max(db.session.scalars(sa.select(AgendaItem.position)
                                      .where(AgendaItem.conference_id == conference_id)))
        show.goto_item(conference_id, last)
        show.next_item(conference_id)


def test_times_in_the_minutes_are_wall_clock_times_in_vietnam(admin_client, app, conference_id, show_clock):
    goto(app, conference_id, 1)
    show_clock.at(0, 32)
    goto(app, conference_id, 2)
    show_clock.at(4, 5)  # 11:05 in Hanoi (UTC+7)
    finish(app, conference_id)
    body = text_of(minutes(admin_client))
    assert "Vào lúc 07 giờ 30 phút, ngày 05 tháng 3 năm 2020." in body
    assert "Hội nghị kết thúc vào lúc 11 giờ 05 phút cùng ngày." in body
    rows = table_rows(minutes(admin_client).tables[1])
    assert rows[1][3:] == ["07:30", "07:32"] and rows[-1][4] == "11:05"


def test_a_rehearsal_on_another_day_is_dated_by_its_own_clock(admin_client, app, conference_id, show_clock):
    show_clock.at(1, 0, day=3)  # 08:00 on 3 March, two days before the planned 5 March
    goto(app, conference_id, 1)
    show_clock.at(17, 10, day=3)  # 00:10 on 4 March in Hanoi: past midnight
    finish(app, conference_id)
    document = minutes(admin_client)
    body = text_of(document)
    assert "Vào lúc 08 giờ 00 phút, ngày 03 tháng 3 năm 2020." in body
    assert "An Tân, ngày 03 tháng 3 năm 2020" in table_rows(document.tables[0])[1]
    assert "ngày 05 tháng 3 năm 2020" not in body and "05/3/2020" not in body
    assert "Hội nghị kết thúc vào lúc 00 giờ 10 phút ngày 04 tháng 3 năm 2020." in body
    assert table_rows(document.tables[1])[-1][4] == "00:10 (04/03)"  # another day's time says its day


@pytest.fixture
def both(any_app):
    """(admin_client, app, conference_id) as their fixtures give them, on SQLite and on PostgreSQL:
    the times of runs are read back through each database's own types."""
    with any_app.app_context():
        conference_id = default_conference_id()
    return signed_in(any_app), any_app, conference_id


def test_a_go_to_back_and_forth_gives_each_run_its_own_times(both, show_clock):
    """The MC ran items 1-5, went back to 2 for a forgotten point, then on again: item 2 is listed
    twice and no time of one item falls inside another's."""
    admin_client, app, conference_id = both
    for number, minute in enumerate((0, 5, 10, 40, 50), start=1):
        show_clock.at(1, minute)
        goto(app, conference_id, number)
    show_clock.at(2, 0)
    goto(app, conference_id, 2)
    show_clock.at(2, 6)
    goto(app, conference_id, 3)
    show_clock.at(2, 8)
    goto(app, conference_id, 4)
    rows = {row[0]: row for row in table_rows(minutes(admin_client).tables[1])[1:]}
    assert rows["2"][3:] == ["08:05\n09:00", "08:10\n09:06"]
    assert rows["3"][3:] == ["08:10\n09:06", "08:40\n09:08"]
    assert rows["4"][3:] == ["08:40\n09:08", "08:50\n"]
    assert rows["5"][3:] == ["08:50", "09:00"]  # left going back: its stretch on stage stays
    spans = sorted((start, end or "99:99") for row in rows.values() if "." not in row[0]
                   for start, end in zip(row[3].split("\n"), row[4].split("\n")) if start)
    assert all(end <= later for (_, end), (later, _) in zip(spans, spans[1:]))  # none overlaps the next


def test_next_three_times_then_go_to_1_and_4_keeps_item_3s_times_in_the_minutes(both, show_clock):
    """The issue "The office's year": item 3's start and end were gone from the minutes."""
    admin_client, app, conference_id = both
    from conference.show import moves as show
    for minute in (0, 10, 20):  # items 1, 2, 3 from 08:00
        show_clock.at(1, minute)
        with app.app_context():
            show.next_item(conference_id)
    show_clock.at(1, 35)
    goto(app, conference_id, 1)
    show_clock.at(1, 40)
    goto(app, conference_id, 4)
    rows = {row[0]: row for row in table_rows(minutes(admin_client).tables[1])[1:]}
    assert rows["3"][3:] == ["08:20", "08:35"]  # one run: as it always was written
    assert rows["1"][3:] == ["08:00\n08:35", "08:10\n08:40"]  # back for a second run: a line each
    assert rows["2"][3:] == ["08:10", "08:20"] and rows["4"][3:] == ["08:40", ""]


def test_minutes_made_before_anything_happened_leave_blanks_to_fill_by_hand(admin_client, app, conference_id):
    document = minutes(admin_client)
    body = text_of(document)
    assert "Vào lúc 07 giờ 30 phút, ngày 05 tháng 3 năm 2020." in body  # the planned start
    assert "Hội nghị kết thúc vào lúc …… giờ …… phút cùng ngày." in body
    assert "có mặt 0/65 đại biểu" in body
    assert "Không có khen thưởng nào được ghi nhận" in body
    assert "Kết quả biểu quyết: chưa được ghi nhận." in body
    assert all(row[3] == row[4] == "" for row in table_rows(document.tables[1])[1:])


def test_names_full_of_html_or_markup_are_written_exactly(admin_client, app, conference_id):
    hostile = '<w:t>Nguyễn</w:t> & "Văn" <script>'
    with app.app_context():
        from conference.office.details import add_candidate, update_conference
        add_candidate(conference_id, hostile, "Tổ trưởng", None)
        conference = {"title": "Hội nghị <b>in đậm</b>", "place_name": "An Tân", "date": "2020-03-05",
                      "award_batch_size": 6, "chair": "Mai Anh Hùng"}
        update_conference(conference_id, conference)
    body = text_of(minutes(admin_client))
    assert f"{hostile} – Tổ trưởng" in body and "Hội nghị <b>in đậm</b>" in body


@pytest.mark.parametrize("day, expected", [
    (date(2020, 3, 5), "ngày 05 tháng 3 năm 2020"),     # day < 10: leading zero; March: none
    (date(2023, 2, 1), "ngày 01 tháng 02 năm 2023"),    # January and February: leading zero
    (date(2020, 1, 15), "ngày 15 tháng 01 năm 2020"),
    (date(2023, 7, 5), "ngày 05 tháng 7 năm 2023"),
    (date(2020, 12, 25), "ngày 25 tháng 12 năm 2020"),
    (date(2020, 10, 9), "ngày 09 tháng 10 năm 2020"),
])
def test_dates_are_written_as_decree_30_2020_requires(day, expected):
    assert vn_day(day) == expected
    assert vn_date(day, "An Tân") == f"An Tân, {expected}"
