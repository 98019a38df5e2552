"""Sign-in for the office, pairing for devices, sign-out."""
from __future__ import annotations

import unicodedata
from urllib.parse import unquote

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from conference.core.errors import ConferenceError
from conference.core.extensions import limiter
from conference.core.models import Role
from conference.web.limits import wants_json
from .attempts import TooManyAttempts, sign_in
from .guards import begin_session, finish_session, pair_this_browser

bp = Blueprint("auth", __name__)

HOME = {Role.ADMIN: "admin.index", Role.MC: "mc.index", Role.DOOR: "door.index", Role.DISPLAY: "display.index"}


class LoginForm(FlaskForm):
    login = StringField("login", validators=[DataRequired(), Length(max=40)])
    password = PasswordField("password", validators=[DataRequired(), Length(max=200)])


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site, never another host: one slash not followed by another (a browser
    reads "//host" as another host), no backslash (nor "/" then a backslash), and no control
    character or space, as sent and once more decoded. A browser drops a tab or a newline inside an
    address, so slash, tab, slash, host is "//host" to it; and a newline cannot go into the Location
    header at all (it answered 500, after the session was made)."""
    if not target:
        return None
    for text in (target, unquote(target)):
        if not text.startswith("/") or text.startswith("//") or "\\" in text or any(map(_blank, text)):
            return None
    return target


def _blank(character: str) -> bool:
    return character.isspace() or unicodedata.category(character) == "Cc"


@bp.route("/login", methods=["GET", "POST"])
# Guesses are limited in accounts/attempts.py; this only bounds the work one address can ask of the
# server (each sign-in checks a slow hash), right passwords and stale forms included.
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"])
def login():
    """Each person of the office signs in with their own login name and password."""
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        try:
            user = sign_in(form.login.data, form.password.data, request.remote_addr)
        except TooManyAttempts as refused:
            return _too_many(form, refused)
        if user is not None:
            target = _safe_next(request.args.get("next")) or url_for("admin.index")
            begin_session(user_id=user.id)
            return redirect(target)
        error = _("Tên đăng nhập hoặc mật khẩu không đúng.")
    elif request.method == "POST":  # an expired form, or a field empty or too long
        error = (_("Phiên đăng nhập đã hết hạn, vui lòng thử lại.") if "csrf_token" in form.errors
                 else _("Tên đăng nhập hoặc mật khẩu không đúng."))
    status = 401 if error else 200
    return render_template("login.html", form=form, error=error), status


def _too_many(form: LoginForm, refused: TooManyAttempts):
    """429 and how long to wait: the API's JSON to a script, the sign-in page to a person."""
    headers = {"Retry-After": str(refused.retry_after)}
    if wants_json(request):
        return jsonify(refused.to_dict()), 429, headers
    return render_template("login.html", form=form, error=refused.localized()), 429, headers


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
