"""The office's stage page (/admin/stage): the sound cues (attach, level, sound check, remove), the
projector that plays them, the overlay's style sheet, and the addresses of the stage's screens."""
from __future__ import annotations

from flask import g, render_template, request
from flask_babel import gettext as _

from conference.core.errors import ConferenceError
from conference.office.frame import bp, conference_id, done
from conference.show import agenda
from . import cues, media, overlay_style, slides

UPLOAD_SLACK = 64 * 1024  # the form's other fields and the multipart framing around the file


@bp.url_value_preprocessor
def allow_a_sound_s_size(endpoint: str | None, _values) -> None:
    """A sound may be larger than any other upload (MAX_CONTENT_LENGTH): its own limit is set here,
    before the CSRF check (a before_request of the app) parses the form. Flask reads this limit
    against the Content-Length before it reads a byte of the body; the refusal is then this page,
    with the stage's own words (the office's 413 handler, checkin/delegate_pages.too_large)."""
    if endpoint == "admin.add_cue":
        request.max_content_length = media.MAX_SOUND_BYTES + UPLOAD_SLACK
        g.too_large_page = lambda: _refused(media.sound_too_large())
    elif endpoint == "admin.add_deck":
        request.max_content_length = slides.MAX_DECK_BYTES + UPLOAD_SLACK
        g.too_large_page = lambda: _refused(slides.deck_too_large())


def stage_page(error: str | None = None, status: int = 200):
    chosen = conference_id()
    return render_template("admin_stage.html", cues=cues.cue_rows(chosen), decks=slides.deck_rows(chosen),
                           items=agenda.items(chosen), max_deck_mb=slides.MAX_DECK_BYTES // (1024 * 1024),
                           devices=cues.display_devices(chosen), sound_device_id=cues.sound_device_id(chosen),
                           custom_style=overlay_style.custom_style() is not None,
                           max_mb=media.MAX_SOUND_BYTES // (1024 * 1024), error=error), status


def _refused(error: ConferenceError):
    return stage_page(error.localized(), error.status)


@bp.get("/stage")
def stage():
    """The cues, the sound page, the overlay's look."""
    return stage_page()


@bp.post("/stage/cues")
def add_cue():
    """A sound for an item or step, the awards or the speaker's time running out. Its size is
    bounded before the body is read (allow_a_sound_s_size), then again while it is copied."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return stage_page(_("Hãy chọn một tệp âm thanh (MP3, OGG hoặc WAV)."), 400)
    form = request.form
    try:
        cue = cues.attach_cue(conference_id(), form.get("target"), form.get("place"), upload.filename,
                              upload.stream, form.get("volume"))
    except ConferenceError as error:
        return _refused(error)
    return done(_("Đã gắn âm báo “%(name)s”.", name=cue.name), "admin.stage")


@bp.post("/stage/cues/<int:cue_id>/volume")
def cue_volume(cue_id: int):
    try:
        cues.set_volume(conference_id(), cue_id, request.form.get("volume"))
    except ConferenceError as error:
        return _refused(error)
    return done(_("Đã lưu âm lượng."), "admin.stage")


@bp.post("/stage/cues/<int:cue_id>/check")
def cue_check(cue_id: int):
    """Play the cue once on the hall's sound page, to set the levels."""
    try:
        cues.sound_check(conference_id(), cue_id)
    except ConferenceError as error:
        return _refused(error)
    return done(_("Máy chiếu phát âm thanh đang phát thử âm báo."), "admin.stage")


@bp.post("/stage/cues/<int:cue_id>/delete")
def cue_delete(cue_id: int):
    try:
        name = cues.remove_cue(conference_id(), cue_id)
    except ConferenceError as error:
        return _refused(error)
    return done(_("Đã xóa âm báo “%(name)s”.", name=name), "admin.stage")


@bp.post("/stage/decks")
def add_deck():
    """A report's slides (PDF) for an item or step; bounded before the body is read, then checked."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return stage_page(_("Hãy chọn một tệp PDF."), 400)
    try:
        deck = slides.attach_deck(conference_id(), request.form.get("place"), upload.filename, upload.stream)
    except ConferenceError as error:
        return _refused(error)
    return done(_("Đã gắn trang trình chiếu “%(name)s” (%(pages)d trang).", name=deck.name, pages=deck.pages),
                "admin.stage")


@bp.post("/stage/decks/<int:deck_id>/delete")
def deck_delete(deck_id: int):
    try:
        name = slides.remove_deck(conference_id(), deck_id)
    except ConferenceError as error:
        return _refused(error)
    return done(_("Đã xóa trang trình chiếu “%(name)s”.", name=name), "admin.stage")


@bp.post("/stage/sound-device")
def sound_device():
    """Which paired projector plays the cues (empty: the first one paired)."""
    try:
        cues.choose_sound_device(conference_id(), request.form.get("device_id"))
    except ConferenceError as error:
        return _refused(error)
    return done(_("Đã chọn máy chiếu phát âm thanh."), "admin.stage")


@bp.post("/stage/overlay-style")
def overlay_css():
    """The overlay's style sheet replaced by the office's, or (no file, "default") the product's again."""
    if request.form.get("default"):
        overlay_style.restore_default()
        return done(_("Lớp phủ dùng lại kiểu mặc định."), "admin.stage")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return stage_page(_("Hãy chọn một tệp CSS."), 400)
    try:
        overlay_style.replace_style(upload.stream)
    except ConferenceError as error:
        return _refused(error)
    return done(_("Đã thay kiểu của lớp phủ."), "admin.stage")
