"""Who is asking, checked on every request: a Bearer token, or the cookie of a sign-in or pairing.

The cookie holds only the opaque id of a server-side session (accounts/sessions.py): never a
device token, never a role. The office's rights by account role are decided here, in office_allows.
"""
from __future__ import annotations

from functools import wraps

from flask import g, redirect, request, session, url_for

from conference.core.errors import Forbidden, Unauthorized
from conference.core.extensions import csrf
from conference.core.models import Role
from .devices import Principal, authenticate
from .pairing import PairingUsed, pair_browser
from .sessions import end_session, session_principal, start_session

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
SESSION_KEY = "sid"  # the only thing a sign-in keeps in the cookie
# Endpoints (and their "_…" siblings) for administrators only: the accounts, the audit trail.
ADMINISTRATOR_PAGES = ("admin.users", "admin.audit", "admin.latest_backup", "admin.backups")  # a backup holds the accounts
SECRETARY_WRITES = {"admin.save_notes"}  # the one change a secretary makes: the minutes' notes


def principal_from_session(store) -> Principal | None:
    """The principal of the session whose id the cookie carries, checked against its row."""
    return session_principal(store.get(SESSION_KEY))


def begin_session(*, user_id: int | None = None, device_id: int | None = None) -> None:
    """A sign-in: a new session row, and a fresh cookie that names only it."""
    end_session(session.get(SESSION_KEY))
    _name_in_cookie(start_session(user_id=user_id, device_id=device_id, ip=request.remote_addr,
                                  user_agent=request.user_agent.string))


def pair_this_browser(code: str) -> Role:
    """A pairing address opened: this browser becomes the device, and the address is used up
    (pairing.py). A browser already paired keeps its session if the address is refused, and the
    browser the address paired, opening it again, is simply let in. Returns the device's role."""
    try:
        device, opaque = pair_browser(code, ip=request.remote_addr, user_agent=request.user_agent.string)
    except PairingUsed as used:
        mine = principal_from_session(session)
        if mine is not None and mine.device_id == used.device_id:
            return mine.role
        raise
    end_session(session.get(SESSION_KEY))
    _name_in_cookie(opaque)
    return device.role


def _name_in_cookie(opaque: str) -> None:
    session.clear()
    session[SESSION_KEY] = opaque
    session.permanent = True


def finish_session() -> None:
    """Sign-out: the row ends (on every process at once), then the cookie is emptied."""
    end_session(session.get(SESSION_KEY))
    session.clear()


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


def office_allows(principal: Principal | None, endpoint: str | None, method: str) -> bool:
    """May this caller use this /admin endpoint? The office (Role.ADMIN) may, except that the
    accounts and the audit trail are for administrators, and a secretary only reads, but for the
    notes of the minutes, which are the secretary's work."""
    if principal is None or principal.role != Role.ADMIN:
        return False
    if any(endpoint == page or (endpoint or "").startswith(page + "_") for page in ADMINISTRATOR_PAGES):
        return principal.manages_accounts
    return method in SAFE_METHODS or not principal.read_only or endpoint in SECRETARY_WRITES


def require_api(*roles: Role):
    """API guard: 401 without valid credentials, 403 for a role that may not; CSRF for cookie callers.
    A read-only account (the secretary) uses the office pages, not the API."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            principal = current_principal()
            if principal is None:
                raise Unauthorized("unauthorized", "Cần đăng nhập hoặc mã thiết bị hợp lệ.")
            if principal.role not in roles or principal.read_only:
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
            if principal is None or principal.role not in roles or principal.read_only:
                # the whole address, so the office comes back to the conference it was working on
                target = request.full_path.rstrip("?") if request.method == "GET" else request.path
                return redirect(url_for("auth.login", next=target))
            return view(*args, **kwargs)
        return wrapped
    return decorator
