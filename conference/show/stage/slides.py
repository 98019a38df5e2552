"""The report's slides: a PDF attached to an item or a step, shown full screen by the projectors
when the show reaches it, its pages turned by the clicker before the show moves on (docs/SHOW.md §10).

The page up is stored (StageState.slide_page) with the run it belongs to: a new run of the place
starts again at page 1, and every screen derives the same page from the snapshot's "slide".
"""
from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import sqlalchemy as sa

from conference.core.db import db, utcnow, write_transaction
from conference.core.errors import Conflict, ConferenceError, NotFound
from conference.core.models import AgendaItem, ShowRun, StageDeck, StageState
from conference.core.pdfs import not_a_pdf, pdf_pages
from conference.core.state import bump_version, show_state
from . import media
from .cues import place_rows, folder, parse_place, stage_state

MAX_DECK_BYTES = 100 * 1024 * 1024
MAX_PAGES = 500


def deck_too_large() -> ConferenceError:
    return ConferenceError("deck_too_large", "Tệp trình chiếu lớn quá %(mb)d MB.", 413,
                           mb=MAX_DECK_BYTES // (1024 * 1024))


def attach_deck(conference_id: int, place: object, name: str, stream: BinaryIO) -> StageDeck:
    """Check the PDF and keep it as the slides of an item or step ("N" or "N.S"), replacing theirs."""
    spot = parse_place(place)
    name = (name or "").strip()[-200:] or "?"
    if not name.lower().endswith(".pdf"):
        raise not_a_pdf(name)
    try:
        received = media.receive(stream, folder(), MAX_DECK_BYTES)
    except ConferenceError as error:
        raise deck_too_large() if error.code == "sound_too_large" else error
    try:
        pages = pdf_pages(received, name)
        if pages > MAX_PAGES:
            raise ConferenceError("too_many_pages", "Tệp trình chiếu phải có từ 1 đến %(pages)d trang.", pages=MAX_PAGES)
        stored = f"deck-{received.stem.split('-', 1)[1]}.pdf"
        received.rename(folder() / stored)
        try:
            return _store(conference_id, spot, name, stored, pages)
        except BaseException:
            (folder() / stored).unlink(missing_ok=True)
            raise
    finally:
        received.unlink(missing_ok=True)


def _store(conference_id: int, place, name: str, stored: str, pages: int) -> StageDeck:
    with write_transaction():
        item, step = place_rows(conference_id, place)
        for old in db.session.scalars(sa.select(StageDeck).where(
                StageDeck.conference_id == conference_id, StageDeck.item_id == item.id,
                StageDeck.step_id == step.id if step else StageDeck.step_id.is_(None))):
            (folder() / old.stored).unlink(missing_ok=True)
            db.session.delete(old)
        deck = StageDeck(conference_id=conference_id, item_id=item.id, step_id=step.id if step else None, name=name,
                         stored=stored, size=(folder() / stored).stat().st_size, pages=pages, created_at=utcnow())
        db.session.add(deck)
        bump_version(conference_id)
    return deck


def _deck(conference_id: int, deck_id: int) -> StageDeck:
    deck = db.session.get(StageDeck, deck_id)
    if deck is None or deck.conference_id != conference_id:
        raise NotFound("unknown_deck", "Không tìm thấy tệp trình chiếu này.")
    return deck


def remove_deck(conference_id: int, deck_id: int) -> str:
    with write_transaction():
        deck = _deck(conference_id, deck_id)
        name = deck.name
        (folder() / deck.stored).unlink(missing_ok=True)
        db.session.delete(deck)
        bump_version(conference_id)
    return name


def deck_file(conference_id: int, deck_id: int) -> Path:
    path = folder() / _deck(conference_id, deck_id).stored
    if not path.is_file():
        raise NotFound("unknown_deck", "Không tìm thấy tệp trình chiếu này.")
    return path


def current_deck(conference_id: int, item, step) -> tuple[StageDeck, ShowRun] | None:
    """The deck of the place the show stands on, and that place's open run."""
    if item is None:
        return None
    deck = db.session.scalar(sa.select(StageDeck).where(
        StageDeck.conference_id == conference_id, StageDeck.item_id == item.id,
        StageDeck.step_id == step.id if step else StageDeck.step_id.is_(None)))
    run = db.session.scalar(sa.select(ShowRun).where(
        ShowRun.conference_id == conference_id, ShowRun.item_id == item.id,
        ShowRun.step_id == step.id if step else ShowRun.step_id.is_(None),
        ShowRun.ended_at.is_(None)).order_by(ShowRun.id.desc()).limit(1))
    return (deck, run) if deck is not None and run is not None else None


def page_up(state, run: ShowRun) -> tuple[int, bool]:
    """The page shown for this run, and whether the MC switched back to the agenda screen."""
    if state is None or state.slide_run_id != run.id:
        return 1, False
    return state.slide_page, bool(state.slides_hidden)


def _here(conference_id: int):
    show = show_state(conference_id)
    item = db.session.scalar(sa.select(AgendaItem).where(AgendaItem.conference_id == conference_id,
                                                         AgendaItem.position == show.current_position))
    step = next((s for s in item.steps if s.position == show.current_step), None) if item else None
    found = current_deck(conference_id, item, step)
    if found is None:
        raise Conflict("no_slides", "Chỗ này của chương trình không có trang trình chiếu.")
    return found


def page_that_way(conference_id: int, delta: int) -> bool:
    """Whether a clicker's key turns a page rather than moving the show: the current place's slides
    are on the projectors and have a page that way (the MC console asks the same, mc-slides.js drive)."""
    try:
        deck, run = _here(conference_id)
    except Conflict:
        return False
    page, hidden = page_up(db.session.get(StageState, conference_id), run)
    return not hidden and 1 <= page + delta <= deck.pages


def turn_page(conference_id: int, delta: object, from_page: object = None) -> None:
    """Next (+1) or previous (-1) page of the current place's slides. A press made on a page already
    left (another console turned it) is not applied, as a show press is not (docs/SHOW.md §6)."""
    whole = isinstance(from_page, int) and not isinstance(from_page, bool)
    if delta not in (1, -1) or (from_page is not None and not whole):
        raise ConferenceError("invalid_page", "Trang không hợp lệ.")
    with write_transaction():
        deck, run = _here(conference_id)
        state = stage_state(conference_id)
        page, _hidden = page_up(state, run)
        if from_page is not None and from_page != page:
            raise Conflict("moved_elsewhere", "Trang trình chiếu đã được chuyển; lần bấm này không áp dụng.")
        if not 1 <= page + delta <= deck.pages:
            raise Conflict("no_page", "Không còn trang nào theo hướng này.")
        state.slide_page, state.slide_run_id, state.slides_hidden = page + delta, run.id, False
        bump_version(conference_id)


def show_slides(conference_id: int, shown: object, page: object = None) -> None:
    """The projectors show the slides (true) or the agenda screen (false), at the same page or at
    PAGE (the MC going straight to a page, a question from the floor about page 12)."""
    if not isinstance(shown, bool):
        raise ConferenceError("invalid_shown", "“shown” phải là true hoặc false.")
    if page is not None and (not isinstance(page, int) or isinstance(page, bool)):
        raise ConferenceError("invalid_page", "Trang không hợp lệ.")
    with write_transaction():
        deck, run = _here(conference_id)
        if page is not None and not 1 <= page <= deck.pages:
            raise ConferenceError("invalid_page", "Trang không hợp lệ.")
        state = stage_state(conference_id)
        kept, _hidden = page_up(state, run)
        state.slide_page, state.slide_run_id, state.slides_hidden = page or kept, run.id, not shown
        bump_version(conference_id)


def deck_rows(conference_id: int) -> list[dict]:
    """The office's list of decks, each with its place ("4", "4.2")."""
    items = {item.id: item for item in db.session.scalars(
        sa.select(AgendaItem).where(AgendaItem.conference_id == conference_id))}
    rows = []
    for deck in db.session.scalars(sa.select(StageDeck).where(StageDeck.conference_id == conference_id)
                                   .order_by(StageDeck.item_id, StageDeck.step_id)):
        item = items[deck.item_id]
        step = next((s for s in item.steps if s.id == deck.step_id), None)
        rows.append({"id": deck.id, "place": f"{item.position}.{step.position}" if step else str(item.position),
                     "title": (step or item).title, "name": deck.name, "pages": deck.pages, "size": deck.size})
    return rows
