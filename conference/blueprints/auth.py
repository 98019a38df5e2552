"""Sign-in for the office, pairing for devices, sign-out."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, Length

from ..extensions import limiter
from ..models import Role
from ..services.devices import authenticate, password_matches

bp = Blueprint("auth", __name__)

HOME = {Role.ADMIN: "admin.index", Role.MC: "mc.index", Role.DOOR: "door.index", Role.DISPLAY: "display.index"}


class LoginForm(FlaskForm):
    password = PasswordField("password", validators=[DataRequired(), Length(max=200)])


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site, never another host."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    """The office signs in with the admin password."""
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        if password_matches(form.password.data, current_app.config["ADMIN_PASSWORD"]):
            session.clear()
            session["admin"] = True
            session.permanent = True
            return redirect(_safe_next(request.args.get("next")) or url_for("admin.index"))
        error = _("Mật khẩu không đúng.")
    elif request.method == "POST":
        error = _("Phiên đăng nhập đã hết hạn, vui lòng thử lại.")
    status = 401 if error else 200
    return render_template("login.html", form=form, error=error), status


@bp.get("/pair/<token>")
def pair(token: str):
    """Opening a pairing address signs this device in with the token's role."""
    principal = authenticate(token)
    if principal is None:
        return render_template("pair_failed.html"), 404
    session.clear()
    session["device_token"] = token
    session.permanent = True
    return redirect(url_for(HOME[principal.role]))


@bp.post("/logout")
def logout():
    """Forget this browser's sign-in or pairing."""
    session.clear()
    return redirect(url_for("auth.login"))


@bp.get("/")
def home():
    """The front page lists the screens."""
    return render_template("home.html")
