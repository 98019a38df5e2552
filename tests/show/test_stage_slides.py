"""The report's slides (docs/SHOW.md §10) through the Flask test client: a deck is a PDF that pypdf
reads, with no script and no bomb, checked before it is kept; the snapshot's "slide" names the page
up, turned one page at a time within the deck, back to page 1 on a new run of the place; the MC
switches the projectors back to the agenda screen and returns; the PDF goes to screens, the MC and
the office only; the command line attaches a deck; a deck over 100 MB or 500 pages is refused and
nothing is kept; a button box's or a script's next and previous turn the pages shown first."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import bearer
from tests.show.stage_decks import bomb, deck, scripted


def state(client) -> dict:
    return client.get("/api/state").get_json()


def attach(admin_client, name: str, content: bytes, place: str = "2"):
    return admin_client.post("/admin/stage/decks", content_type="multipart/form-data", data={
        "csrf_token": admin_client.csrf_token, "place": place, "file": (io.BytesIO(content), name)})


def kept(app) -> list[str]:
    folder = Path(app.config["INSTANCE_PATH"]) / "stage"
    return sorted(path.suffix for path in folder.iterdir()) if folder.exists() else []


def test_a_deck_with_a_script_a_bomb_or_no_pdf_at_all_is_refused_before_it_is_kept(app, client, admin_client):
    before = state(client)["version"]
    refusals = {"scripted.pdf": (scripted(), "JavaScript"), "bomb.pdf": (bomb(), "giải nén lớn bất thường"),
                "virus.pdf": (b"MZ\x90\x00" + b"\x00" * 400, "không phải một tệp PDF"),
                "deck.ppt": (deck(2), "không phải một tệp PDF")}
    for name, (content, reason) in refusals.items():
        answer = attach(admin_client, name, content)
        assert answer.status_code in (413, 415) and reason in answer.get_data(as_text=True), name
    assert kept(app) == [] and state(client)["version"] == before


def test_the_clicker_turns_the_pages_within_the_deck_and_a_new_run_starts_at_page_one(client, admin_client, auth):
    assert attach(admin_client, "bao-cao.pdf", deck(3)).status_code == 303
    mc = auth("mc")
    client.post("/api/show/goto", json={"position": 2}, headers=mc)
    slide = state(client)["slide"]
    assert (slide["page"], slide["pages"], slide["shown"], slide["name"]) == (1, 3, True, "bao-cao.pdf")
    assert client.post("/api/stage/slide/previous", json={}, headers=mc).status_code == 409  # no page 0
    for page in (2, 3):
        answer = client.post("/api/stage/slide/next", json={"from": page - 1}, headers=mc)
        assert answer.get_json()["slide"]["page"] == page
    assert client.post("/api/stage/slide/next", json={}, headers=mc).get_json()["error"]["code"] == "no_page"
    stale = client.post("/api/stage/slide/previous", json={"from": 2}, headers=mc)  # a console a page behind
    assert stale.get_json()["error"]["code"] == "moved_elsewhere" and state(client)["slide"]["page"] == 3
    assert client.post("/api/stage/slides", json={"shown": False}, headers=mc).get_json()["slide"] == {
        **state(client)["slide"], "page": 3, "shown": False}  # the agenda screen, the page kept
    assert client.post("/api/stage/slides", json={"shown": True}, headers=mc).get_json()["slide"]["page"] == 3
    assert client.post("/api/stage/slides", json={"shown": True, "page": 4}, headers=mc).status_code == 400
    assert client.post("/api/stage/slides", json={"shown": True, "page": 2}, headers=mc).get_json()["slide"]["page"] == 2
    client.post("/api/show/goto", json={"position": 3}, headers=mc)
    assert state(client)["slide"] is None  # item 3 has no deck
    client.post("/api/show/previous", headers=mc)
    assert state(client)["slide"]["page"] == 1  # a new run of item 2: from the first page
    assert client.post("/api/stage/slide/next", json={"from": "x"}, headers=mc).status_code == 400
    assert client.post("/api/stage/slide/next", json={}, headers=auth("door")).status_code == 403


def test_a_deck_over_100_mb_is_refused_from_its_length_before_it_is_read_and_nothing_is_kept(app, client, admin_client):
    from conference.show.stage import slides
    before = state(client)["version"]
    answer = admin_client.post("/admin/stage/decks", input_stream=io.BytesIO(b"x" * 10),
                               content_type="multipart/form-data; boundary=x",
                               environ_overrides={"CONTENT_LENGTH": str(slides.MAX_DECK_BYTES + 1024 * 1024)})
    assert answer.status_code == 413  # nothing was read: the body is ten bytes, its length says 101 MB
    assert "Tệp trình chiếu lớn quá 100 MB." in answer.get_data(as_text=True)  # the stage page, its own words
    assert 'name="place"' in answer.get_data(as_text=True)  # the office can pick another file at once
    assert kept(app) == [] and state(client)["version"] == before


def test_a_deck_of_more_than_500_pages_is_refused_and_nothing_is_kept(app, client, admin_client):
    before = state(client)["version"]
    answer = attach(admin_client, "ky-yeu.pdf", deck(501))
    assert answer.status_code == 400
    assert "Tệp trình chiếu phải có từ 1 đến 500 trang." in answer.get_data(as_text=True)
    assert kept(app) == [] and state(client)["version"] == before
    assert attach(admin_client, "bao-cao.pdf", deck(500)).status_code == 303  # the cap itself is allowed


@pytest.mark.parametrize("way", ["press address", "mc token"])
def test_a_button_box_or_a_script_turns_the_pages_shown_first_as_the_console_s_pagedown(
        client, admin_client, auth, tokens, way):
    """One clicker for the whole hall: a Stream Deck's press address and POST /api/show/next take the
    deck's pages first, then move the show past the last page (or before the first), as PageDown does."""
    assert attach(admin_client, "bao-cao.pdf", deck(3)).status_code == 303
    mc = auth("mc")
    if way == "press address":
        press = lambda action: client.get(f"/press/{tokens['button']}/{action}")  # noqa: E731
    else:
        press = lambda action: client.post(f"/api/show/{action}", headers=mc)  # noqa: E731
    client.post("/api/show/goto", json={"position": 2}, headers=mc)
    where = lambda: (state(client)["current"], (state(client)["slide"] or {}).get("page"))  # noqa: E731
    seen = []
    for action in ("next", "next", "next", "previous", "next", "previous", "previous"):
        assert press(action).status_code == 200, action
        seen.append(where())
    assert seen == [(2, 2), (2, 3), (3, None), (2, 1), (2, 2), (2, 1), (1, None)]
    client.post("/api/show/goto", json={"position": 2}, headers=mc)
    client.post("/api/stage/slides", json={"shown": False}, headers=mc)  # the agenda screen: the keys move the show
    press("next")
    assert where() == (3, None)


