"""The life of a conference: the list, the active one, a new one (empty, from a template or a copy
of an earlier one), and the reset of the day after a rehearsal."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

import sqlalchemy as sa

from conference.checkin.roster import new_delegate
from conference.core.db import db, is_id, write_transaction
from conference.core.errors import N_, ConferenceError, Conflict, NotFound
from conference.core.fields import bounded_text
from conference.core.models import (AgendaItem, AgendaStep, AwardDecision, AwardForm, AwardPresentation, CheckIn,
                                    Conference, Delegate, DelegateGroup, Honouree, ItemKind, Scan, ScreenMode,
                                    Vote)
from conference.core.state import bump_version, default_conference_id, show_state
from conference.seating.hall import replace_seats, spec_of
from conference.me.phones import release_all_phones
from conference.speakers.queue import forget_requests
from conference.show.runs import forget_runs
from .conference_templates import templates
from .demo import DEMO_FILE


@dataclass(frozen=True)
class ConferenceRow:
    id: int
    title: str
    date: object
    active: bool
    delegates: int
    present: int


def conferences() -> list[ConferenceRow]:
    """Every conference of the install, newest first, the active one marked."""
    active = default_conference_id()
    delegates = (sa.select(sa.func.count()).where(Delegate.conference_id == Conference.id)
                 .correlate(Conference).scalar_subquery())
    present = (sa.select(sa.func.count()).where(CheckIn.conference_id == Conference.id)
               .correlate(Conference).scalar_subquery())
    rows = db.session.execute(sa.select(Conference.id, Conference.title, Conference.date, delegates, present)
                              .order_by(Conference.id.desc())).all()
    return [ConferenceRow(cid, title, day, cid == active, count, here) for cid, title, day, count, here in rows]


@dataclass(frozen=True)
class Choice:
    id: int
    title: str
    active: bool


def choices() -> list[Choice]:
    """The conferences the office can work on, newest first, the active one marked: the chooser
    of every office page (office/frame.py)."""
    active = default_conference_id()
    rows = db.session.execute(sa.select(Conference.id, Conference.title).order_by(Conference.id.desc())).all()
    return [Choice(cid, title, cid == active) for cid, title in rows]


@lru_cache(maxsize=1)
def _demo_title() -> str:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))["conference"]["title"]


def only_the_demo() -> bool:
    """True on a first start: the demo is the one conference, so the office is offered its own."""
    titles = list(db.session.scalars(sa.select(Conference.title).limit(2)))
    return len(titles) == 1 and titles[0] == _demo_title()


def existing(conference_id: object) -> int:
    """conference_id if it is one of this install's conferences; refused otherwise."""
    if not is_id(conference_id) or db.session.get(Conference, conference_id) is None:
        raise NotFound("unknown_conference", "Không tìm thấy hội nghị.")
    return conference_id


def show_running(conference_id: int) -> bool:
    """The run-of-show has started and not reached its end (the MC is on an item)."""
    return show_state(conference_id).current_position is not None


def activate(conference_id: object, force: bool = False) -> int:
    """Make one conference the one every screen and device serves. Refused while the show of the
    active one is running, unless forced. Screens follow at once (blueprints call
    realtime.follow_active_conference; other processes within one watch round)."""
    target = existing(conference_id)
    current = default_conference_id()
    if current != target and show_running(current) and not force:
        raise Conflict("show_running", "Chương trình của hội nghị đang hoạt động đang chạy; "
                                         "dùng “buộc” (--force) nếu thật sự muốn chuyển.")
    with write_transaction() as session:
        session.execute(sa.update(Conference).where(Conference.id != target).values(active=False))
        session.execute(sa.update(Conference).where(Conference.id == target).values(active=True))
        bump_version(target)
    return target


# --- a new conference --------------------------------------------------------------------

def template_names() -> dict[str, str]:
    """name -> title of each template, in the order offered."""
    return {name: plan["title"] for name, plan in templates().items()}


def create_conference(title: object, template: str | None = None, copy_from: object = None) -> int:
    """A new conference, not active yet: empty, from a template, or a copy of an earlier one."""
    text = bounded_text(title, 300, N_("Tên hội nghị"), required=True)
    if template and copy_from:
        raise ConferenceError("invalid_source", "Chọn một mẫu hoặc một hội nghị để sao chép, không cả hai.")
    plan = None
    if template:
        plan = templates().get(template)
        if plan is None:
            raise NotFound("unknown_template", "Không có mẫu hội nghị này.")
    source = existing(copy_from) if copy_from is not None else None
    with write_transaction() as session:
        conference = Conference(title=text)
        session.add(conference)
        session.flush()
        if plan:
            _from_plan(session, conference.id, plan)
        elif source:
            _copy(session, source, conference)
        show_state(conference.id)
    return conference.id


