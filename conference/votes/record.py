"""The MC's (or the office's) actions on a vote: open it, enter a show of hands or the paper
ballots' counts (twice: the result stands when both entries agree), close it. One
open vote at a time per conference: every action locks the show-state row first (bump_version
writes it), so two consoles opening at once are judged one after the other on any database."""
from __future__ import annotations

import sqlalchemy as sa

from conference.core.db import db, empty_write_ahead_log, utcnow, write_transaction
from conference.core.errors import Conflict, ConferenceError, NotFound
from conference.core.fields import bounded_text, json_id, json_int
from conference.core.models import (AgendaItem, Candidate, ItemKind, Vote, VoteChoice, VoteMethod, VoteState)
from conference.core.state import bump_version, get_conference, show_state
from .results import AGREE, cast_count, present_now, rule_of

DEFAULT_CHOICES = (AGREE, "Không tán thành", "Không biểu quyết")
DEFAULT_QUESTION = "Thông qua danh sách đại biểu đi dự hội nghị cấp trên"
MAX_CHOICES = 60
QUESTION_LIMIT, CHOICE_LIMIT = 300, 200


def get_vote(conference_id: int, vote_id: object) -> Vote:
    """The vote of this conference; another conference's id reads as unknown."""
    found = db.session.get(Vote, vote_id) if isinstance(vote_id, int) and json_id(vote_id, "vote") else None
    if found is None or found.conference_id != conference_id:
        raise NotFound("unknown_vote", "Không tìm thấy cuộc biểu quyết này.")
    return found


def _choices(value: object) -> list[str]:
    if value is None:
        return list(DEFAULT_CHOICES)
    if not isinstance(value, list) or not 2 <= len(value) <= MAX_CHOICES:
        raise ConferenceError("invalid_choices", "Các phương án phải là một danh sách từ 2 đến %(most)d mục.",
                              most=MAX_CHOICES)
    labels = [bounded_text(v, CHOICE_LIMIT, "Phương án", "choice", required=True) for v in value]
    if len(set(labels)) != len(labels):
        raise ConferenceError("duplicate_choice", "Hai phương án trùng tên nhau.")
    return labels


def _candidates(conference_id: int, value: object) -> list[tuple[str, int | None]]:
    """true: the conference's candidates (item 8's list); a list: names typed by the MC."""
    if value is True:
        rows = db.session.scalars(sa.select(Candidate).where(Candidate.conference_id == conference_id)
                                  .order_by(Candidate.position)).all()
        if not rows:
            raise ConferenceError("no_candidates", "Hội nghị chưa có danh sách ứng viên.")
        names = [row.full_name for row in rows]
        # Two candidates of one name are told apart by their unit: a choice is known by its label.
        labels = [(f"{row.full_name} ({row.unit or row.title or row.position})" if names.count(row.full_name) > 1
                   else row.full_name)[:CHOICE_LIMIT] for row in rows]
        if len(set(labels)) != len(labels):
            raise ConferenceError("duplicate_choice", "Hai phương án trùng tên nhau.")
        return list(zip(labels, (row.id for row in rows)))
    return [(label, None) for label in _choices(value)]


def _item(conference_id: int, value: object) -> AgendaItem | None:
    """The item named, or the one running now: the projector shows a result while its item runs."""
    if value is None:
        position = show_state(conference_id).current_position
        return None if position is None else db.session.scalar(
            sa.select(AgendaItem).where(AgendaItem.conference_id == conference_id, AgendaItem.position == position))
    position = json_int(value, "item", 1, 10_000)
    item = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.conference_id == conference_id,
                                                         AgendaItem.position == position))
    if item is None:
        raise NotFound("unknown_item", "Không có mục %(position)d trong chương trình.", position=position)
    return item


def _method(value: object) -> VoteMethod:
    try:
        return VoteMethod(value)
    except ValueError:
        raise ConferenceError("invalid_method", "Cách biểu quyết phải là phones, hands hoặc paper.") from None


