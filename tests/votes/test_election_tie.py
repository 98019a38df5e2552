"""An election whose last place is tied (docs/VOTES.md, "The rule"): the candidates with equal votes
at the cut-off, each reaching the rule, are neither elected nor left out but named as tied, and the
minutes and the counting record say a further round among them is needed; without a tie, nothing
changes."""
from __future__ import annotations

import pytest

from tests.papers.day_of_record import docx_text
from tests.votes.helpers import check_in, delegates, open_vote

NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"]


def election_by_hands(app, client, auth, conference_id, places: int, counts: list[int]) -> dict:
    """Six delegates present (more than half: 4 votes), an election of NAMES by a show of hands,
    closed with COUNTS in the list's order."""
    check_in(app, conference_id, [d for d, _ in delegates(app, conference_id, 6)])
    vote = open_vote(client, auth, question="Bầu đại biểu đi dự hội nghị cấp trên", method="hands",
                     candidates=NAMES, max_choices=places)
    entered = client.post(f"/api/votes/{vote['id']}/hands", json={"counts": dict(zip(NAMES, counts))},
                          headers=auth("mc"))
    assert entered.status_code == 200, entered.get_json()
    closed = client.post(f"/api/votes/{vote['id']}/close", headers=auth("mc"))
    assert closed.status_code == 200, closed.get_json()
    return closed.get_json()


@pytest.mark.parametrize("places, counts, elected, tied, tied_places", [
    # The second place is tied between Bình and Cường: only An is elected, one place is left.
    (2, [5, 4, 4, 1], [NAMES[0]], [NAMES[1], NAMES[2]], 1),
    # The list's order does not decide either: Dung ties Bình although she is last on the list.
    (2, [5, 4, 1, 4], [NAMES[0]], [NAMES[1], NAMES[3]], 1),
    # The only place is tied among three: nobody is elected yet.
    (1, [4, 4, 4, 0], [], [NAMES[0], NAMES[1], NAMES[2]], 1),
    # Two places tied among three after the first.
    (3, [6, 5, 5, 5], [NAMES[0]], [NAMES[1], NAMES[2], NAMES[3]], 2),
])
def test_a_tie_at_the_last_place_elects_none_of_the_tied(app, client, auth, conference_id, places, counts, elected,
                                                         tied, tied_places):
    outcome = election_by_hands(app, client, auth, conference_id, places, counts)["outcome"]
    assert outcome == {"rule": "more_than_half", "needed": 4, "elected": elected, "tied": tied,
                       "tied_places": tied_places}


@pytest.mark.parametrize("places, counts, elected", [
    (2, [5, 5, 4, 1], [NAMES[0], NAMES[1]]),  # equal votes, but both within the places
    (3, [5, 4, 4, 1], [NAMES[0], NAMES[1], NAMES[2]]),  # the tie falls inside the places
    (2, [5, 3, 3, 1], [NAMES[0]]),  # tied below the rule: not elected, no further round among them
    (2, [5, 4, 3, 3], [NAMES[0], NAMES[1]]),  # tied below the cut-off and the rule
])
def test_without_a_tie_at_the_cut_off_the_election_is_as_before(app, client, auth, conference_id, places, counts,
                                                                elected):
    outcome = election_by_hands(app, client, auth, conference_id, places, counts)["outcome"]
    assert outcome == {"rule": "more_than_half", "needed": 4, "elected": elected, "tied": [], "tied_places": 0}


def test_the_minutes_and_the_counting_record_say_a_further_round_is_needed(app, client, auth, conference_id,
                                                                          admin_client):
    vote = election_by_hands(app, client, auth, conference_id, 2, [5, 4, 4, 1])
    further = (f"Các ứng cử viên {NAMES[1]}, {NAMES[2]} cùng được 4 phiếu ở vị trí trúng cử cuối cùng nên chưa ai "
               "trong số này trúng cử; cần bầu lại giữa những người này để chọn 1 người.")
    minutes = docx_text(admin_client.get("/admin/exports/minutes.docx").data)
    assert f"Kết quả biểu quyết: trúng cử (quá nửa số đại biểu có mặt): {NAMES[0]}. {further}" in minutes
    record = docx_text(admin_client.get(f"/admin/votes/{vote['id']}/counting.docx").data)
    named = record[record.index("III. NGƯỜI TRÚNG CỬ"):]
    assert f"1. {NAMES[0]}: 5 phiếu (83,3%)." in named and further in named
    assert f"2. {NAMES[1]}" not in named and "không ai trúng cử" not in named


def test_a_tie_for_the_only_place_is_not_read_as_nobody_reaching_the_rule(app, client, auth, conference_id,
                                                                         admin_client):
    vote = election_by_hands(app, client, auth, conference_id, 1, [4, 4, 0, 0])
    minutes = docx_text(admin_client.get("/admin/exports/minutes.docx").data)
    assert "Kết quả biểu quyết: chưa xác định được người trúng cử (quá nửa số đại biểu có mặt). Các ứng cử viên " \
           f"{NAMES[0]}, {NAMES[1]} cùng được 4 phiếu" in minutes
    record = docx_text(admin_client.get(f"/admin/votes/{vote['id']}/counting.docx").data)
    assert "không ai trúng cử" not in record and "cần bầu lại giữa những người này để chọn 1 người." in record


def test_the_minutes_of_an_election_without_a_tie_say_nothing_of_a_further_round(app, client, auth, conference_id,
                                                                                 admin_client):
    vote = election_by_hands(app, client, auth, conference_id, 2, [5, 5, 4, 1])
    minutes = docx_text(admin_client.get("/admin/exports/minutes.docx").data)
    assert f"Kết quả biểu quyết: trúng cử (quá nửa số đại biểu có mặt): {NAMES[0]}, {NAMES[1]}." in minutes
    record = docx_text(admin_client.get(f"/admin/votes/{vote['id']}/counting.docx").data)
    assert "bầu lại" not in minutes and "bầu lại" not in record
