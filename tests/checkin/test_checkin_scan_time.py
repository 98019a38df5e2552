"""A scan made offline keeps the time it was made (scanned_at): the check-in, the answers, the
presence list and the attendance export show that time; the scan log keeps the arrival time.
Sent with the time it was sent (sent_at), only the wait between the two counts, so a tablet
whose clock is wrong still records the right time."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conference.core.db import db
from conference.core.models import CheckIn, Delegate, Scan

from tests.checkin.test_checkin_rules import first_delegate
from tests.web.test_hostile_input import fingerprint

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime:
    return datetime.now(timezone.utc)


def browser_iso(moment: datetime) -> str:
    """As the door page writes it: new Date().toISOString(), milliseconds and Z."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def stored(app) -> tuple[datetime | None, list[datetime]]:
    """The one check-in's time, and the arrival time of every logged scan."""
    with app.app_context():
        checked_in_at = db.session.scalar(sa.select(CheckIn.checked_in_at))
        arrivals = list(db.session.scalars(sa.select(Scan.at).order_by(Scan.id)))
        db.session.rollback()
    return checked_in_at, arrivals


def test_a_scan_made_two_hours_ago_is_checked_in_at_its_own_time_and_logged_at_arrival(
        client, app, auth, conference_id):
    delegate_id, code = first_delegate(app, conference_id)
    scanned = (now() - timedelta(hours=2)).replace(microsecond=250000)
    before = now()
    answer = client.post("/api/checkins", json={"code": code, "nonce": "late-1", "scanned_at": browser_iso(scanned)},
                         headers=auth("door"))
    assert answer.status_code == 201, answer.get_json()
    assert datetime.fromisoformat(answer.get_json()["delegate"]["checked_in_at"]) == scanned
    checked_in_at, arrivals = stored(app)
    assert checked_in_at == scanned
    assert len(arrivals) == 1 and arrivals[0] >= before  # the log keeps when it reached the server

    # What every door is told afterwards is the time of the scan, not of its delivery.
    again = client.post("/api/checkins", json={"code": code}, headers=auth("door")).get_json()
    assert again["result"] == "already_checked_in"
    assert datetime.fromisoformat(again["checked_in_at"]) == scanned
    present = client.get("/door/presence", headers=auth("door")).get_json()["present"]
    assert [(d, datetime.fromisoformat(at)) for d, at, _ in present] == [(delegate_id, scanned)]


def test_a_time_with_an_offset_is_the_same_instant_in_utc(client, app, auth, conference_id):
    _, code = first_delegate(app, conference_id)
    scanned = (now() - timedelta(minutes=30)).replace(microsecond=0).astimezone(HANOI)
    answer = client.post("/api/checkins", json={"code": code, "scanned_at": scanned.isoformat()},
                         headers=auth("door"))
    assert answer.status_code == 201
    checked_in_at, _ = stored(app)
    assert checked_in_at == scanned and checked_in_at.utcoffset() == timedelta(0)


def test_without_scanned_at_the_check_in_is_at_arrival_as_before(client, app, auth, conference_id):
    _, code = first_delegate(app, conference_id)
    before = now()
    assert client.post("/api/checkins", json={"code": code, "scanned_at": None},
                       headers=auth("door")).status_code == 201
    checked_in_at, _ = stored(app)
    assert before <= checked_in_at <= now()


def test_a_clock_a_little_ahead_is_taken_as_now(client, app, auth, conference_id):
    _, code = first_delegate(app, conference_id)
    before = now()
    answer = client.post("/api/checkins", json={"code": code, "scanned_at": browser_iso(now() + timedelta(seconds=90))},
                         headers=auth("door"))
    assert answer.status_code == 201
    checked_in_at, _ = stored(app)
    assert before <= checked_in_at <= now()  # never in the future


