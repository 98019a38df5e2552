"""Office pages: the conference details, the delegate groups, the item-8 candidates."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from conference.checkin import quorum, roster
from conference.core.errors import ConferenceError
from conference.votes import results as vote_results
from . import details
from .frame import bp, conference_id, direction, done


# --- the conference -------------------------------------------------------------------------

def conference_page(error: str | None = None, values=None):
    conference = details.conference_or_404(conference_id())
    if values is None:
        values = {key: getattr(conference, key) or "" for key in details.CONFERENCE_TEXT}
        values.update(date=conference.date.isoformat() if conference.date else "",
                      starts_at=conference.starts_at or "", award_batch_size=conference.award_batch_size,
                      quorum_rule=conference.quorum_rule, vote_rule=conference.vote_rule)
    return render_template("admin_conference.html", values=values, error=error, quorum_rules=quorum.RULES,
                           vote_rules=vote_results.RULES)


@bp.get("/conference")
def conference():
    """The conference's details: title, edition, period, organisers, venue, date, chair, secretary."""
    return conference_page()


@bp.post("/conference")
def save_conference():
    """Save the details; every screen shows the new ones at once."""
    try:
        details.update_conference(conference_id(), request.form)
    except ConferenceError as error:
        return conference_page(error.localized(), request.form), error.status
    return done(_("Đã lưu thông tin hội nghị."), "admin.conference")


# --- delegate groups -------------------------------------------------------------------------

def groups_page(error: str | None = None, values=None, failed: int | None = None, status: int = 200):
    cid = conference_id()
    return render_template("admin_groups.html", groups=roster.groups(cid), counts=roster.group_sizes(cid),
                           error=error, values=values or {}, failed=failed), status


@bp.get("/groups")
def groups():
    """The plan's "Thành phần" list, in protocol order, with each group's badge colour."""
    return groups_page()


@bp.post("/groups")
def add_group():
    """Add a group at the end of the list."""
    try:
        group = details.create_group(conference_id(), request.form.get("name"), request.form.get("color"))
    except ConferenceError as error:
        return groups_page(error.localized(), request.form, status=error.status)
    return done(_("Đã thêm thành phần “%(name)s”.", name=group.name), "admin.groups")


@bp.post("/groups/<int:group_id>")
def save_group(group_id: int):
    """Rename a group or change its colour."""
    try:
        details.update_group(conference_id(), group_id, request.form.get("name"), request.form.get("color"))
    except ConferenceError as error:
        return groups_page(error.localized(), request.form, failed=group_id, status=error.status)
    return done(_("Đã lưu."), "admin.groups")


@bp.post("/groups/<int:group_id>/move")
def move_group(group_id: int):
    """One place up or down in protocol order."""
    try:
        details.move_group(conference_id(), group_id, direction())
    except ConferenceError as error:
        return groups_page(error.localized(), status=error.status)
    return done(_("Đã đổi thứ tự."), "admin.groups")


@bp.post("/groups/<int:group_id>/delete")
def delete_group(group_id: int):
    """Remove an empty group."""
    try:
        details.delete_group(conference_id(), group_id)
    except ConferenceError as error:
        return groups_page(error.localized(), status=error.status)
    return done(_("Đã xóa thành phần."), "admin.groups")


# --- item 8: candidates ----------------------------------------------------------------------

def candidates_page(error: str | None = None, values=None, failed: int | None = None, status: int = 200):
    cid = conference_id()
    return render_template("admin_candidates.html", candidates=details.candidates(cid),
                           delegates=roster.search_delegates(cid, None), error=error,
                           values=values or {}, failed=failed), status


@bp.get("/candidates")
def candidates():
    """Item 8: who is proposed for the higher-level conference."""
    return candidates_page()


@bp.post("/candidates")
def add_candidate():
    """Propose a delegate, or a name typed in."""
    form = request.form
    try:
        candidate = details.add_candidate(conference_id(), form.get("full_name"), form.get("title"),
                                             form.get("unit"), form.get("delegate_id"))
    except ConferenceError as error:
        return candidates_page(error.localized(), form, status=error.status)
    return done(_("Đã thêm “%(name)s” vào danh sách đề cử.", name=candidate.full_name), "admin.candidates")


@bp.post("/candidates/<int:candidate_id>")
def save_candidate(candidate_id: int):
    form = request.form
    try:
        details.update_candidate(conference_id(), candidate_id, form.get("full_name"), form.get("title"),
                                    form.get("unit"), form.get("delegate_id"))
    except ConferenceError as error:
        return candidates_page(error.localized(), form, failed=candidate_id, status=error.status)
    return done(_("Đã lưu."), "admin.candidates")


@bp.post("/candidates/<int:candidate_id>/move")
def move_candidate(candidate_id: int):
    try:
        details.move_candidate(conference_id(), candidate_id, direction())
    except ConferenceError as error:
        return candidates_page(error.localized(), status=error.status)
    return done(_("Đã đổi thứ tự."), "admin.candidates")


@bp.post("/candidates/<int:candidate_id>/delete")
def delete_candidate(candidate_id: int):
    try:
        details.remove_candidate(conference_id(), candidate_id)
    except ConferenceError as error:
        return candidates_page(error.localized(), status=error.status)
    return done(_("Đã xóa khỏi danh sách đề cử."), "admin.candidates")
