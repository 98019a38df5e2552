"""A delegate's ballot, from the phone that holds their page (me/phones.py).

Who has voted and what was voted are kept apart. vote_voter holds who (its key refuses a second
ballot, even from two requests at once); it has no id and no time. A secret vote then adds one to
the tallies of the choices ticked (UPDATE count = count + 1) and writes nothing else: no row, id,
time or order joins a choice to a voter, for the office as for anyone reading the database. An
open vote also keeps a vote_ballot row per choice ticked, with the delegate, for its named list.
A phone has no office principal, so no audit entry is written for a ballot either.
"""
from __future__ import annotations

import sqlalchemy as sa

from conference.core.db import db, write_transaction
from conference.core.errors import Conflict, ConferenceError
from conference.core.fields import json_int
from conference.core.models import CheckIn, VoteBallot, VoteChoice, VoteMethod, VoteVoter
from conference.core.state import bump_version
from .record import get_vote


def _ticked(value: object, most: int, count: int) -> list[int]:
    """The positions ticked: each once, between 1 and `most` of them, each a choice of the vote."""
    if not isinstance(value, list) or not value:
        raise ConferenceError("invalid_ballot", "Hãy chọn một phương án.")
    positions = [json_int(v, "choice") for v in value]
    if len(set(positions)) != len(positions):
        raise ConferenceError("invalid_ballot", "Mỗi phương án chỉ được chọn một lần.")
    if len(positions) > most:
        raise ConferenceError("too_many_choices", "Chỉ được chọn tối đa %(most)d phương án.", most=most)
    if any(not 1 <= p <= count for p in positions):
        raise ConferenceError("unknown_choice", "Phương án đã chọn không có trong cuộc biểu quyết này.")
    return positions


def cast_ballot(conference_id: int, delegate_id: int, vote_id: object, choices: object) -> None:
    """One ballot: refused after the close, from a delegate not checked in, or a second time."""
    try:
        _cast(conference_id, delegate_id, vote_id, choices)
    except sa.exc.IntegrityError:  # the same delegate's other request won the key meanwhile
        raise Conflict("already_voted", "Lá phiếu của bạn cho cuộc biểu quyết này đã được ghi nhận trước đó; "
                                         "mỗi đại biểu chỉ bỏ một phiếu.") from None


def _cast(conference_id: int, delegate_id: int, vote_id: object, choices: object) -> None:
    with write_transaction() as session:
        vote = get_vote(conference_id, vote_id)
        if vote.state.value != "open":
            raise Conflict("vote_closed", "Cuộc biểu quyết này đã kết thúc.")
        if vote.method != VoteMethod.PHONES:
            raise Conflict("not_on_phones", "Cuộc biểu quyết này không bỏ phiếu trên điện thoại.")
        positions = _ticked(choices, vote.max_choices, len(vote.choices))
        if session.scalar(sa.select(CheckIn.id).where(CheckIn.delegate_id == delegate_id)) is None:
            raise Conflict("not_checked_in", "Bạn chưa được ghi nhận có mặt tại hội nghị nên chưa thể "
                                             "biểu quyết. Hãy qua bàn đón tiếp.")
        if session.get(VoteVoter, (vote.id, delegate_id)) is not None:
            raise Conflict("already_voted", "Lá phiếu của bạn cho cuộc biểu quyết này đã được ghi nhận trước đó; "
                                         "mỗi đại biểu chỉ bỏ một phiếu.")
        session.add(VoteVoter(vote_id=vote.id, delegate_id=delegate_id))
        session.flush()  # the key: on a database without our writer lock, the second of two at once fails here
        ids = [c.id for c in vote.choices if c.position in positions]
        session.execute(sa.update(VoteChoice).where(VoteChoice.id.in_(ids))
                        .values(count=VoteChoice.count + 1).execution_options(synchronize_session=False))
        if not vote.secret:
            session.add_all(VoteBallot(vote_id=vote.id, delegate_id=delegate_id, choice_id=i) for i in ids)
        bump_version(conference_id)


def has_voted(vote_id: int, delegate_id: int) -> bool:
    return db.session.get(VoteVoter, (vote_id, delegate_id)) is not None
