"""Office pages: the hall and its seats. The hall described (or copied from another conference),
the seating chart as a grid of the hall, a seat given by hand or cleared, the automatic
assignment, and the printed chart and name cards."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _, ngettext

from conference.checkin.roster import office_list
from conference.core.errors import ConferenceError
from conference.office.frame import bp, conference_id, done, message_page
from conference.office.lifecycle import conferences
from conference.papers.pages import download
from . import assign, hall

BLOCK_LINES = hall.MAX_BLOCKS  # the form's lines for blocks; an empty name leaves a line out
BLOCK_FIELDS = ("name", "rows", "seats", "guest_rows", "honouree_rows")
PAPER_SIZES = ("A3", "A4")


def _page(error: str | None = None, status: int = 200, values: dict | None = None):
    cid = conference_id()
    plan = hall.hall_plan(cid)
    if values is None:
        spec = hall.spec_of(cid)
        values = {"presidium": spec.presidium, "secretariat": spec.secretariat,
                  "blocks": [vars(block) for block in spec.blocks]}
    values["blocks"] = (values["blocks"] + [{}] * BLOCK_LINES)[:BLOCK_LINES]
    others = [c for c in conferences() if c.id != cid]
    return render_template("admin_seating.html", plan=plan, values=values, others=others,
                           delegates=office_list(cid, None), label=lambda code: hall.seat_label(code, _),
                           error=error), status


@bp.get("/seating")
def seating():
    """The hall as a grid, each seat with its delegate; describe the hall, seat people, print."""
    return _page()


@bp.post("/seating/hall")
def seating_hall():
    form = request.form
    blocks = [{key: form.get(f"{key}_{line}", "") for key in BLOCK_FIELDS} for line in range(BLOCK_LINES)]
    try:
        count = hall.describe_hall(conference_id(), form.get("presidium"), form.get("secretariat"), blocks)
    except ConferenceError as error:
        values = {"presidium": form.get("presidium", ""), "secretariat": form.get("secretariat", ""),
                  "blocks": blocks}
        return _page(error.localized(), error.status, values)
    return done(ngettext("Hội trường có %(num)d ghế.", "Hội trường có %(num)d ghế.", count), "admin.seating")


@bp.post("/seating/copy")
def seating_copy():
    source = request.form.get("source", "")
    try:
        count = hall.copy_hall(conference_id(), int(source) if source.isdigit() else None)
    except ConferenceError as error:
        return _page(error.localized(), error.status)
    return done(ngettext("Đã chép hội trường: %(num)d ghế.", "Đã chép hội trường: %(num)d ghế.", count),
                "admin.seating")


@bp.post("/seating/assign")
def seating_assign():
    """Pick a delegate, pick a seat (from the list, or an empty seat of the grid: seat_pick)."""
    delegate_id = request.form.get("delegate", "")
    try:
        delegate = assign.assign_seat(conference_id(), int(delegate_id) if delegate_id.isdigit() else None,
                                      request.form.get("seat_pick") or request.form.get("seat"))
    except ConferenceError as error:
        return _page(error.localized(), error.status)
    return done(_("%(name)s: %(seat)s.", name=delegate.full_name, seat=hall.seat_label(delegate.seat, _)),
                "admin.seating")


@bp.post("/seating/<int:delegate_id>/clear")
def seating_clear(delegate_id: int):
    try:
        delegate = assign.clear_seat(conference_id(), delegate_id)
    except ConferenceError as error:
        return _page(error.localized(), error.status)
    return done(_("%(name)s chưa có ghế.", name=delegate.full_name), "admin.seating")


@bp.post("/seating/automatic")
def seating_automatic():
    """Every delegate without a seat gets one, in protocol order; nobody seated moves."""
    try:
        count = assign.assign_automatically(conference_id())
    except ConferenceError as error:
        return _page(error.localized(), error.status)
    return done(ngettext("Đã xếp ghế cho %(num)d đại biểu.", "Đã xếp ghế cho %(num)d đại biểu.", count),
                "admin.seating")


@bp.get("/seating-chart.pdf")
def seating_chart_pdf():
    """The chart for the ushers at the door (?size=A3 or A4): every seat, its delegate or empty."""
    from conference.papers.seating_chart import seating_chart_pdf as make
    size = request.args.get("size", "A3")
    if size not in PAPER_SIZES:
        return message_page(_("Khổ giấy phải là A3 hoặc A4."), 400)
    try:
        data = make(conference_id(), size)
    except ConferenceError as error:
        return message_page(error.localized(), error.status)
    return download(data, f"so-do-cho-ngoi-{size}.pdf", "application/pdf")


@bp.get("/name-cards.pdf")
def name_cards_pdf():
    """Desk name cards: the presidium, the secretariat, the guests and any chosen delegates
    (?delegate=ID, several), or everyone (?all=1)."""
    from conference.papers.name_cards import name_cards_pdf as make
    chosen = request.args.getlist("delegate")
    if not all(value.isdigit() for value in chosen):
        return message_page(_("Lựa chọn không hợp lệ."), 400)
    try:
        data = make(conference_id(), [int(value) for value in chosen], everyone=request.args.get("all") == "1")
    except ConferenceError as error:
        return message_page(error.localized(), error.status)
    return download(data, "bien-ten-de-ban.pdf", "application/pdf")
