"""What is kept of a vote: a secret vote's tables cannot be joined back to its delegates (two days
where two delegates swap their choices leave the same database); an open vote's named list; the
minutes read back with every vote, its method, present, counts and outcome."""
from __future__ import annotations

import io
import shutil

import openpyxl
import sqlalchemy as sa
from docx import Document

from conference.core.db import Base, UTCDateTime, db
from conference.core.models import AuditEntry, VoteBallot, VoteChoice, VoteVoter
from tests.conftest import _close, _test_app, bearer
from tests.votes.helpers import ballot, check_in, delegates, open_vote, voter


def a_secret_vote(app, conference_id, auth, swapped: bool) -> int:
    """Two delegates in, a secret vote; the first ticks "Tán thành" and the second "Không tán
    thành", or the other way round; closed."""
    client = app.test_client()
    people = delegates(app, conference_id, 2)
    check_in(app, conference_id, [d for d, _ in people])
    vote = open_vote(client, auth, secret=True)
    for (_, code), choice in zip(people, (2, 1) if swapped else (1, 2)):
        assert ballot(voter(app, code), vote["id"], choice).status_code == 201
    assert client.post(f"/api/votes/{vote['id']}/close", headers=auth("mc")).status_code == 200
    return vote["id"]


def stored(app) -> dict[str, list[tuple]]:
    """Every row of every table, but for times and random secrets (hashes), which no choice sets."""
    dump = {}
    with app.app_context():
        for table in Base.metadata.sorted_tables:
            kept = [c for c in table.columns if not isinstance(c.type, (sa.DateTime, UTCDateTime)) and "hash" not in c.name
                    and (table.name, c.name) != ("scan", "response")]  # the door's answer holds its time
            dump[table.name] = sorted(map(tuple, db.session.execute(sa.select(*kept)).all()), key=repr)
    return dump


def test_a_secret_vote_keeps_nothing_that_links_a_choice_to_a_delegate(app, auth, conference_id, tmp_path,
                                                                       first_start_database):
    vote_id = a_secret_vote(app, conference_id, auth, swapped=False)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(VoteBallot)) == 0
        voter_columns = {c.name for c in VoteVoter.__table__.columns}
        choice_columns = {c.name for c in VoteChoice.__table__.columns}
        assert voter_columns == {"vote_id", "delegate_id"}  # no id, no time: no order to set beside a tally
        assert not choice_columns & {"delegate_id", "voter", "cast_at", "recorded_at"}
        assert [c.count for c in db.session.scalars(sa.select(VoteChoice).where(VoteChoice.vote_id == vote_id)
                                                    .order_by(VoteChoice.position))] == [1, 1, 0]
        ballots = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action.like("ballot.%"))).all()
        assert ballots == []  # a phone writes no audit entry either
    # The same day with the two choices swapped leaves every table as it was.
    other_folder = tmp_path / "swapped"
    other_folder.mkdir()
    shutil.copyfile(first_start_database, other_folder / "test.db")
    other = _test_app(other_folder)
    try:
        from conference.accounts.devices import create_device
        from conference.core.models import Role
        with other.app_context():
            made = {role.value: create_device(conference_id, role, f"{role.value} test").token for role in Role}
        a_secret_vote(other, conference_id, lambda role: bearer(made[role]), swapped=True)
        mine, theirs = stored(app), stored(other)
        assert [(name, set(mine[name]) ^ set(theirs[name])) for name in mine if mine[name] != theirs[name]] == []
        assert mine["vote_voter"] and mine["vote_choice"]  # the dump sees the votes' rows
    finally:
        _close(other)


