"""Who is asking, checked on every request: a Bearer token, a paired device's cookie, or the admin sign-in."""
from __future__ import annotations

from functools import wraps

from flask import g, redirect, request, session, url_for

from .errors import Forbidden, Unauthorized
from .extensions import csrf
from .models import Role
from .services.devices import Principal, authenticate
from .services.state import default_conference_id

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def principal_from_session(store) -> Principal | None:
    """The principal kept in the signed session cookie, re-checked against the database."""
    if store.get("device_token"):
        return authenticate(store["device_token"])
    if store.get("admin"):
        conference_id = default_conference_id()
        if conference_id is not None:
            return Principal(Role.ADMIN, conference_id, "Quản trị")
    return None


def current_principal() -> Principal | None:
    if "principal" not in g:
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            g.principal = authenticate(header[len("Bearer "):].strip())
            g.by_cookie = False
        else:
            g.principal = principal_from_session(session)
            g.by_cookie = g.principal is not None
    return g.principal


def require_api(*roles: Role):
    """API guard: 401 without valid credentials, 403 for a role that may not; CSRF for cookie callers."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            principal = current_principal()
            if principal is None:
                raise Unauthorized("unauthorized", "Cần đăng nhập hoặc mã thiết bị hợp lệ.")
            if principal.role not in roles:
                raise Forbidden("forbidden", "Vai trò này không được làm việc này.")
            if g.by_cookie and request.method not in SAFE_METHODS:
                csrf.protect()  # a page's script sends X-CSRFToken; a forged form cannot
            return view(*args, **kwargs)
        return wrapped
    return decorator


def require_page(*roles: Role):
    """Page guard: without a suitable sign-in, go to the sign-in page and come back."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            principal = current_principal()
            if principal is None or principal.role not in roles:
                return redirect(url_for("auth.login", next=request.path))
            return view(*args, **kwargs)
        return wrapped
    return decorator