def _from_plan(session, conference_id: int, plan: dict) -> None:
    for number, row in enumerate(plan["groups"], start=1):
        session.add(DelegateGroup(conference_id=conference_id, position=number, name=row["name"], color=row["color"]))
    for number, row in enumerate(plan["agenda"], start=1):
        session.add(AgendaItem(conference_id=conference_id, position=number, title=row["title"],
                               planned_minutes=row.get("planned_minutes"), kind=ItemKind(row["kind"]),
                               script=row.get("script")))
    for row in plan.get("award_forms", []):
        session.add(AwardForm(conference_id=conference_id, name=row["name"], rank=row["rank"], kind=row["kind"]))


def _copy(session, source_id: int, conference: Conference) -> None:
    """Groups, delegates (each with a new badge code), agenda, steps, scripts and award forms;
    never check-ins, times or outcomes."""
    old = session.get(Conference, source_id)
    for field in ("edition", "period", "organiser", "parent_organiser", "place_name", "venue", "starts_at",
                  "chair", "secretary", "award_batch_size", "quorum_rule", "vote_rule"):
        setattr(conference, field, getattr(old, field))
    groups = {}
    for group in old.groups:
        groups[group.id] = DelegateGroup(conference_id=conference.id, position=group.position,
                                         name=group.name, color=group.color)
        session.add(groups[group.id])
    session.flush()
    replace_seats(session, conference.id, spec_of(source_id))  # the hall first: the delegates' seats are in it
    for delegate in session.scalars(sa.select(Delegate).where(Delegate.conference_id == source_id,
                                                             Delegate.walk_in.is_(False)).order_by(Delegate.id)):
        fields = {key: getattr(delegate, key) for key in ("full_name", "position", "unit", "seat", "honorific")}
        new_delegate(session, conference.id, fields, groups.get(delegate.group_id))
    for item in old.agenda:
        copy = AgendaItem(conference_id=conference.id, position=item.position, title=item.title,
                          presenter=item.presenter, planned_minutes=item.planned_minutes, kind=item.kind,
                          script=item.script)
        copy.steps = [AgendaStep(position=s.position, title=s.title, presenter=s.presenter,
                                 planned_minutes=s.planned_minutes) for s in item.steps]
        session.add(copy)
    for form in session.scalars(sa.select(AwardForm).where(AwardForm.conference_id == source_id)):
        session.add(AwardForm(conference_id=conference.id, name=form.name, rank=form.rank, kind=form.kind))


# --- the reset after a rehearsal -----------------------------------------------------------

def reset_day(conference_id: object, force: bool = False, backup=None) -> dict[str, int]:
    """Clear what the day recorded: check-ins, scans, the show's times and cursor, the message,
    award outcomes, the vote, the phones holding delegates' pages and the requests to speak. Set-up, delegates and badge codes stay. Refused while the show
    runs unless forced; BACKUP() is called first (a copy of what is cleared). One version bump,
    so every screen gets the reset state in one publish."""
    target = existing(conference_id)
    if show_running(target) and not force:
        raise Conflict("show_running", "Chương trình đang chạy; dùng “buộc” (--force) nếu thật sự muốn đặt lại.")
    db.session.rollback()
    if backup is not None:
        backup()
    honourees = (sa.select(Honouree.id).join(AwardDecision)
                 .where(AwardDecision.conference_id == target).scalar_subquery())
    items = sa.select(AgendaItem.id).where(AgendaItem.conference_id == target).scalar_subquery()
    with write_transaction() as session:
        cleared = {
            "checkins": session.execute(sa.delete(CheckIn).where(CheckIn.conference_id == target)).rowcount,
            "scans": session.execute(sa.delete(Scan).where(Scan.conference_id == target)).rowcount,
            "presentations": session.execute(sa.delete(AwardPresentation)
                                             .where(AwardPresentation.honouree_id.in_(honourees))).rowcount,
            "votes": session.execute(sa.delete(Vote).where(Vote.conference_id == target)).rowcount,
            "runs": forget_runs(target),
            # A rehearsal's phones (staff trying delegates' pages) must not keep the badges' pages.
            "phones": release_all_phones(session, target, "reset"),
            # A rehearsal's requests to speak: the day's queue and the minutes' turns start empty.
            "speakers": forget_requests(session, target),
        }
        session.execute(sa.update(AgendaItem).where(AgendaItem.conference_id == target)
                        .values(started_at=None, ended_at=None))
        session.execute(sa.update(AgendaStep).where(AgendaStep.item_id.in_(items))
                        .values(started_at=None, ended_at=None))
        state = show_state(target)
        state.current_position = state.current_step = state.award_index = state.message = None
        state.award_reveal, state.screen = False, ScreenMode.LIVE
        bump_version(target)
    return cleared