# What is sent as scanned_at: a value, or a function of now (a time near now is refused for its
# shape alone, not for being too old).
BAD_TIMES = {
    "number": lambda t: int(t.timestamp()),
    "true": True,
    "list": lambda t: [browser_iso(t)],
    "object": lambda t: {"at": browser_iso(t)},
    "empty": "",
    "words": "hôm qua lúc 8 giờ",
    "date only": lambda t: t.date().isoformat(),
    "no timezone": lambda t: t.replace(tzinfo=None).isoformat(),
    "offset without colon": lambda t: t.astimezone(HANOI).strftime("%Y-%m-%dT%H:%M:%S%z"),
    "offset of a day": lambda t: t.strftime("%Y-%m-%dT%H:%M:%S+24:00"),
    "hour 25": lambda t: t.strftime("%Y-%m-%dT25:%M:%SZ"),
    "nul inside": lambda t: t.strftime("%Y-%m-%dT%H:%M:%S\x00Z"),
    "week date": lambda t: t.strftime("%G-W%V-%uT%H:%M:%SZ"),
    "other digits": lambda t: browser_iso(t).replace("0", "\u0660"),
    "long": lambda t: browser_iso(t).replace("Z", "0" * 100 + "Z"),
    "year 1": "0001-01-01T00:00:00+01:00",
    "year 9999": "9999-12-31T23:59:59-01:00",
    "ten minutes ahead": lambda t: browser_iso(t + timedelta(minutes=10)),
    "25 hours ago": lambda t: browser_iso(t - timedelta(hours=25)),
}


@pytest.mark.parametrize("sent", BAD_TIMES.values(), ids=BAD_TIMES.keys())
def test_a_bad_scanned_at_is_a_400_that_checks_nobody_in_and_logs_nothing(client, app, auth, conference_id, sent):
    _, code = first_delegate(app, conference_id)
    before = fingerprint(app)
    value = sent(now()) if callable(sent) else sent
    answer = client.post("/api/checkins", json={"code": code, "nonce": "bad-time", "scanned_at": value},
                         headers=auth("door"))
    assert answer.status_code == 400
    error = answer.get_json()["error"]
    assert error["code"] == "invalid_scanned_at" and "scanned_at" in error["message"]
    assert fingerprint(app) == before  # no check-in, no version bump
    assert stored(app) == (None, [])  # not logged: the nonce stays free for a corrected resend
    resent = client.post("/api/checkins", json={"code": code, "nonce": "bad-time"}, headers=auth("door"))
    assert resent.status_code == 201


def test_a_replayed_nonce_gets_its_first_answer_even_when_its_time_has_become_too_old(
        client, app, auth, conference_id):
    _, code = first_delegate(app, conference_id)
    scanned = now() - timedelta(hours=3)
    first = client.post("/api/checkins", json={"code": code, "nonce": "scan-7", "scanned_at": browser_iso(scanned)},
                        headers=auth("door"))
    before = fingerprint(app)
    # The same scan resent (its answer was lost); the server's clock has moved on meanwhile.
    for later in (scanned, scanned - timedelta(days=2), now()):
        again = client.post("/api/checkins", json={"code": code, "nonce": "scan-7", "scanned_at": browser_iso(later)},
                            headers=auth("door"))
        assert (again.status_code, again.get_data()) == (first.status_code, first.get_data())
    assert fingerprint(app) == before
    checked_in_at, arrivals = stored(app)
    assert abs(checked_in_at - scanned) < timedelta(milliseconds=1) and len(arrivals) == 1


# --- A wrong tablet clock: scanned_at and sent_at from the same clock --------------------------

def tablet_clock(off_by: timedelta) -> datetime:
    """The tablet's clock now, to the millisecond as toISOString() gives it."""
    moment = now() + off_by
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


WRONG_CLOCKS = {"40 minutes slow": -timedelta(minutes=40), "3 hours fast": timedelta(hours=3),
                "2 days slow": -timedelta(days=2), "right": timedelta(0)}


