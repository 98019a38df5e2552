"""The biên bản kiểm phiếu of a closed election (papers/counting.py): question, time, present, ballots
issued / received / valid, each candidate's votes and share of those present, who is elected by the
rule, the counting board's signatures; a vote that is not a closed election is refused (page 404/409,
command exit 1) and nothing is written."""
from __future__ import annotations

import pytest

from tests.cli.test_conference_option import in_app, run  # noqa: F401  (run: the fixture)
from tests.papers.day_of_record import ELECTION, docx_text, set_up_the_day
from tests.papers.pdf_layout import MM, convert_to_pdf, outside, pdf_pages


def url(vote_id: int) -> str:
    return f"/admin/votes/{vote_id}/counting.docx"


def test_the_record_states_the_ballots_and_who_is_elected(admin_client, app, auth, conference_id):
    day = set_up_the_day(app, admin_client, auth, conference_id)
    answer = admin_client.get(url(day["election"]))
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"].endswith(f"bien-ban-kiem-phieu-{day['election']}.docx")
    body = docx_text(answer.data)
    assert "BIÊN BẢN KIỂM PHIẾU" in body and ELECTION in body and "Ban kiểm phiếu" in body
    assert "Số đại biểu có mặt: 6 đại biểu." in body
    assert "mỗi phiếu chọn tối đa 2 người" in body
    # By phones: issued to those present, received (all valid) from those who cast one.
    assert "Số phiếu phát ra: 6 phiếu." in body and "Số phiếu thu vào: 5 phiếu." in body
    assert "Số phiếu hợp lệ: 5 phiếu." in body and "Số phiếu không hợp lệ: 0 phiếu." in body
    first, second, third = day["candidates"][:3]
    assert f"1 | {first} | 4 | 66,7%" in body and f"2 | {second} | 4 | 66,7%" in body
    assert f"3 | {third} | 1 | 16,7%" in body
    assert "(từ 4 phiếu trở lên)" in body  # more than half of 6
    elected = body[body.index("III. NGƯỜI TRÚNG CỬ"):]
    assert f"1. {first}: 4 phiếu (66,7%)." in elected and f"2. {second}: 4 phiếu (66,7%)." in elected
    assert f"{third}:" not in elected
    assert "TRƯỞNG BAN" in body and body.count("THÀNH VIÊN") == 3 and "BAN KIỂM PHIẾU" in body


def test_the_papers_page_offers_it_beside_each_closed_election_only(admin_client, app, auth, conference_id):
    day = set_up_the_day(app, admin_client, auth, conference_id)
    page = admin_client.get("/admin/papers").get_data(as_text=True)
    assert f'id="counting-{day["election"]}"' in page and url(day["election"]) in page
    assert url(day["question"]) not in page and "counting-record" in page


def test_a_vote_that_is_not_a_closed_election_is_refused(admin_client, app, auth, conference_id):
    from conference.votes import record
    day = set_up_the_day(app, admin_client, auth, conference_id)
    with app.app_context():
        still_open = record.open_vote(conference_id, {"question": "Bầu bổ sung", "method": "phones",
                                                      "candidates": True}).id
    question = admin_client.get(url(day["question"]))
    assert question.status_code == 409 and "không phải là bầu cử" in question.get_data(as_text=True)
    running = admin_client.get(url(still_open))
    assert running.status_code == 409 and "chưa kết thúc" in running.get_data(as_text=True)
    assert admin_client.get(url(999_999)).status_code == 404
    assert "attachment" not in admin_client.get(url(999_999)).headers.get("Content-Disposition", "")


def test_the_command_writes_it_for_the_chosen_conference_and_refuses_other_votes(run, tmp_path, monkeypatch):
    from conference.checkin.checkins import check_in
    from conference.core.db import db
    from conference.core.models import Delegate
    from conference.votes import record
    import sqlalchemy as sa
    with in_app(run, monkeypatch):
        ids = list(db.session.scalars(sa.select(Delegate.id).where(Delegate.conference_id == 2)
                                      .order_by(Delegate.id).limit(4)))
        for delegate_id in ids:
            check_in(2, delegate_id=delegate_id)
        election = record.open_vote(2, {"question": ELECTION, "method": "paper", "max_choices": 1,
                                        "candidates": ["Nguyễn Văn Một", "Trần Thị Hai"]})  # typed by the MC
        election_id, first = election.id, election.choices[0].label
        for entry in (1, 2):
            record.enter_paper(2, election_id, {first: 3}, entry)
        record.close_vote(2, election_id)
        question = record.open_vote(2, {"question": "Thông qua", "method": "hands"}).id
    out = tmp_path / "kiem-phieu.docx"
    answer = run("counting-record", str(out), "--vote", str(election_id), "--conference", "2")
    assert answer.exit_code == 0, answer.output
    body = docx_text(out.read_bytes())
    assert f"1 | {first} | 3 | 75,0%" in body and f"1. {first}: 3 phiếu (75,0%)." in body
    # By paper: the counts were entered per candidate, the ballots are left to the board to fill.
    assert "Số phiếu phát ra: 4 phiếu." in body and "Số phiếu thu vào: …… phiếu." in body
    for args, reason in ((("--vote", str(election_id)), "Không tìm thấy cuộc biểu quyết"),  # not the active one's
                         (("--vote", str(question), "--conference", "2"), "không phải là bầu cử"),
                         (("--vote", str(election_id), "--conference", "99"), "Không tìm thấy hội nghị")):
        target = tmp_path / "khong.docx"
        refused = run("counting-record", str(target), *args)
        assert refused.exit_code == 1 and reason in refused.output, refused.output
        assert not target.exists()


@pytest.mark.parametrize("language, text", [("vi", "Ghi FILE (.docx): biên bản kiểm phiếu"),
                                            ("en", "Write FILE (.docx): the counting record")])
def test_the_command_explains_itself_in_both_languages(language, text):
    from click.testing import CliRunner
    from conference.cli.commands import cli
    answer = CliRunner().invoke(cli, ["counting-record", "--help"], env={"CONFERENCE_LANG": language})
    assert answer.exit_code == 0 and text in " ".join(answer.output.split())


def test_libreoffice_prints_it(admin_client, app, auth, conference_id, tmp_path):
    day = set_up_the_day(app, admin_client, auth, conference_id)
    source = tmp_path / "kiem-phieu.docx"
    source.write_bytes(admin_client.get(url(day["election"])).data)
    [pdf] = convert_to_pdf([source], tmp_path)
    pages = pdf_pages(pdf)
    text = " ".join(" ".join(w.text for w in page.words) for page in pages)
    assert "KIỂM PHIẾU" in text and "TRƯỞNG BAN" in text and "66,7%" in text
    for page in pages:  # NĐ 30/2020's margins: nothing in the left 30 mm, nothing off the page's edges
        assert not outside(page, 10, 10, 15, 10), [w.text for w in outside(page, 10, 10, 15, 10)][:10]
        assert not [w for w in page.words if w.x0 < 30 * MM - 0.5 * MM]
