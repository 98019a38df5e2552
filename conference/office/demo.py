"""The demo conference: the An Tân ward plan, loaded into an empty database."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from conference.checkin.roster import SeatBook, new_delegate, validate_fields
from conference.core.db import db, write_transaction
from conference.core.models import (AgendaItem, AgendaStep, AwardDecision, AwardForm, Candidate, Conference,
                                    DelegateGroup, Honouree, HonoureeKind, ItemKind)
from conference.core.state import show_state
from conference.seating.hall import parse_spec, replace_seats

DEMO_FILE = Path(__file__).resolve().parent.parent / "demo" / "an-tan.json"


def load_demo_if_empty() -> int | None:
    """Load the demo when there is no conference at all; returns its id, or None if skipped."""
    if db.session.scalar(sa.select(Conference.id).limit(1)) is not None:
        return None
    return load_conference(json.loads(DEMO_FILE.read_text(encoding="utf-8")))


def load_conference(data: dict) -> int:
    with write_transaction() as session:
        info = dict(data["conference"])
        info["date"] = date.fromisoformat(info["date"]) if info.get("date") else None
        conference = Conference(**info)
        session.add(conference)
        session.flush()
        groups = _load_groups(session, conference, data["groups"])
        book = None
        if data.get("hall"):  # the ward's meeting room, before anyone is given a seat in it
            hall = data["hall"]
            replace_seats(session, conference.id, parse_spec(hall["presidium"], hall["secretariat"], hall["blocks"]))
            session.flush()
            book = SeatBook(conference.id)  # read once, not for each delegate
        delegates = {}
        for row in data["delegates"]:
            fields = validate_fields(row["full_name"], row.get("position"), row.get("unit"), row.get("seat"),
                                     row.get("honorific"))
            delegates[fields["full_name"]] = new_delegate(session, conference.id, fields, groups[row["group"]],
                                                          seats=book)
        _load_agenda(session, conference, data["agenda"])
        _load_awards(session, conference, data, delegates)
        for number, row in enumerate(data.get("candidates", []), start=1):
            delegate = delegates.get(row["full_name"])
            session.add(Candidate(conference_id=conference.id, position=number, full_name=row["full_name"],
                                  title=delegate.position if delegate else None,
                                  unit=delegate.unit if delegate else None,
                                  delegate_id=delegate.id if delegate else None))
        show_state(conference.id)
    return conference.id


def _load_groups(session, conference, rows) -> dict[str, DelegateGroup]:
    groups = {}
    for number, row in enumerate(rows, start=1):
        group = DelegateGroup(conference_id=conference.id, position=number, name=row["name"], color=row["color"])
        session.add(group)
        groups[row["name"]] = group
    session.flush()
    return groups


def _load_agenda(session, conference, rows) -> None:
    for number, row in enumerate(rows, start=1):
        item = AgendaItem(conference_id=conference.id, position=number, title=row["title"],
                          presenter=row.get("presenter"), planned_minutes=row.get("planned_minutes"),
                          kind=ItemKind(row.get("kind", "normal")), script=row.get("script"))
        item.steps = [AgendaStep(position=index, title=step["title"], presenter=step.get("presenter"),
                                 planned_minutes=step.get("planned_minutes"))
                      for index, step in enumerate(row.get("steps", []), start=1)]
        session.add(item)


def _load_awards(session, conference, data, delegates) -> None:
    forms = {}
    for row in data.get("award_forms", []):
        forms[row["name"]] = AwardForm(conference_id=conference.id, name=row["name"], rank=row["rank"],
                                       kind=row.get("kind", "form"))
        session.add(forms[row["name"]])
    session.flush()
    for number, row in enumerate(data.get("decisions", []), start=1):
        decision = AwardDecision(conference_id=conference.id, position=number, number=row["number"],
                                 signed_on=date.fromisoformat(row["signed_on"]) if row.get("signed_on") else None,
                                 issuer=row["issuer"], form=forms[row["form"]], reason=row.get("reason"))
        decision.honourees = [
            Honouree(position=index, kind=HonoureeKind(h["kind"]), name=h["name"], unit=h.get("unit"),
                     citation=h.get("citation"),
                     delegate_id=delegates[h["delegate"]].id if h.get("delegate") else None)
            for index, h in enumerate(row["honourees"], start=1)]
        session.add(decision)