@pytest.mark.parametrize("off_by", WRONG_CLOCKS.values(), ids=WRONG_CLOCKS.keys())
def test_a_scan_sent_10_seconds_after_it_was_made_counts_10_seconds_before_arrival_whatever_the_clock(
        client, app, auth, conference_id, off_by):
    delegate_id, code = first_delegate(app, conference_id)
    sent = tablet_clock(off_by)
    scanned = sent - timedelta(seconds=10)
    before = now()
    answer = client.post("/api/checkins", json={"code": code, "nonce": "wrong-clock", "scanned_at": browser_iso(scanned),
                                                "sent_at": browser_iso(sent)}, headers=auth("door"))
    after = now()
    assert answer.status_code == 201, answer.get_json()
    checked_in_at, arrivals = stored(app)
    assert before - timedelta(seconds=10) <= checked_in_at <= after - timedelta(seconds=10)
    assert datetime.fromisoformat(answer.get_json()["delegate"]["checked_in_at"]) == checked_in_at
    assert len(arrivals) == 1 and before <= arrivals[0] <= after  # the log still keeps the arrival


def test_a_clock_3_hours_fast_is_refused_alone_but_right_with_the_time_it_was_sent(client, app, auth, conference_id):
    _, code = first_delegate(app, conference_id)
    sent = tablet_clock(timedelta(hours=3))
    scanned = browser_iso(sent - timedelta(seconds=10))
    before = fingerprint(app)
    alone = client.post("/api/checkins", json={"code": code, "nonce": "fast-1", "scanned_at": scanned},
                        headers=auth("door"))
    assert alone.status_code == 400 and alone.get_json()["error"]["code"] == "invalid_scanned_at"
    assert fingerprint(app) == before and stored(app) == (None, [])
    asked = now()
    both = client.post("/api/checkins", json={"code": code, "nonce": "fast-1", "scanned_at": scanned,
                                              "sent_at": browser_iso(sent)}, headers=auth("door"))
    assert both.status_code == 201
    checked_in_at, _ = stored(app)
    assert asked - timedelta(seconds=10) <= checked_in_at <= now() - timedelta(seconds=10)


def test_the_two_times_may_have_different_offsets(client, app, auth, conference_id):
    _, code = first_delegate(app, conference_id)
    sent = tablet_clock(-timedelta(minutes=40))
    scanned = sent - timedelta(minutes=5)
    asked = now()
    answer = client.post("/api/checkins", json={"code": code, "scanned_at": browser_iso(scanned),
                                                "sent_at": sent.astimezone(HANOI).isoformat()}, headers=auth("door"))
    assert answer.status_code == 201
    checked_in_at, _ = stored(app)
    assert asked - timedelta(minutes=5) <= checked_in_at <= now() - timedelta(minutes=5)


def two_delegates(app, conference_id) -> list[tuple[int, str]]:
    with app.app_context():
        rows = db.session.execute(sa.select(Delegate.id, Delegate.badge_code)
                                  .where(Delegate.conference_id == conference_id).order_by(Delegate.id).limit(2)).all()
        db.session.rollback()
    return [tuple(row) for row in rows]


def test_a_scan_sent_the_moment_it_was_made_or_a_whole_day_later_is_taken(client, app, auth, conference_id):
    (_, first_code), (_, second_code) = two_delegates(app, conference_id)
    sent = tablet_clock(timedelta(hours=5))
    for code, waited in ((first_code, timedelta(0)), (second_code, timedelta(hours=24))):
        asked = now()
        answer = client.post("/api/checkins", json={"code": code, "scanned_at": browser_iso(sent - waited),
                                                    "sent_at": browser_iso(sent)}, headers=auth("door"))
        assert answer.status_code == 201
        at = datetime.fromisoformat(answer.get_json()["delegate"]["checked_in_at"])
        assert asked - waited <= at <= now() - waited


# How long the scan waited on the tablet (sent_at - scanned_at), by the tablet's own clock.
BAD_WAITS = {
    "sent a second before it was made": -timedelta(seconds=1),
    "sent a day before it was made": -timedelta(days=1),
    "sent 24 hours and a second later": timedelta(hours=24, seconds=1),
    "sent a week later": timedelta(days=7),
}


