"""What a vote says, read without writing: who may vote (present), how many have (cast), the
counts and their share of those present, and the outcome by the rule. Nothing here is per
delegate: the screens, the phones and the minutes get these figures and never who chose what."""
from __future__ import annotations

import sqlalchemy as sa

from conference.core.db import db
from conference.core.errors import N_, ConferenceError
from conference.core.models import AgendaItem, CheckIn, Vote, VoteMethod, VoteState, VoteVoter

MORE_THAN_HALF, TWO_THIRDS = "more_than_half", "two_thirds"  # of those present (docs/VOTES.md)
RULES = {MORE_THAN_HALF: N_("Quá nửa số đại biểu có mặt"), TWO_THIRDS: N_("Ít nhất hai phần ba số đại biểu có mặt")}
AGREE = "Tán thành"


def present_now(conference_id: int) -> int:
    """Delegates the door has checked in, now."""
    return db.session.scalar(sa.select(sa.func.count(CheckIn.id)).where(CheckIn.conference_id == conference_id))


def cast_count(vote_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(VoteVoter).where(VoteVoter.vote_id == vote_id))


def votes_needed(present: int, rule: str) -> int:
    """The fewest votes that pass: more than half is half plus one (rounded down), two thirds rounded up."""
    return max(1, -(-2 * present // 3)) if rule == TWO_THIRDS else present // 2 + 1


def is_adopted(count: int, present: int, rule: str = MORE_THAN_HALF) -> bool:
    return count >= votes_needed(present, rule)


def rule_of(value: str | None) -> str:
    return value if value in RULES else MORE_THAN_HALF


def parse_vote_rule(value: object) -> str | None:
    """A rule sent by the office's form; None (not sent) leaves the conference's as it is."""
    if value is None:
        return None
    if not isinstance(value, str) or value not in RULES:
        raise ConferenceError("invalid_vote_rule", "Quy định thông qua biểu quyết không hợp lệ.")
    return value


def outcome(vote: Vote) -> dict | None:
    """The result by the rule, once closed: the choice adopted (a question), or the names elected
    and those tied at the last place (an election)."""
    if vote.state != VoteState.CLOSED or vote.present is None:
        return None
    present, rule = vote.present, rule_of(vote.rule)
    passing = [c for c in vote.choices if is_adopted(c.count, present, rule)]
    if vote.election:
        return {"rule": rule, "needed": votes_needed(present, rule), **_elected_and_tied(passing, vote.max_choices)}
    adopted = passing[0].label if passing else None
    return {"rule": rule, "needed": votes_needed(present, rule), "adopted": adopted,
            "passed": adopted is not None and adopted == vote.choices[0].label}


def _elected_and_tied(passing: list, places: int) -> dict:
    """Who of those reaching the rule fills the PLACES, the most votes first. When the last place
    falls among candidates with equal votes, none of them is elected: their order on the list is no
    ground to choose, so a further round among them (bầu lại) fills the places left."""
    ranked = sorted(passing, key=lambda c: (-c.count, c.position))
    if len(ranked) <= places or ranked[places].count != ranked[places - 1].count:
        return {"elected": [c.label for c in ranked[:places]], "tied": [], "tied_places": 0}
    last = ranked[places - 1].count
    elected = [c.label for c in ranked if c.count > last]
    return {"elected": elected, "tied": [c.label for c in ranked if c.count == last],
            "tied_places": places - len(elected)}


def share(count: int, present: int | None) -> float | None:
    return round(100 * count / present, 1) if present else None


def vote_json(vote: Vote, *, entered: bool = False) -> dict:
    """The vote as everyone may see it: the counts once closed, before that how many have voted.
    With `entered`, for the MC who typed them, a show of hands' counts before the close too."""
    closed = vote.state == VoteState.CLOSED
    present = vote.present if closed else present_now(vote.conference_id)
    item = db.session.get(AgendaItem, vote.item_id) if vote.item_id else None
    # A paper vote's entries are never shown before the close: the second is made blind.
    typed = entered and vote.method == VoteMethod.HANDS and vote.present is not None
    counts = {c.label: c.count for c in vote.choices} if closed or typed else None
    first = vote.choices[0] if vote.choices else None
    return {"id": vote.id, "question": vote.question, "item": item.position if item else None,
            "method": vote.method.value, "secret": vote.secret, "election": vote.election,
            "max_choices": vote.max_choices, "choices": [c.label for c in vote.choices],
            "state": vote.state.value, "present": present,
            "cast": cast_count(vote.id),
            "counts": counts, "percentages": {k: share(n, present) for k, n in counts.items()} if closed else None,
            "outcome": outcome(vote), "entries": _entries(vote),
            # The item-8 screens read these two since before votes were general.
            "agreed": first.count if closed and first is not None and first.label == AGREE else None,
            "recorded_at": vote.recorded_at.isoformat() if vote.recorded_at else None}


def _entries(vote: Vote) -> int | None:
    """Paper ballots: how many of the two entries are made."""
    if vote.method != VoteMethod.PAPER:
        return None
    return 0 if vote.present is None else 1 + all(c.second_count is not None for c in vote.choices)


def latest_vote(conference_id: int) -> Vote | None:
    """The open vote, or else the last one recorded: the one the screens show."""
    return db.session.scalar(sa.select(Vote).where(Vote.conference_id == conference_id)
                             .order_by((Vote.state == VoteState.OPEN).desc(), Vote.id.desc()).limit(1))


def vote_snapshot(conference_id: int) -> dict | None:
    vote = latest_vote(conference_id)
    return vote_json(vote) if vote else None


def recorded_votes(conference_id: int) -> list[dict]:
    """Every closed vote in the order they were opened, for the minutes."""
    rows = db.session.scalars(sa.select(Vote).where(Vote.conference_id == conference_id,
                                                    Vote.state == VoteState.CLOSED).order_by(Vote.id))
    return [vote_json(vote) for vote in rows]