def open_vote(conference_id: int, data: dict) -> Vote:
    """Open a vote at once (docs/VOTES.md): {"question", "item"?, "choices"?, "method",
    "secret"?, "candidates"?, "max_choices"?}."""
    method = _method(data.get("method"))
    secret = data.get("secret", False)
    if not isinstance(secret, bool):
        raise ConferenceError("invalid_secret", "“secret” phải là true hoặc false.")
    if secret and method == VoteMethod.HANDS:
        raise ConferenceError("secret_hands", "Biểu quyết giơ tay không thể bỏ phiếu kín.")
    with write_transaction() as session:
        rule = rule_of(get_conference(conference_id).vote_rule)
        bump_version(conference_id)  # locks the show-state row: one opening at a time
        if session.scalar(sa.select(Vote.id).where(Vote.conference_id == conference_id,
                                                   Vote.state == VoteState.OPEN)) is not None:
            raise Conflict("vote_already_open", "Đang có một cuộc biểu quyết chưa kết thúc; hãy kết thúc nó "
                                                "trước khi mở cuộc khác.")
        item = _item(conference_id, data.get("item"))
        question = bounded_text(data.get("question"), QUESTION_LIMIT, "Nội dung biểu quyết", "question",
                                required=True)
        election = data.get("candidates") is not None
        if election and data.get("choices") is not None:
            raise ConferenceError("choices_and_candidates", "Gửi “choices” hoặc “candidates”, không cả hai.")
        choices = _candidates(conference_id, data["candidates"]) if election else \
            [(label, None) for label in _choices(data.get("choices"))]
        most = data.get("max_choices", len(choices) if election else 1)
        most = json_int(most, "max_choices", 1, len(choices) if election else 1)
        vote = Vote(conference_id=conference_id, item_id=item.id if item else None, question=question,
                    method=method, secret=secret, election=election, max_choices=most, state=VoteState.OPEN, rule=rule,
                    opened_at=utcnow(),
                    choices=[VoteChoice(position=i, label=label, candidate_id=candidate, count=0)
                             for i, (label, candidate) in enumerate(choices, 1)])
        session.add(vote)
    return vote


def _open_vote(conference_id: int, vote_id: object) -> Vote:
    vote = get_vote(conference_id, vote_id)
    if vote.state != VoteState.OPEN:
        raise Conflict("vote_closed", "Cuộc biểu quyết này đã kết thúc.")
    return vote


def _check_counts(counts: object) -> None:
    if not isinstance(counts, dict):
        raise ConferenceError("invalid_counts", "“counts” phải là một đối tượng {phương án: số}.")


def _counted_by(conference_id: int, vote_id: object, method: VoteMethod, refusal: Conflict) -> Vote:
    """Inside the caller's transaction: the open vote, its conference's row locked, refused unless
    it is counted by METHOD (the MC's hands, the board's paper ballots)."""
    bump_version(conference_id)
    vote = _open_vote(conference_id, vote_id)
    if vote.method != method:
        raise refusal
    return vote


def enter_hands(conference_id: int, vote_id: object, counts: object) -> Vote:
    """A show of hands: the MC's count for each choice (a choice left out is 0), out of those
    present now. May be entered again until the close."""
    _check_counts(counts)
    with write_transaction():
        vote = _counted_by(conference_id, vote_id, VoteMethod.HANDS, Conflict(
            "not_hands", "Cuộc biểu quyết này bỏ phiếu trên điện thoại, không nhập số giơ tay."))
        _set_counts(vote, _numbers(vote, counts, present_now(conference_id)))
    return vote


def enter_paper(conference_id: int, vote_id: object, counts: object, entry: object) -> Vote:
    """Paper ballots, counted and entered twice (entry 1, then entry 2, by another person, who is
    not shown the first): the close takes the counts only when both agree. Entering the first
    again clears the second, which must then be made again."""
    if entry not in (1, 2) or isinstance(entry, bool):
        raise ConferenceError("invalid_entry", "“entry” phải là 1 (lần nhập thứ nhất) hoặc 2 (lần thứ hai).")
    _check_counts(counts)
    with write_transaction():
        vote = _counted_by(conference_id, vote_id, VoteMethod.PAPER, Conflict(
            "not_paper", "Cuộc biểu quyết này không bỏ phiếu giấy."))
        if entry == 2 and vote.present is None:
            raise Conflict("first_entry_missing", "Hãy nhập lần thứ nhất trước lần thứ hai.")
        numbers = _numbers(vote, counts, present_now(conference_id))
        if entry == 1:
            _set_counts(vote, numbers)
            for choice in vote.choices:
                choice.second_count = None
        else:
            for choice in vote.choices:
                choice.second_count = numbers[choice.label]
    return vote