@pytest.mark.parametrize("waited", BAD_WAITS.values(), ids=BAD_WAITS.keys())
def test_a_scan_that_waited_less_than_nothing_or_over_a_day_is_a_400_that_changes_nothing(
        client, app, auth, conference_id, waited):
    _, code = first_delegate(app, conference_id)
    sent = tablet_clock(timedelta(0))  # a right clock: the wait alone is refused
    before = fingerprint(app)
    answer = client.post("/api/checkins", json={"code": code, "nonce": "bad-wait", "scanned_at": browser_iso(sent - waited),
                                                "sent_at": browser_iso(sent)}, headers=auth("door"))
    assert answer.status_code == 400 and answer.get_json()["error"]["code"] == "invalid_scanned_at"
    assert fingerprint(app) == before and stored(app) == (None, [])
    resent = client.post("/api/checkins", json={"code": code, "nonce": "bad-wait"}, headers=auth("door"))
    assert resent.status_code == 201  # as the door page does: sent again without the times


# A sent_at refused for its shape (the values that are well-formed times are not here: as
# sent_at they are refused, if at all, for the wait they make).
BAD_SHAPES = {name: value for name, value in BAD_TIMES.items()
              if name not in ("ten minutes ahead", "25 hours ago", "year 1", "year 9999")}


@pytest.mark.parametrize("with_scan", [True, False], ids=["with scanned_at", "alone"])
@pytest.mark.parametrize("sent", BAD_SHAPES.values(), ids=BAD_SHAPES.keys())
def test_a_bad_sent_at_is_a_400_that_changes_nothing(client, app, auth, conference_id, sent, with_scan):
    _, code = first_delegate(app, conference_id)
    before = fingerprint(app)
    body = {"code": code, "nonce": "bad-sent", "sent_at": sent(now()) if callable(sent) else sent}
    if with_scan:
        body["scanned_at"] = browser_iso(now() - timedelta(seconds=5))
    answer = client.post("/api/checkins", json=body, headers=auth("door"))
    assert answer.status_code == 400
    error = answer.get_json()["error"]
    assert error["code"] == "invalid_sent_at" and "sent_at" in error["message"]
    assert fingerprint(app) == before and stored(app) == (None, [])
    resent = client.post("/api/checkins", json={"code": code, "nonce": "bad-sent"}, headers=auth("door"))
    assert resent.status_code == 201


def test_sent_at_without_scanned_at_is_ignored_and_the_check_in_is_at_arrival(client, app, auth, conference_id):
    _, code = first_delegate(app, conference_id)
    before = now()
    answer = client.post("/api/checkins", json={"code": code, "sent_at": browser_iso(now() - timedelta(hours=3))},
                         headers=auth("door"))
    assert answer.status_code == 201
    checked_in_at, _ = stored(app)
    assert before <= checked_in_at <= now()


