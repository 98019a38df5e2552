"""A short day set up through the domain functions, for the papers made after it (the conclusion
notice, the counting record): six delegates checked in, item 1 running, one delegate's turn at the
lectern, a show of hands on a question and an election on phones, both closed."""
from __future__ import annotations

import io

import sqlalchemy as sa
from docx import Document

from conference.core.db import db
from conference.core.models import AgendaItem, Delegate, DelegatePhone

from tests.me.helpers import phone

SUBJECT = "Về công tác an ninh trật tự"
QUESTION = "Thông qua nghị quyết hội nghị"
ELECTION = "Bầu đại biểu đi dự hội nghị cấp trên"


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [" | ".join(cell.text for cell in row.cells) for table in document.tables for row in table.rows]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def set_up_the_day(app, client, auth, conference_id) -> dict:
    from conference.show import moves
    from conference.speakers import queue
    from conference.votes import ballots, record
    with app.app_context():
        rows = list(db.session.scalars(sa.select(Delegate).where(Delegate.conference_id == conference_id)
                                       .order_by(Delegate.id).limit(6)))
        people = [(d.id, d.badge_code, d.full_name) for d in rows]
        first_item = db.session.scalar(sa.select(AgendaItem.title).where(AgendaItem.conference_id == conference_id,
                                                                         AgendaItem.position == 1))
    for delegate_id, _, _ in people:
        assert client.post("/api/checkins", json={"delegate_id": delegate_id}, headers=auth("door")).status_code == 201
    phone(app, people[0][1])  # the first delegate opens /me: the phone they ask from
    with app.app_context():
        moves.next_item(conference_id)  # item 1 runs
        queue.set_requests_open(conference_id, True)
        their_phone = db.session.scalar(sa.select(DelegatePhone).where(DelegatePhone.delegate_id == people[0][0]))
        turn = queue.ask(their_phone, SUBJECT).id
        queue.call(conference_id, turn)
        queue.end_turn(conference_id, turn)
        question = record.open_vote(conference_id, {"question": QUESTION, "method": "hands"}).id
        record.enter_hands(conference_id, question, {"Tán thành": 5, "Không tán thành": 1})
        record.close_vote(conference_id, question)
        election = record.open_vote(conference_id, {"question": ELECTION, "method": "phones", "candidates": True,
                                                    "max_choices": 2})
        election_id, candidates = election.id, [c.label for c in election.choices]
        for number, (delegate_id, _, _) in enumerate(people[:5]):  # five of six cast: 4, 4, 1
            ballots.cast_ballot(conference_id, delegate_id, election_id, [1, 2] if number < 4 else [3])
        record.close_vote(conference_id, election_id)
    return {"first_item": first_item, "speaker": people[0][2], "question": question, "election": election_id,
            "candidates": candidates}
