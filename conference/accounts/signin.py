"""Sign-in for the office, pairing for devices, sign-out."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from conference.core.errors import ConferenceError
from conference.core.extensions import limiter
from conference.core.models import Role
from .guards import begin_session, finish_session, pair_this_browser
from .users import check_credentials

bp = Blueprint("auth", __name__)

HOME = {Role.ADMIN: "admin.index", Role.MC: "mc.index", Role.DOOR: "door.index", Role.DISPLAY: "display.index"}


class LoginForm(FlaskForm):
    login = StringField("login", validators=[DataRequired(), Length(max=40)])
    password = PasswordField("password", validators=[DataRequired(), Length(max=200)])


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site, never another host."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def _login_name() -> str:
    """The rate-limit key of the account being tried, whatever address the tries come from."""
    return "login-name:" + str(request.form.get("login", "")).strip().lower()[:40]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], methods=["POST"], key_func=_login_name)
def login():
    """Each person of the office signs in with their own login name and password."""
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = check_credentials(form.login.data, form.password.data)
        if user is not None:
            begin_session(user_id=user.id)
            return redirect(_safe_next(request.args.get("next")) or url_for("admin.index"))
        error = _("Tên đăng nhập hoặc mật khẩu không đúng.")
    elif request.method == "POST":  # an expired form, or a field empty or too long
        error = (_("Phiên đăng nhập đã hết hạn, vui lòng thử lại.") if "csrf_token" in form.errors
                 else _("Tên đăng nhập hoặc mật khẩu không đúng."))
    status = 401 if error else 200
    return render_template("login.html", form=form, error=error), status


@bp.get("/pair/<token>")
def pair(token: str):
    """Opening a pairing address signs this browser in as its device (a session of its own), once:
    a used, expired or unknown address gets a page that says which (accounts/pairing.py)."""
    try:
        role = pair_this_browser(token)
    except ConferenceError as refused:
        return render_template("pair_failed.html", reason=refused.localized()), refused.status
    return redirect(url_for(HOME[role]))


@bp.post("/logout")
def logout():
    """End this browser's sign-in or pairing, on every server process."""
    finish_session()
    return redirect(url_for("auth.login"))


@bp.get("/")
def home():
    """The front page lists the screens."""
    return render_template("home.html")