def test_a_script_s_press_made_on_a_place_already_left_turns_no_page(client, admin_client, auth):
    attach(admin_client, "bao-cao.pdf", deck(3))
    mc = auth("mc")
    client.post("/api/show/goto", json={"position": 2}, headers=mc)
    stale = client.post("/api/show/next", json={"from": {"position": 1, "step": None}}, headers=mc)
    assert stale.get_json()["error"]["code"] == "moved_elsewhere" and state(client)["slide"]["page"] == 1
    fresh = client.post("/api/show/next", json={"from": {"position": 2, "step": None}}, headers=mc)
    assert fresh.get_json()["slide"]["page"] == 2 and fresh.get_json()["current"] == 2


def test_a_deck_s_pdf_goes_to_screens_the_mc_and_the_office_only(client, admin_client, tokens):
    attach(admin_client, "bao-cao.pdf", deck(2))
    url = admin_client.get("/admin/stage").get_data(as_text=True).split('data-deck="', 1)[1].split('"', 1)[0]
    url = f"/display/decks/{url}"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=bearer(tokens["door"])).status_code == 403
    for answer in (client.get(url, headers=bearer(tokens["display"])), client.get(url, headers=bearer(tokens["mc"])),
                   admin_client.get(url)):
        assert answer.status_code == 200 and answer.mimetype == "application/pdf"
        assert answer.headers["X-Content-Type-Options"] == "nosniff" and answer.data.startswith(b"%PDF-")
        # opened on its own, outside the projector's renderer, the PDF runs nothing (as /me documents)
        assert answer.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_the_command_line_attaches_slides_and_refuses_a_scripted_deck(tmp_path):
    from conference.cli.commands import cli
    env = {"CONFERENCE_INSTANCE": str(tmp_path / "cli-instance"), "CONFERENCE_LANG": "vi",
           "CONFERENCE_ADMIN_PASSWORD": "stage-cli-password"}
    (tmp_path / "bao-cao.pdf").write_bytes(deck(4))
    (tmp_path / "macro.pdf").write_bytes(scripted())
    run = lambda *args: CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)  # noqa: E731
    done = run("add-slides", str(tmp_path / "bao-cao.pdf"), "--item", "4.1")
    assert done.exit_code == 0 and "4 trang" in done.output, done.output
    refused = run("add-slides", str(tmp_path / "macro.pdf"), "--item", "3")
    assert refused.exit_code == 1 and "JavaScript" in refused.output
    assert sorted(path.suffix for path in (tmp_path / "cli-instance" / "stage").iterdir()) == [".pdf"]


def test_the_command_line_refuses_a_deck_over_its_size_or_its_pages_and_keeps_nothing(tmp_path, monkeypatch):
    """A file has no Content-Length: its size is counted while it is copied (the limit made small
    here, rather than writing 100 MB to the disk)."""
    from conference.cli.commands import cli
    from conference.show.stage import slides
    env = {"CONFERENCE_INSTANCE": str(tmp_path / "cli-instance"), "CONFERENCE_LANG": "vi",
           "CONFERENCE_ADMIN_PASSWORD": "stage-cli-password"}
    (tmp_path / "ky-yeu.pdf").write_bytes(deck(501))
    run = lambda *args: CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)  # noqa: E731
    refused = run("add-slides", str(tmp_path / "ky-yeu.pdf"), "--item", "3")
    assert refused.exit_code == 1 and "từ 1 đến 500 trang" in refused.output, refused.output
    monkeypatch.setattr(slides, "MAX_DECK_BYTES", 8 * 1024)
    (tmp_path / "bao-cao.pdf").write_bytes(deck(40))
    assert (tmp_path / "bao-cao.pdf").stat().st_size > 8 * 1024
    refused = run("add-slides", str(tmp_path / "bao-cao.pdf"), "--item", "3")
    assert refused.exit_code == 1 and "Tệp trình chiếu lớn quá" in refused.output, refused.output
    stage = tmp_path / "cli-instance" / "stage"
    assert not stage.exists() or list(stage.iterdir()) == []