def _numbers(vote: Vote, counts: dict, present: int) -> dict[str, int]:
    """Each choice's count (left out: 0), each within those present now, a question's total too;
    the vote's present becomes those present now."""
    by_label = {c.label: c for c in vote.choices}
    unknown = [key for key in counts if key not in by_label]
    if unknown:
        raise ConferenceError("unknown_choice", "Không có phương án “%(choice)s” trong cuộc biểu quyết này.",
                              choice=str(unknown[0])[:CHOICE_LIMIT])
    numbers = {label: json_int(counts.get(label, 0), "count", 0, present) for label in by_label}
    if not vote.election and sum(numbers.values()) > present:
        raise ConferenceError("too_many_hands", "Tổng các số đã nhập vượt quá %(present)d đại biểu có mặt.",
                              present=present)
    vote.present = present
    return numbers


def _set_counts(vote: Vote, numbers: dict[str, int]) -> None:
    for choice in vote.choices:
        choice.count = numbers[choice.label]


def close_vote(conference_id: int, vote_id: object) -> Vote:
    """Close: no ballot after this. Present is counted now; a delegate whose check-in was undone
    after voting still counts as present, so no share is over 100%."""
    with write_transaction():
        bump_version(conference_id)
        vote = _open_vote(conference_id, vote_id)
        if vote.method == VoteMethod.HANDS:
            if vote.present is None:
                raise Conflict("hands_missing", "Chưa nhập số giơ tay cho cuộc biểu quyết này.")
        elif vote.method == VoteMethod.PAPER:
            _refuse_unless_both_entries_agree(vote)
        else:
            vote.present = max(present_now(conference_id), cast_count(vote.id))
        vote.state, vote.recorded_at = VoteState.CLOSED, utcnow()
        secret = vote.secret
    if secret:
        # While it was open, SQLite's write-ahead log kept each ballot's pages in the order cast: a
        # voter's row beside a tally's change. Emptied now, nothing on disk gives that order.
        empty_write_ahead_log()
    return vote


def _refuse_unless_both_entries_agree(vote: Vote) -> None:
    if vote.present is None or any(c.second_count is None for c in vote.choices):
        raise Conflict("paper_entries_missing", "Chưa nhập đủ hai lần số phiếu giấy.")
    differing = next((c for c in vote.choices if c.second_count != c.count), None)
    if differing is not None:
        raise Conflict("paper_mismatch", "Hai lần nhập không khớp ở phương án “%(choice)s”: hãy kiểm lại phiếu "
                                         "rồi nhập lại.", choice=differing.label)


def record_show_of_hands(conference_id: int, agreed: object) -> Vote:
    """Item 8 as the MC typed it before votes were general (POST /api/vote): tán thành x of those
    checked in now, recorded as a closed show of hands on the vote item's question."""
    agreed = json_int(agreed, "agreed")
    with write_transaction() as session:
        rule = rule_of(get_conference(conference_id).vote_rule)
        bump_version(conference_id)
        present = present_now(conference_id)
        if not 0 <= agreed <= present:
            raise ConferenceError("invalid_agreed",
                                  "Số tán thành phải từ 0 đến %(present)d (số đại biểu có mặt).", 422,
                                  present=present)
        item = session.scalar(sa.select(AgendaItem).where(AgendaItem.conference_id == conference_id,
                                                          AgendaItem.kind == ItemKind.VOTE)
                              .order_by(AgendaItem.position).limit(1))
        now = utcnow()
        vote = Vote(conference_id=conference_id, item_id=item.id if item else None,
                    question=(item.title if item else DEFAULT_QUESTION)[:QUESTION_LIMIT],
                    method=VoteMethod.HANDS, secret=False, election=False, max_choices=1,
                    state=VoteState.CLOSED, present=present, opened_at=now, recorded_at=now, rule=rule,
                    choices=[VoteChoice(position=1, label=AGREE, count=agreed)])
        session.add(vote)
    return vote
