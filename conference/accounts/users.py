"""Named office accounts: each person signs in with their own login and password.

Only a slow hash of a password is kept (werkzeug's scrypt by default). A new or reset password
is generated when none is given, and returned once for the caller to hand over; one typed must
be 8–200 characters and not among the easiest to guess (passwords.py).
"""
from __future__ import annotations

import re
import secrets

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from conference.core.db import db, is_id, write_transaction
from conference.core.errors import Conflict, ConferenceError, NotFound
from conference.core.models import AccountRole, User
from conference.core.textnorm import clean
from .passwords import refuse_weak
from .sessions import end_sessions_of

FIRST_LOGIN = "admin"
FIRST_NAME = "Quản trị"  # the first administrator's name, as shown (the office may rename it): data, not interface
LOGIN = re.compile(r"[a-z0-9][a-z0-9._-]{0,39}")
MAX_NAME = 120
MIN_PASSWORD, MAX_PASSWORD = 8, 200
ROLE_NAMES = {AccountRole.ADMINISTRATOR: "Quản trị viên", AccountRole.STAFF: "Cán bộ văn phòng",
              AccountRole.SECRETARY: "Thư ký"}
_dummy_hash: str | None = None


def parse_login(value: object) -> str:
    login = value.strip().lower() if isinstance(value, str) else ""
    if not LOGIN.fullmatch(login):
        raise ConferenceError("invalid_login", "Tên đăng nhập gồm 1–40 chữ thường không dấu, số, “.”, “_” "
                                               "hoặc “-”, bắt đầu bằng chữ hoặc số.")
    return login


def parse_account_role(value: object) -> AccountRole:
    try:
        return AccountRole(value) if isinstance(value, str) else AccountRole(None)
    except ValueError:
        raise ConferenceError("invalid_role", "Vai trò phải là administrator, staff hoặc secretary.") from None


def parse_name(value: object, login: str) -> str:
    if value is not None and not isinstance(value, str):
        raise ConferenceError("invalid_name", "Họ tên phải là chuỗi.")
    name = clean(value or "")
    if len(name) > MAX_NAME:
        raise ConferenceError("invalid_name", "Họ tên tối đa %(limit)d ký tự.", limit=MAX_NAME)
    return name or login


def parse_password(value: object) -> str | None:
    """A password as typed, or None (then one is generated): every password set goes through here."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not MIN_PASSWORD <= len(value) <= MAX_PASSWORD:
        raise ConferenceError("invalid_password", "Mật khẩu dài %(low)d–%(high)d ký tự.",
                              low=MIN_PASSWORD, high=MAX_PASSWORD)
    refuse_weak(value)
    return value


def new_password() -> str:
    return secrets.token_urlsafe(12)


def _hash(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def list_users() -> list[User]:
    return list(db.session.scalars(sa.select(User).order_by(User.login)))


def find_user(login: object) -> User:
    user = db.session.scalar(sa.select(User).where(User.login == parse_login(login)))
    if user is None:
        raise NotFound("unknown_user", "Không có tài khoản này.")
    return user


def _get(session: sa.orm.Session, user_id: int) -> User:
    user = session.get(User, user_id) if is_id(user_id) else None
    if user is None:
        raise NotFound("unknown_user", "Không có tài khoản này.")
    return user


def create_user(login: object, role: object, name: object = None,
                password: object = None) -> tuple[User, str]:
    """A new account. Returns it and its password (the one given, or a generated one)."""
    login, role = parse_login(login), parse_account_role(role)
    name, password = parse_name(name, login), parse_password(password) or new_password()
    password_hash = _hash(password)  # slow: outside the write lock
    with write_transaction() as session:
        if session.scalar(sa.select(User.id).where(User.login == login)) is not None:
            raise Conflict("duplicate_login", "Đã có tài khoản “%(login)s”.", login=login)
        user = User(login=login, name=name, role=role, password_hash=password_hash)
        session.add(user)
    return user, password


def set_password(user_id: int, password: object = None) -> tuple[User, str]:
    """A new password (given or generated); every session of the account ends."""
    password = parse_password(password) or new_password()
    password_hash = _hash(password)
    with write_transaction() as session:
        user = _get(session, user_id)
        user.password_hash = password_hash
        end_sessions_of(session, user_id=user.id)
    return user, password


def change_role(user_id: int, role: object) -> User:
    role = parse_account_role(role)
    with write_transaction() as session:
        user = _get(session, user_id)
        if role != AccountRole.ADMINISTRATOR:
            _keep_an_administrator(session, user)
        user.role = role
    return user


def remove_user(user_id: int) -> User:
    """The account goes, and with it every session it has open."""
    with write_transaction() as session:
        user = _get(session, user_id)
        _keep_an_administrator(session, user)
        end_sessions_of(session, user_id=user.id)
        session.delete(user)
    return user


def _keep_an_administrator(session: sa.orm.Session, leaving: User) -> None:
    """Someone must always be able to manage the accounts."""
    if leaving.role != AccountRole.ADMINISTRATOR:
        return
    others = session.scalar(sa.select(sa.func.count()).select_from(User).where(
        User.role == AccountRole.ADMINISTRATOR, User.id != leaving.id))
    if not others:
        raise Conflict("last_administrator", "Phải còn ít nhất một quản trị viên.")


def check_credentials(login: object, password: object) -> User | None:
    """The account these credentials open, or None. An unknown login costs a hash check too, so
    the answer's time does not tell which logins exist."""
    global _dummy_hash
    given = password if isinstance(password, str) and len(password) <= MAX_PASSWORD else ""
    try:
        user = find_user(login)
    except ConferenceError:
        user = None
    if user is None:
        _dummy_hash = _dummy_hash or _hash(new_password())
        check_password_hash(_dummy_hash, given)
        return None
    return user if given and check_password_hash(user.password_hash, given) else None


def ensure_first_admin(password: str | None, reset: bool = False) -> str | None:
    """At start: with no administrator, make `admin`, with the password given (CONFERENCE_ADMIN_PASSWORD)
    or a generated one, returned to be printed once. An existing `admin` keeps its password: a restart
    never undoes one changed in the office. Only RESET (CONFERENCE_ADMIN_PASSWORD_RESET=1) gives `admin`
    the password given, making it if it is gone. Returns the generated password, or None."""
    user = db.session.scalar(sa.select(User).where(User.login == FIRST_LOGIN))
    reset = reset and bool(password)
    if user is None and (reset or not _any_administrator()):
        made = create_user(FIRST_LOGIN, AccountRole.ADMINISTRATOR, FIRST_NAME, password)[1]
        return None if password else made
    if user is not None and reset and not check_password_hash(user.password_hash, password):
        set_password(user.id, password)
    db.session.rollback()
    return None


def _any_administrator() -> bool:
    return db.session.scalar(sa.select(User.id).where(User.role == AccountRole.ADMINISTRATOR).limit(1)) is not None