def test_an_open_vote_has_a_named_list_and_a_secret_one_has_none(app, client, auth, conference_id, admin_client):
    people = delegates(app, conference_id, 3)
    check_in(app, conference_id, [d for d, _ in people])
    vote = open_vote(client, auth)
    for (_, code), choice in zip(people[:2], (1, 3)):
        ballot(voter(app, code), vote["id"], choice)
    client.post(f"/api/votes/{vote['id']}/close", headers=auth("mc"))
    answer = admin_client.get(f"/admin/votes/{vote['id']}/named.xlsx")
    assert answer.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(answer.data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=6)]
    with app.app_context():
        from conference.core.models import Delegate
        names = {db.session.get(Delegate, d).full_name: d for d, _ in people}
    chosen = {row[1]: row[4] for row in rows}
    assert chosen == {name: choice for name, choice in zip(list(names)[:2], ("Tán thành", "Không biểu quyết"))}
    secret = open_vote(client, auth, secret=True)
    refused = admin_client.get(f"/admin/votes/{secret['id']}/named.xlsx")
    assert refused.status_code == 409 and "Biểu quyết kín" in refused.get_data(as_text=True)
    assert admin_client.get("/admin/votes/999999/named.xlsx").status_code == 404
    client.post(f"/api/votes/{secret['id']}/close", headers=auth("mc"))
    papers = admin_client.get("/admin/papers").get_data(as_text=True)  # where the office finds the lists
    assert f"/admin/votes/{vote['id']}/named.xlsx" in papers and f"/admin/votes/{secret['id']}/" not in papers


def test_the_minutes_record_every_vote_in_order(app, client, auth, conference_id, admin_client):
    people = delegates(app, conference_id, 4)
    check_in(app, conference_id, [d for d, _ in people])
    hands = open_vote(client, auth, question="Thông qua chương trình hội nghị", method="hands")
    client.post(f"/api/votes/{hands['id']}/hands", json={"counts": {"Tán thành": 4}}, headers=auth("mc"))
    client.post(f"/api/votes/{hands['id']}/close", headers=auth("mc"))
    phones = open_vote(client, auth, question="Bầu danh sách", candidates=True, max_choices=1, secret=True)
    for _, code in people[:3]:
        ballot(voter(app, code), phones["id"], 1)
    closed = client.post(f"/api/votes/{phones['id']}/close", headers=auth("mc")).get_json()
    elected = closed["outcome"]["elected"][0]
    document = Document(io.BytesIO(admin_client.get("/admin/exports/minutes.docx").data))
    text = "\n".join(p.text for p in document.paragraphs)
    first, second = text.index("Thông qua chương trình hội nghị"), text.index("Bầu danh sách")
    assert first < second
    assert "Biểu quyết: Thông qua chương trình hội nghị (hình thức: giơ tay)." in text
    assert "– tán thành 4/4 đại biểu có mặt (đạt 100,0%)." in text
    assert "Kết quả biểu quyết: tán thành (quá nửa số đại biểu có mặt) – thông qua." in text
    assert "(hình thức: bỏ phiếu trên điện thoại, kín)" in text and "Số đại biểu có mặt: 4, 3 người đã biểu quyết." in text
    assert f"– {elected}: 3/4 đại biểu có mặt (đạt 75,0%)." in text
    assert f"trúng cử (quá nửa số đại biểu có mặt): {elected}." in text


def test_a_secret_vote_s_close_leaves_no_order_of_its_ballots_in_the_write_ahead_log(app, auth, conference_id,
                                                                                    tmp_path):
    """While open, SQLite's log keeps each ballot's pages in the order cast; the close empties it."""
    log = tmp_path / "test.db-wal"
    a_secret_vote(app, conference_id, auth, swapped=False)
    assert log.exists() and log.stat().st_size == 0


def test_an_open_vote_s_close_leaves_the_log_to_sqlite(app, client, auth, conference_id, tmp_path):
    """Only a secret vote's close forces the checkpoint: an open vote keeps its named ballots anyway."""
    people = delegates(app, conference_id, 1)
    check_in(app, conference_id, [d for d, _ in people])
    vote = open_vote(client, auth)
    assert ballot(voter(app, people[0][1]), vote["id"], 1).status_code == 201
    assert client.post(f"/api/votes/{vote['id']}/close", headers=auth("mc")).status_code == 200
    assert (tmp_path / "test.db-wal").stat().st_size > 0
