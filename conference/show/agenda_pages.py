"""Office pages: the program (items in order, their presenters, planned minutes, MC script, sub-steps)."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from conference.core.errors import N_, ConferenceError, NotFound
from conference.core.models import ItemKind
from conference.office.frame import bp, conference_id, direction, done, not_found_page
from . import agenda

KIND_LABELS = {  # msgids for the item kinds, in the order the select lists them
    ItemKind.NORMAL: N_("Thông thường"), ItemKind.FLAG: N_("Chào cờ"), ItemKind.TALKS: N_("Tham luận"),
    ItemKind.AWARDS: N_("Khen thưởng"), ItemKind.VOTE: N_("Biểu quyết"), ItemKind.CLOSING: N_("Bế mạc"),
}


def kinds() -> list[tuple[str, str]]:
    return [(kind.value, _(label)) for kind, label in KIND_LABELS.items()]


def _locked() -> bool:
    return agenda.show_started(conference_id())


def agenda_page(error: str | None = None, values=None, status: int = 200):
    return render_template("admin_agenda.html", items=agenda.items(conference_id()), kinds=kinds(),
                           kind_labels=dict(kinds()), locked=_locked(), error=error, values=values or {}), status


@bp.get("/agenda")
def agenda_list():
    """The items in order; add, reorder or remove them before the show starts."""
    return agenda_page()


@bp.post("/agenda")
def add_item():
    """A new item at the end of the program."""
    form = request.form
    try:
        item = agenda.add_item(conference_id(), form.get("title"), form.get("presenter"),
                               form.get("planned_minutes"), form.get("kind"), form.get("script"))
    except ConferenceError as error:
        return agenda_page(error.localized(), form, error.status)
    return done(_("Đã thêm mục “%(title)s”.", title=item.title), "admin.agenda_item", item_id=item.id)


@bp.post("/agenda/<int:item_id>/move")
def move_item(item_id: int):
    try:
        agenda.move_item(conference_id(), item_id, direction())
    except ConferenceError as error:
        return agenda_page(error.localized(), status=error.status)
    return done(_("Đã đổi thứ tự."), "admin.agenda_list")


@bp.post("/agenda/<int:item_id>/delete")
def delete_item(item_id: int):
    try:
        title = agenda.remove_item(conference_id(), item_id)
    except ConferenceError as error:
        return agenda_page(error.localized(), status=error.status)
    return done(_("Đã xóa mục “%(title)s”.", title=title), "admin.agenda_list")


def item_page(item_id: int, error: str | None = None, values=None, failed: int | None = None,
              status: int = 200):
    try:
        item = agenda.get_item(conference_id(), item_id)
    except NotFound:
        return not_found_page(_("Không tìm thấy mục này trong chương trình."))
    if values is None:
        values = {"title": item.title, "presenter": item.presenter or "", "kind": item.kind.value,
                  "planned_minutes": "" if item.planned_minutes is None else item.planned_minutes,
                  "script": item.script or ""}
    return render_template("admin_agenda_item.html", item=item, kinds=kinds(), locked=_locked(), error=error,
                           values=values, failed=failed), status


@bp.get("/agenda/<int:item_id>")
def agenda_item(item_id: int):
    """One item: its wording, presenter, planned minutes, MC script and sub-steps."""
    return item_page(item_id)


@bp.post("/agenda/<int:item_id>")
def save_item(item_id: int):
    """Wording can be corrected at any time, even during the show."""
    form = request.form
    try:
        agenda.update_item(conference_id(), item_id, form.get("title"), form.get("presenter"),
                           form.get("planned_minutes"), form.get("kind"), form.get("script"))
    except ConferenceError as error:
        return item_page(item_id, error.localized(), form, status=error.status)
    return done(_("Đã lưu mục này."), "admin.agenda_item", item_id=item_id)


@bp.post("/agenda/<int:item_id>/steps")
def add_step(item_id: int):
    """A sub-step: one tham luận speaker, one part of an item."""
    form = request.form
    try:
        agenda.add_step(conference_id(), item_id, form.get("title"), form.get("presenter"),
                        form.get("planned_minutes"))
    except ConferenceError as error:
        return item_page(item_id, error.localized(), status=error.status)
    return done(_("Đã thêm bước."), "admin.agenda_item", item_id=item_id)


def _step_item(step_id: int) -> int | None:
    try:
        return agenda.get_step(conference_id(), step_id).item_id
    except NotFound:
        return None


@bp.post("/agenda/steps/<int:step_id>")
def save_step(step_id: int):
    item_id = _step_item(step_id)
    if item_id is None:
        return not_found_page(_("Không tìm thấy bước này."))
    form = request.form
    try:
        agenda.update_step(conference_id(), step_id, form.get("title"), form.get("presenter"),
                           form.get("planned_minutes"))
    except ConferenceError as error:
        return item_page(item_id, error.localized(), failed=step_id, status=error.status)
    return done(_("Đã lưu."), "admin.agenda_item", item_id=item_id)


@bp.post("/agenda/steps/<int:step_id>/move")
def move_step(step_id: int):
    item_id = _step_item(step_id)
    if item_id is None:
        return not_found_page(_("Không tìm thấy bước này."))
    try:
        agenda.move_step(conference_id(), step_id, direction())
    except ConferenceError as error:
        return item_page(item_id, error.localized(), status=error.status)
    return done(_("Đã đổi thứ tự."), "admin.agenda_item", item_id=item_id)


@bp.post("/agenda/steps/<int:step_id>/delete")
def delete_step(step_id: int):
    item_id = _step_item(step_id)
    if item_id is None:
        return not_found_page(_("Không tìm thấy bước này."))
    try:
        agenda.remove_step(conference_id(), step_id)
    except ConferenceError as error:
        return item_page(item_id, error.localized(), status=error.status)
    return done(_("Đã xóa bước."), "admin.agenda_item", item_id=item_id)
