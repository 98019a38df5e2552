"""Typed models. Everything hangs off a conference so one database can hold several."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .db import Base, UTCDateTime, utcnow


def _enum(kind: type[enum.Enum]) -> sa.Enum:
    """Enums are stored by value as plain strings (portable, readable in SQL)."""
    return sa.Enum(kind, values_callable=lambda e: [m.value for m in e], native_enum=False,
                   validate_strings=True, length=24)


class Role(str, enum.Enum):
    ADMIN = "admin"
    MC = "mc"
    DOOR = "door"
    DISPLAY = "display"
    BUTTON = "button"  # a button box: presses the show through its own press addresses only (show/press.py)


class AccountRole(str, enum.Enum):
    """What a named office account may do (a device's Role is separate: see accounts/guards.py)."""
    ADMINISTRATOR = "administrator"  # everything, accounts included
    STAFF = "staff"  # set-up, delegates, papers: all of /admin but the accounts
    SECRETARY = "secretary"  # reads the office pages (the minutes' notes will be theirs)


class ItemKind(str, enum.Enum):
    FLAG = "flag"
    NORMAL = "normal"
    TALKS = "talks"
    AWARDS = "awards"
    VOTE = "vote"
    CLOSING = "closing"


class HonoureeKind(str, enum.Enum):
    INDIVIDUAL = "individual"
    COLLECTIVE = "collective"


class ScreenMode(str, enum.Enum):
    LIVE = "live"
    STANDBY = "standby"
    BLACKOUT = "blackout"


class Conference(Base):
    __tablename__ = "conference"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    edition: Mapped[Optional[str]] = mapped_column(sa.String(100))
    period: Mapped[Optional[str]] = mapped_column(sa.String(50))
    organiser: Mapped[Optional[str]] = mapped_column(sa.String(200))
    parent_organiser: Mapped[Optional[str]] = mapped_column(sa.String(200))
    place_name: Mapped[Optional[str]] = mapped_column(sa.String(100))
    venue: Mapped[Optional[str]] = mapped_column(sa.String(200))
    date: Mapped[Optional[date]] = mapped_column(sa.Date)
    starts_at: Mapped[Optional[str]] = mapped_column(sa.String(5))  # "07:30", local time
    chair: Mapped[Optional[str]] = mapped_column(sa.String(120))
    secretary: Mapped[Optional[str]] = mapped_column(sa.String(120))
    award_batch_size: Mapped[int] = mapped_column(default=6)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The one the door, MC and screens serve now (office/lifecycle.py keeps it to one at most).
    active: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Who must be present for the conference to be valid (checkin/quorum.py): more than half of
    # those summoned, or two thirds.
    quorum_rule: Mapped[str] = mapped_column(sa.String(24), default="more_than_half",
                                             server_default="more_than_half")
    # What a vote needs to pass (votes/results.py): more than half of those present, or two thirds.
    vote_rule: Mapped[str] = mapped_column(sa.String(24), default="more_than_half", server_default="more_than_half")

    groups: Mapped[list["DelegateGroup"]] = relationship(
        back_populates="conference", order_by="DelegateGroup.position", cascade="all, delete-orphan")
    agenda: Mapped[list["AgendaItem"]] = relationship(
        back_populates="conference", order_by="AgendaItem.position", cascade="all, delete-orphan")


class DelegateGroup(Base):
    """A "Thành phần" of the plan, in protocol order."""
    __tablename__ = "delegate_group"
    __table_args__ = (sa.UniqueConstraint("conference_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(200))
    color: Mapped[str] = mapped_column(sa.String(7), default="#b71c1c")
    conference: Mapped[Conference] = relationship(back_populates="groups")


class Delegate(Base):
    __tablename__ = "delegate"
    # Never two delegates on one seat (several may have none: NULLs are distinct).
    __table_args__ = (sa.Index("uq_delegate_seat", "conference_id", "seat", unique=True),)
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("delegate_group.id", ondelete="SET NULL"))
    full_name: Mapped[str] = mapped_column(sa.String(120))  # exactly as written (NFC)
    search_key: Mapped[str] = mapped_column(sa.String(400), index=True)  # folded name + unit + code
    position: Mapped[Optional[str]] = mapped_column(sa.String(200))
    unit: Mapped[Optional[str]] = mapped_column(sa.String(200))
    seat: Mapped[Optional[str]] = mapped_column(sa.String(20))  # a Seat's code; one delegate a seat
    badge_code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    walk_in: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    honorific: Mapped[Optional[str]] = mapped_column(sa.String(20))  # danh xưng: Đồng chí, Ông, Bà or none
    # Why someone summoned is away (checkin/quorum.py): "excused", "unexcused" or not known; kept
    # after a late check-in, when it no longer counts.
    absence_reason: Mapped[Optional[str]] = mapped_column(sa.String(16))
    absence_note: Mapped[Optional[str]] = mapped_column(sa.String(200))

    group: Mapped[Optional[DelegateGroup]] = relationship(lazy="joined")
    checkin: Mapped[Optional["CheckIn"]] = relationship(back_populates="delegate", uselist=False,
                                                        passive_deletes=True)


class Badge(Base):
    """Every code ever issued; reissuing revokes the old one so it is refused, not unknown."""
    __tablename__ = "badge"
    code: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    delegate_id: Mapped[int] = mapped_column(sa.ForeignKey("delegate.id", ondelete="CASCADE"), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)


class CheckIn(Base):
    """At most one per delegate: the unique key is what makes concurrent doors count once."""
    __tablename__ = "checkin"
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    delegate_id: Mapped[int] = mapped_column(sa.ForeignKey("delegate.id", ondelete="CASCADE"), unique=True)
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    device: Mapped[Optional[str]] = mapped_column(sa.String(80))
    delegate: Mapped[Delegate] = relationship(back_populates="checkin")


class Scan(Base):
    """The log of every scan and undo, refused ones included; the nonce makes retries harmless."""
    __tablename__ = "scan"
    __table_args__ = (sa.UniqueConstraint("conference_id", "nonce"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    device: Mapped[Optional[str]] = mapped_column(sa.String(80))
    nonce: Mapped[Optional[str]] = mapped_column(sa.String(64))
    code: Mapped[Optional[str]] = mapped_column(sa.String(64))  # as scanned, cut to 64 characters
    delegate_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("delegate.id", ondelete="SET NULL"))
    outcome: Mapped[str] = mapped_column(sa.String(32))
    status: Mapped[int] = mapped_column(default=200)  # the HTTP status first answered
    response: Mapped[Optional[str]] = mapped_column(sa.Text)  # the first answer, as JSON


class AgendaItem(Base):
    __tablename__ = "agenda_item"
    __table_args__ = (sa.UniqueConstraint("conference_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(300))
    presenter: Mapped[Optional[str]] = mapped_column(sa.String(200))
    planned_minutes: Mapped[Optional[int]]
    kind: Mapped[ItemKind] = mapped_column(_enum(ItemKind), default=ItemKind.NORMAL)
    script: Mapped[Optional[str]] = mapped_column(sa.Text)
    started_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    started_by: Mapped[Optional[str]] = mapped_column(sa.String(80))  # the device that started it
    ended_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    notes: Mapped[Optional[str]] = mapped_column(sa.Text)  # the secretary's: what was said and decided

    conference: Mapped[Conference] = relationship(back_populates="agenda")
    steps: Mapped[list["AgendaStep"]] = relationship(
        back_populates="item", order_by="AgendaStep.position", cascade="all, delete-orphan")


class AgendaStep(Base):
    """A sub-step inside an item: one tham luận speaker, one awards batch."""
    __tablename__ = "agenda_step"
    __table_args__ = (sa.UniqueConstraint("item_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_item.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(300))
    presenter: Mapped[Optional[str]] = mapped_column(sa.String(200))
    planned_minutes: Mapped[Optional[int]]
    started_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    started_by: Mapped[Optional[str]] = mapped_column(sa.String(80))  # the device that started it
    ended_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    item: Mapped[AgendaItem] = relationship(back_populates="steps")


class ShowRun(Base):
    """One stretch of time the show stood on an item (step_id None) or on one of its steps.

    The run-of-show log the minutes and the live timers read: an item run again after a go-to
    back has a second run instead of one stretch that swallows the items between, so no two runs
    ever overlap, and its timer counts its runs. The rows' own started_at / ended_at are kept as
    their summary (first start, last end).
    """
    __tablename__ = "show_run"
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_item.id", ondelete="CASCADE"))
    step_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("agenda_step.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    started_by: Mapped[Optional[str]] = mapped_column(sa.String(80))  # the device that started it


class ShowState(Base):
    """The live state of the day. Its version grows with every committed change of any kind."""
    __tablename__ = "show_state"
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"),
                                               primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    current_position: Mapped[Optional[int]]
    current_step: Mapped[Optional[int]]
    award_index: Mapped[Optional[int]]  # index into the calling order; None = not started
    award_reveal: Mapped[bool] = mapped_column(default=False)  # names shown after the decision
    message: Mapped[Optional[str]] = mapped_column(sa.String(500))
    moved_by: Mapped[Optional[str]] = mapped_column(sa.String(80))  # the device that last moved a cursor
    screen: Mapped[ScreenMode] = mapped_column(_enum(ScreenMode), default=ScreenMode.LIVE)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AwardForm(Base):
    """The catalogue of forms and titles: data with a rank, since the law changes."""
    __tablename__ = "award_form"
    __table_args__ = (sa.UniqueConstraint("conference_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    rank: Mapped[int]  # higher is presented first
    kind: Mapped[str] = mapped_column(sa.String(10), default="form")  # "form" or "title"


class AwardDecision(Base):
    __tablename__ = "award_decision"
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]  # the order decisions were entered; ties in calling order follow it
    number: Mapped[str] = mapped_column(sa.String(60))
    signed_on: Mapped[Optional[date]] = mapped_column(sa.Date)
    issuer: Mapped[str] = mapped_column(sa.String(200))
    form_id: Mapped[int] = mapped_column(sa.ForeignKey("award_form.id", ondelete="RESTRICT"))
    reason: Mapped[Optional[str]] = mapped_column(sa.Text)
    form: Mapped[AwardForm] = relationship(lazy="joined")
    honourees: Mapped[list["Honouree"]] = relationship(
        back_populates="decision", order_by="Honouree.position", cascade="all, delete-orphan")


class Honouree(Base):
    __tablename__ = "honouree"
    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("award_decision.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]  # order within the decision as written
    call_order: Mapped[Optional[int]]  # a hand-set override of the generated calling order
    kind: Mapped[HonoureeKind] = mapped_column(_enum(HonoureeKind))
    name: Mapped[str] = mapped_column(sa.String(200))
    unit: Mapped[Optional[str]] = mapped_column(sa.String(200))
    citation: Mapped[Optional[str]] = mapped_column(sa.Text)
    # The delegate who is this individual, or who receives for this collective.
    delegate_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("delegate.id", ondelete="SET NULL"))
    proxy_name: Mapped[Optional[str]] = mapped_column(sa.String(120))  # planned nhận thay
    decision: Mapped[AwardDecision] = relationship(back_populates="honourees")
    delegate: Mapped[Optional[Delegate]] = relationship(lazy="joined")


class AwardPresentation(Base):
    """The log for the minutes: who was called, when, and who received (self, proxy, absent)."""
    __tablename__ = "award_presentation"
    id: Mapped[int] = mapped_column(primary_key=True)
    honouree_id: Mapped[int] = mapped_column(sa.ForeignKey("honouree.id", ondelete="CASCADE"), unique=True)
    called_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    outcome: Mapped[Optional[str]] = mapped_column(sa.String(16))  # received, proxy, absent
    received_by: Mapped[Optional[str]] = mapped_column(sa.String(120))
    recorded_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)


class Candidate(Base):
    """Item 8: a delegate proposed for the higher-level conference."""
    __tablename__ = "candidate"
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    full_name: Mapped[str] = mapped_column(sa.String(120))
    title: Mapped[Optional[str]] = mapped_column(sa.String(200))
    unit: Mapped[Optional[str]] = mapped_column(sa.String(200))
    delegate_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("delegate.id", ondelete="SET NULL"))


class VoteMethod(str, enum.Enum):
    PHONES = "phones"  # each checked-in delegate casts a ballot on /me
    HANDS = "hands"  # a show of hands: the MC enters the counts
    PAPER = "paper"  # paper ballots, counted and entered twice: the result stands when both agree


class VoteState(str, enum.Enum):
    OPEN = "open"
    CLOSED = "closed"


class Vote(Base):
    """A vote of the conference (conference/votes/): a question or a list of candidates, by phones or
    by show of hands. Present is counted at the close (checked in at the door then); recorded_at is
    when the result was recorded. The item-8 call of POST /api/vote is a closed show of hands."""
    __tablename__ = "vote"
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("agenda_item.id", ondelete="SET NULL"))
    question: Mapped[str] = mapped_column(sa.String(300))
    method: Mapped[VoteMethod] = mapped_column(_enum(VoteMethod))
    secret: Mapped[bool] = mapped_column(default=False)
    election: Mapped[bool] = mapped_column(default=False)  # the choices are candidates
    max_choices: Mapped[int] = mapped_column(default=1)
    state: Mapped[VoteState] = mapped_column(_enum(VoteState))
    present: Mapped[Optional[int]]
    # The conference's vote rule when it opened: a later change of the rule leaves its result alone.
    rule: Mapped[str] = mapped_column(sa.String(24), default="more_than_half", server_default="more_than_half")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    choices: Mapped[list["VoteChoice"]] = relationship(order_by="VoteChoice.position", cascade="all, delete-orphan",
                                                       passive_deletes=True)


class VoteChoice(Base):
    """One choice of a vote and its tally. A secret vote keeps nothing but these counts."""
    __tablename__ = "vote_choice"
    __table_args__ = (sa.UniqueConstraint("vote_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(sa.ForeignKey("vote.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    label: Mapped[str] = mapped_column(sa.String(200))
    candidate_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("candidate.id", ondelete="SET NULL"))
    count: Mapped[int] = mapped_column(default=0)
    second_count: Mapped[Optional[int]]  # paper ballots: the second entry, which must agree with count


class VoteVoter(Base):
    """Who has voted, and nothing of what: the key refuses a second ballot from one delegate. No
    surrogate id and no time, so its rows carry no order to set beside the tallies."""
    __tablename__ = "vote_voter"
    vote_id: Mapped[int] = mapped_column(sa.ForeignKey("vote.id", ondelete="CASCADE"), primary_key=True)
    delegate_id: Mapped[int] = mapped_column(sa.ForeignKey("delegate.id", ondelete="CASCADE"), primary_key=True)


class VoteBallot(Base):
    """An open (named) vote's ballot: one row per choice a delegate ticked. A secret vote has none."""
    __tablename__ = "vote_ballot"
    __table_args__ = (sa.UniqueConstraint("vote_id", "delegate_id", "choice_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(sa.ForeignKey("vote.id", ondelete="CASCADE"), index=True)
    delegate_id: Mapped[int] = mapped_column(sa.ForeignKey("delegate.id", ondelete="CASCADE"))
    choice_id: Mapped[int] = mapped_column(sa.ForeignKey("vote_choice.id", ondelete="CASCADE"))


class Device(Base):
    """A paired device. Only the hashes of its token and of its pairing code are stored; revoking
    takes effect on the next request. The token (Bearer, press addresses) is for programs; the
    pairing code (/pair/<code>) admits one browser, once, until pairing_expires_at
    (accounts/pairing.py): paired_at is when it was used, and it is kept so that a second use
    is told the address was used rather than that it never existed."""
    __tablename__ = "device"
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(_enum(Role))
    label: Mapped[str] = mapped_column(sa.String(80))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    pairing_hash: Mapped[Optional[str]] = mapped_column(sa.String(64), unique=True, index=True)
    pairing_expires_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    paired_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)


class User(Base):
    """A named office account. Only a slow hash of the password is kept (werkzeug's scrypt)."""
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(sa.String(40), unique=True)  # lower case
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    role: Mapped[AccountRole] = mapped_column(_enum(AccountRole))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LoginSession(Base):
    """A sign-in (a user) or a pairing (a device). The cookie holds an opaque id; only its hash is
    kept. Checked on every request, so ending it here ends it on every process at once."""
    __tablename__ = "login_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    id_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    device_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("device.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)  # moves on with last_seen_at (idle limit)
    ended_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    ip: Mapped[Optional[str]] = mapped_column(sa.String(45))
    user_agent: Mapped[Optional[str]] = mapped_column(sa.String(200))
    user: Mapped[Optional[User]] = relationship(lazy="joined")
    device: Mapped[Optional[Device]] = relationship(lazy="joined")


class SignInFailure(Base):
    """A wrong password at the sign-in (or one being checked): when, from which address, for which
    login (a keyed digest of the name as typed, never the name). Kept a short while, here, so that
    every server process counts the same guesses (accounts/attempts.py)."""
    __tablename__ = "sign_in_failure"
    __table_args__ = (sa.Index("ix_sign_in_failure_address_at", "address", "at"),
                      sa.Index("ix_sign_in_failure_login_key_at", "login_key", "at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    address: Mapped[str] = mapped_column(sa.String(45))
    login_key: Mapped[str] = mapped_column(sa.String(64))


class AuditEntry(Base):
    """Who changed what, when and from where: one row per committed change made by a request,
    written in that change's transaction (accounts/audit.py). The author is named in clear and
    by id without a foreign key, so the trail outlives removed accounts and devices."""
    __tablename__ = "audit_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    conference_id: Mapped[Optional[int]]
    user_id: Mapped[Optional[int]]
    device_id: Mapped[Optional[int]]
    actor: Mapped[str] = mapped_column(sa.String(200))
    action: Mapped[str] = mapped_column(sa.String(80))  # the route, e.g. "api.checkin"
    target: Mapped[str] = mapped_column(sa.String(300))  # method and path, e.g. "POST /admin/groups/3"
    detail: Mapped[Optional[str]] = mapped_column(sa.String(500))  # the rows written
    ip: Mapped[Optional[str]] = mapped_column(sa.String(45))


# --- The delegate's page (/me) and the conference's documents (conference/me/) ---

class DocumentVisibility(str, enum.Enum):
    VISIBLE = "visible"  # on every delegate's page once added
    HELD = "held"  # held back until its agenda item starts
    INTERNAL = "internal"  # the office's only


class DelegatePhone(Base):
    """The one phone a delegate's page (/me) is open on: the cookie holds an opaque id, only its
    hash is kept. A second phone with the same badge code is refused while one is unreleased;
    the office or the door releases it (released_at), which also signs that phone out."""
    __tablename__ = "delegate_phone"
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    delegate_id: Mapped[int] = mapped_column(sa.ForeignKey("delegate.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_agent: Mapped[Optional[str]] = mapped_column(sa.String(200))
    released_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    released_by: Mapped[Optional[str]] = mapped_column(sa.String(200))
    delegate: Mapped[Delegate] = relationship(lazy="joined")


class ConferenceDocument(Base):
    """A PDF of the conference (báo cáo tổng kết, tham luận…), stored under the instance folder by
    its sha256; optionally tied to an agenda item, whose start releases a held document."""
    __tablename__ = "conference_document"
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    item_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("agenda_item.id", ondelete="SET NULL"))
    visibility: Mapped[DocumentVisibility] = mapped_column(_enum(DocumentVisibility),
                                                           default=DocumentVisibility.VISIBLE)
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    pages: Mapped[Optional[int]]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    item: Mapped[Optional[AgendaItem]] = relationship(lazy="joined")


class VenueAddress(Base):
    """The address a delegate's phone reaches this server at on the venue's Wi-Fi (set by the office,
    per conference): the phone QR on badges and invitations is <address>/me/<code>."""
    __tablename__ = "venue_address"
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"),
                                               primary_key=True)
    address: Mapped[str] = mapped_column(sa.String(200))

# --- The stage: sound cues, the lectern's message, the stream overlay (show/stage/) ---

class CueTarget(str, enum.Enum):
    """When a sound cue plays: as the show reaches an item or a step, as each awards batch is
    called, or as the speaker's time runs out. A sound check plays a cue once, on demand."""
    PLACE = "place"
    AWARDS = "awards"
    OVERTIME = "overtime"


class StageCue(Base):
    """A sound the office brought (the product ships none), stored under the instance folder."""
    __tablename__ = "stage_cue"
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    target: Mapped[CueTarget] = mapped_column(_enum(CueTarget))
    item_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("agenda_item.id", ondelete="CASCADE"))
    step_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("agenda_step.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(200))  # the file's name as the office sent it
    kind: Mapped[str] = mapped_column(sa.String(8))  # mp3, ogg or wav: what its bytes say it is
    stored: Mapped[str] = mapped_column(sa.String(80))  # the file's name under instance/stage/
    size: Mapped[int]
    volume: Mapped[int] = mapped_column(default=100)  # per cent
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StageState(Base):
    """What the MC and the office set for the stage, apart from the show-state row: a change here
    bumps the conference's version like any other."""
    __tablename__ = "stage_state"
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"),
                                               primary_key=True)
    lectern_message: Mapped[Optional[str]] = mapped_column(sa.String(200))  # to the speaker only
    overlay_hidden: Mapped[bool] = mapped_column(default=False)
    sound_device_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("device.id", ondelete="SET NULL"))
    cue_replay: Mapped[int] = mapped_column(default=0)  # each replay gives the current cue a new id
    cue_stop: Mapped[int] = mapped_column(default=0)  # each stop: the sound page silences what plays
    check_cue_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("stage_cue.id", ondelete="SET NULL"))
    check_count: Mapped[int] = mapped_column(default=0)  # each sound check plays check_cue once
    cue_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)  # the last replay or sound check
    slide_page: Mapped[int] = mapped_column(default=1)  # the page up, for the run slide_run_id
    slide_run_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("show_run.id", ondelete="SET NULL"))
    slides_hidden: Mapped[bool] = mapped_column(default=False)  # the MC switched back to the agenda screen


class StageDeck(Base):
    """A report's slides: a PDF attached to an item or a step, stored under the instance folder."""
    __tablename__ = "stage_deck"
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_item.id", ondelete="CASCADE"))
    step_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("agenda_step.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(200))
    stored: Mapped[str] = mapped_column(sa.String(80))
    size: Mapped[int]
    pages: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SeatArea(str, enum.Enum):
    PRESIDIUM = "presidium"  # Đoàn chủ tịch, on the stage
    SECRETARIAT = "secretariat"  # Thư ký đoàn, on the stage
    HALL = "hall"  # the blocks of rows facing the stage


class SeatReserve(str, enum.Enum):
    GUESTS = "guests"  # the front rows kept for guests and leaders
    HONOUREES = "honourees"  # kept for those called to the stage, a batch together


class Seat(Base):
    """One seat of a conference's hall (seating/hall.py describes the hall and makes these rows).

    A delegate's seat is Delegate.seat, this row's code ("A3-12", "CT2"); the rows are what a
    seat given by hand, by the import or by the automatic assignment must be one of."""
    __tablename__ = "seat"
    __table_args__ = (sa.UniqueConstraint("conference_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(20))
    area: Mapped[SeatArea] = mapped_column(_enum(SeatArea))
    block: Mapped[Optional[str]] = mapped_column(sa.String(3))  # "A" for the hall's seats
    block_position: Mapped[int] = mapped_column(default=0)  # the blocks' order, left to right
    row: Mapped[int] = mapped_column(default=1)  # 1 is the row nearest the stage
    number: Mapped[int]  # 1 and the last of a row are on its aisles
    reserve: Mapped[Optional[SeatReserve]] = mapped_column(_enum(SeatReserve))

# --- Speaking requests from the delegates' phones (speakers/) ---

class SpeakingState(str, enum.Enum):
    WAITING = "waiting"  # in the MC's queue, in the order asked
    SPEAKING = "speaking"  # called by the MC: at the lectern now (one a conference)
    DONE = "done"  # the turn ended (the MC ended it, or called the next)
    WITHDRAWN = "withdrawn"  # the delegate took it back before being called
    DISMISSED = "dismissed"  # the MC took it off the queue without calling it


class SpeakingRequest(Base):
    """A delegate asked to speak from their phone (/me). A turn is a request the MC called: its
    start and end are kept for the minutes' diễn biến and for "earlier turns today"."""
    __tablename__ = "speaking_request"
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    delegate_id: Mapped[int] = mapped_column(sa.ForeignKey("delegate.id", ondelete="CASCADE"), index=True)
    subject: Mapped[Optional[str]] = mapped_column(sa.String(200))
    state: Mapped[SpeakingState] = mapped_column(_enum(SpeakingState), default=SpeakingState.WAITING)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the item the show stood on when the MC called it: where the minutes list the turn
    item_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("agenda_item.id", ondelete="SET NULL"))
    started_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    ended_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    delegate: Mapped[Delegate] = relationship(lazy="joined")


class SpeakerSettings(Base):
    """Whether the delegates may ask to speak (the office's switch); no row: they may."""
    __tablename__ = "speaker_settings"
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"),
                                               primary_key=True)
    requests_open: Mapped[bool] = mapped_column(default=True)
