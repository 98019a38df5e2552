"""Office pages: the named accounts and who is signed in (administrators only, see auth.office_allows).

A new or reset password is shown once, in the answer to the form that made it: it is never
put in the cookie or kept anywhere but as its hash.
"""
from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from conference.core.errors import N_, ConferenceError
from conference.core.models import AccountRole
from conference.office.frame import bp, done
from . import sessions, users as accounts  # `users` is the page's endpoint
from .guards import current_principal

ROLE_LABELS = {AccountRole.ADMINISTRATOR: N_("Quản trị viên"), AccountRole.STAFF: N_("Cán bộ văn phòng"),
               AccountRole.SECRETARY: N_("Thư ký")}


@bp.context_processor
def signed_in_account():
    """The office frame shows the accounts link to administrators only."""
    principal = current_principal()
    return {"manages_accounts": bool(principal and principal.manages_accounts)}


def users_page(error: str | None = None, shown: dict | None = None, status: int = 200):
    roles = [(role.value, _(label)) for role, label in ROLE_LABELS.items()]
    return render_template("admin_users.html", users=accounts.list_users(), sessions=sessions.open_sessions(),
                           roles=roles, role_labels=dict(roles), shown=shown, error=error,
                           me=current_principal(), values=request.form), status


def _shown(user, password: str) -> dict:
    return {"login": user.login, "name": user.name, "password": password}


@bp.get("/users")
def users():
    """The accounts, and the sessions open now (people and paired devices)."""
    return users_page()


@bp.post("/users")
def users_add():
    try:
        user, password = accounts.create_user(request.form.get("login"), request.form.get("role"),
                                              request.form.get("name"), request.form.get("password"))
    except ConferenceError as error:
        return users_page(error.localized(), status=error.status)
    return users_page(shown=_shown(user, password))


@bp.post("/users/<int:user_id>/password")
def users_password(user_id: int):
    """A new password (typed, or generated and shown once); the account's sessions end."""
    try:
        user, password = accounts.set_password(user_id, request.form.get("password"))
    except ConferenceError as error:
        return users_page(error.localized(), status=error.status)
    return users_page(shown=_shown(user, password))


@bp.post("/users/<int:user_id>/role")
def users_role(user_id: int):
    try:
        user = accounts.change_role(user_id, request.form.get("role"))
    except ConferenceError as error:
        return users_page(error.localized(), status=error.status)
    return done(_("Đã đổi vai trò của “%(login)s”.", login=user.login), "admin.users")


@bp.post("/users/<int:user_id>/delete")
def users_remove(user_id: int):
    """The account goes and is signed out everywhere."""
    try:
        user = accounts.remove_user(user_id)
    except ConferenceError as error:
        return users_page(error.localized(), status=error.status)
    return done(_("Đã xoá tài khoản “%(login)s”.", login=user.login), "admin.users")


@bp.post("/users/sessions/<int:session_id>/end")
def users_end_session(session_id: int):
    """That browser is signed out at its next request, on whichever process it reaches."""
    try:
        sessions.end_session_by_id(session_id)
    except ConferenceError as error:
        return users_page(error.localized(), status=error.status)
    return done(_("Đã kết thúc phiên đăng nhập."), "admin.users")