def test_a_replayed_nonce_gets_its_first_answer_whatever_times_come_with_it(client, app, auth, conference_id):
    _, code = first_delegate(app, conference_id)
    sent = tablet_clock(-timedelta(minutes=40))
    scanned = sent - timedelta(seconds=10)
    first = client.post("/api/checkins", json={"code": code, "nonce": "scan-8", "scanned_at": browser_iso(scanned),
                                               "sent_at": browser_iso(sent)}, headers=auth("door"))
    assert first.status_code == 201
    checked_in_at, _ = stored(app)
    before = fingerprint(app)
    resends = [  # resent later: the tablet's clock has moved on, or was set right, or the times were dropped
        {"scanned_at": browser_iso(scanned), "sent_at": browser_iso(sent + timedelta(minutes=3))},
        {"scanned_at": browser_iso(scanned), "sent_at": browser_iso(scanned - timedelta(hours=1))},
        {"scanned_at": browser_iso(scanned), "sent_at": browser_iso(scanned + timedelta(days=3))},
        {"scanned_at": browser_iso(scanned)},
        {"sent_at": browser_iso(now())},
        {},
    ]
    for times in resends:
        again = client.post("/api/checkins", json={"code": code, "nonce": "scan-8", **times}, headers=auth("door"))
        assert (again.status_code, again.get_data()) == (first.status_code, first.get_data()), times
    assert fingerprint(app) == before
    at, arrivals = stored(app)
    assert at == checked_in_at and len(arrivals) == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_attendance_export_shows_the_time_of_the_scan(admin_client, app, auth, conference_id, fmt):
    from openpyxl import load_workbook
    delegate_id, code = first_delegate(app, conference_id)
    scanned = (now() - timedelta(hours=3, minutes=17)).replace(second=5, microsecond=0)
    assert admin_client.post("/api/checkins", json={"code": code, "device": "Cửa 3", "scanned_at": browser_iso(scanned)},
                             headers=auth("door")).status_code == 201
    local = scanned.astimezone(HANOI).replace(tzinfo=None)
    data = admin_client.get(f"/admin/exports/attendance.{fmt}").data
    if fmt == "csv":
        rows = [r for r in csv.reader(io.StringIO(data.decode("utf-8-sig"))) if r[5] == "Có mặt"]
        assert [r[6:] for r in rows] == [[f"{local:%d/%m/%Y %H:%M}", "Cửa 3"]]
    else:
        sheet = load_workbook(io.BytesIO(data)).worksheets[0]
        rows = [r for r in sheet.iter_rows(values_only=True) if r[5] == "Có mặt"]
        assert [r[6:8] for r in rows] == [(local, "Cửa 3")]


any_time = st.one_of(st.text(max_size=60),
                     st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                                  timezones=st.timezones() | st.none()).map(datetime.isoformat),
                     st.integers(min_value=-90_000, max_value=90_000).map(
                         lambda seconds: browser_iso(now() + timedelta(seconds=seconds))))


def nobody_checked_in(app) -> None:
    with app.app_context():  # each example starts from nobody checked in
        db.session.execute(sa.delete(CheckIn))
        db.session.commit()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scanned=any_time, sent=st.none() | any_time)
def test_any_scanned_at_and_sent_at_are_taken_within_a_day_before_now_or_refused_without_a_5xx(
        client, app, auth, conference_id, scanned, sent):
    _, code = first_delegate(app, conference_id)
    nobody_checked_in(app)
    before = fingerprint(app)
    asked = now()
    answer = client.post("/api/checkins", json={"code": code, "scanned_at": scanned, "sent_at": sent},
                         headers=auth("door"))
    if answer.status_code == 201:
        checked_in_at, _ = stored(app)
        assert asked - timedelta(hours=24) <= checked_in_at <= now()
    else:
        assert answer.status_code == 400, (scanned, sent)
        assert answer.get_json()["error"]["code"] in ("invalid_scanned_at", "invalid_sent_at"), (scanned, sent)
        assert fingerprint(app) == before


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(off_by=st.integers(min_value=-10**9, max_value=10**9).map(lambda s: timedelta(seconds=s)),  # ±30 years
       waited=st.integers(min_value=-3_600_000, max_value=30 * 3_600_000).map(lambda ms: timedelta(milliseconds=ms)),
       zone=st.timezones())
def test_however_wrong_the_clock_the_check_in_is_the_wait_before_arrival_or_refused(
        client, app, auth, conference_id, off_by, waited, zone):
    _, code = first_delegate(app, conference_id)
    nobody_checked_in(app)
    before = fingerprint(app)
    sent = tablet_clock(off_by).astimezone(zone)
    asked = now()
    answer = client.post("/api/checkins", json={"code": code, "scanned_at": browser_iso(sent - waited),
                                                "sent_at": sent.isoformat(timespec="milliseconds")},
                         headers=auth("door"))
    if timedelta(0) <= waited <= timedelta(hours=24):
        assert answer.status_code == 201, answer.get_json()
        checked_in_at, _ = stored(app)
        assert asked - waited <= checked_in_at <= now() - waited
    else:
        assert answer.status_code == 400 and answer.get_json()["error"]["code"] == "invalid_scanned_at"
        assert fingerprint(app) == before
