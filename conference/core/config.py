"""Settings: environment first, then secrets generated once and kept in the instance folder."""
from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

# What one request may cost the server: the numbers behind conference/web/limits.py (bodies, before
# anything reads them), conference/web/serving.py (time, in the embedded server) and deploy/ (gunicorn,
# nginx), kept here so they agree. docs/SCALE.md explains them.
BODY_MAX_BYTES = 5 * 1024 * 1024  # an HTTP body: an upload (a roster), JSON, a form; nginx's limit too
PACKET_MAX_BYTES = 64 * 1024  # a Socket.IO message, polling or WebSocket (a screen sends a few bytes)
HEADER_TIMEOUT = 10  # seconds for the request line and headers, from the moment the server waits for them
# A body has HEADER_TIMEOUT more, plus the time it takes at BODY_MIN_RATE bytes a second: 5 MB may
# take two minutes (a poor venue Wi-Fi at 0.4 Mbit/s); a check-in's 100 bytes, 10 s.
BODY_MIN_RATE = 50 * 1024
# Connections a process holds at once: in all (a hall of 2,000 phones and 300 screens fits with room
# to spare; the descriptors a process may open bound it too), and from one address (a browser opens
# six at most; a phone on the venue's Wi-Fi has an address of its own). The second does not apply to
# this machine itself nor to a trusted proxy, whose limit per client is nginx's (deploy/nginx.conf).
CONNECTIONS_MAX = int(os.environ.get("CONFERENCE_MAX_CONNECTIONS") or 10_000)
CONNECTIONS_PER_ADDRESS = int(os.environ.get("CONFERENCE_MAX_CONNECTIONS_PER_ADDRESS") or 64)

# A start with a value left as deploy/conference.env.example has it (or as docs/SCALE.md abbreviates
# it) stops, naming the variable: a cookie signed with a published key can be forged by anyone.
SECRETS = ("SECRET_KEY", "CONFERENCE_ADMIN_PASSWORD", "DATABASE_URL")
PLACEHOLDER_MARKS = ("change-me", "changeme", "change_me", "change me", "replace-me", "replaceme", "…")
PLACEHOLDER_WORDS = {"secret", "secret-key", "secret_key", "secretkey", "password", "example", "placeholder",
                     "todo", "fixme", "none", "null"}
MIN_SECRET_KEY = 32


def _kept_secret(instance: Path, name: str, make) -> tuple[str, bool]:
    """Read instance/<name>, or create it (mode 0600) the first time. Returns (value, created)."""
    path = instance / name
    if path.exists():
        return path.read_text(encoding="utf-8").strip(), False
    value = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return value, True


def default_instance() -> Path:
    """The data folder when CONFERENCE_INSTANCE is not set: instance/ in a checkout, else the
    user's data folder (an installed server may be started from any folder, even a read-only one)."""
    from .resources import CHECKOUT, INSTALLED
    if not INSTALLED:
        return CHECKOUT / "instance"
    return _user_data_folder() / "conference-day"


def _user_data_folder() -> Path:
    """Where the platform keeps per-user application data (what platformdirs would answer)."""
    home = Path.home()
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or os.environ.get("APPDATA") or home / "AppData" / "Local")
    if sys.platform == "darwin":
        return home / "Library" / "Application Support"
    return Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")


def refuse_placeholders(environ=os.environ) -> None:
    """Stop the start (exit 1, every variable named) if a secret is a placeholder or SECRET_KEY is short.
    The values themselves are never printed: one may be a real secret."""
    problems = [f"{name} is a placeholder, as in the example file: set the real value"
                for name in SECRETS if is_placeholder(environ.get(name) or "")]
    if 0 < len(environ.get("SECRET_KEY") or "") < MIN_SECRET_KEY:
        problems.append(f"SECRET_KEY must have at least {MIN_SECRET_KEY} characters: "
                        "python3 -c 'import secrets; print(secrets.token_hex(32))' makes one")
    if problems:
        raise SystemExit("\n".join(problems))


def is_placeholder(value: str) -> bool:
    text = value.strip().lower()
    return bool(text) and (any(mark in text for mark in PLACEHOLDER_MARKS) or text in PLACEHOLDER_WORDS
                           or (text[0], text[-1]) == ("<", ">") or len(set(text)) == 1)


def load_settings(instance: Path) -> dict:
    refuse_placeholders()
    # The instance folder holds the database, its backups and the secret key: made for its owner
    # only (an existing one is left as its owner set it; the files in it are each kept private).
    instance.mkdir(parents=True, exist_ok=True, mode=0o700)
    secret_key = os.environ.get("SECRET_KEY") or _kept_secret(
        instance, "secret_key", lambda: secrets.token_hex(32))[0]
    return {
        "SECRET_KEY": secret_key,
        **_account_settings(),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance),
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "MAX_CONTENT_LENGTH": BODY_MAX_BYTES,  # uploads (rosters) and JSON bodies alike
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,  # a door tablet stays on one page all day
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("CONFERENCE_TIMEZONE", "Asia/Ho_Chi_Minh"),
        "LOAD_DEMO": True,
        # Sign-ins per address (LOGIN_LIMIT_PER_ADDRESS) are counted in Redis when several processes
        # share it, else in memory.
        "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL") or "memory://",
        # Several installations (or test runs) may share one Redis: each keeps to its own channel
        # and its own rate-limit keys. Every process of one installation must use the same name.
        # Set CONFERENCE_BEHIND_PROXY=1 behind nginx (deploy/), so the login limit counts per client.
        "BEHIND_PROXY": os.environ.get("CONFERENCE_BEHIND_PROXY", "") not in ("", "0"),
        "SOCKETIO_CHANNEL": os.environ.get("SOCKETIO_CHANNEL") or "flask-socketio",
        "RATELIMIT_KEY_PREFIX": os.environ.get("SOCKETIO_CHANNEL") or "",
        # Login must keep working if Redis goes away: count in memory until it is back.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    }


def _account_settings() -> dict:
    """Named accounts and server-side sessions (docs/API.md, "Sign-in and sessions")."""
    password = os.environ.get("CONFERENCE_ADMIN_PASSWORD") or None
    return {
        # If set, the account `admin` is made with this password when there is no administrator;
        # an existing `admin` is given it only when ADMIN_PASSWORD_RESET asks (accounts/users.py).
        "ADMIN_PASSWORD": password,
        "ADMIN_PASSWORD_RESET": _reset_asked(password),
        "PASSWORD_HASH_METHOD": "scrypt",  # werkzeug.security; slow on purpose
        "ACCOUNT_SESSION_IDLE_HOURS": _hours("CONFERENCE_SESSION_IDLE_HOURS", 12),
        "DEVICE_SESSION_IDLE_HOURS": _hours("CONFERENCE_DEVICE_SESSION_IDLE_HOURS", 7 * 24),
        # Sign-ins of one address, right or wrong: a bound on the slow hashes it makes the server check.
        # Wrong passwords have limits of their own, in the database (accounts/attempts.py).
        "LOGIN_LIMIT_PER_ADDRESS": "30 per minute",
        # The delegates' pages (/me) and their documents, per phone's address (conference/me/pages.py):
        # a page, its live connection and a few documents a minute is a delegate; far more is a guess.
        # bench/phones.py raises it: its phones all come from one address.
        "ME_LIMIT_PER_ADDRESS": os.environ.get("CONFERENCE_ME_LIMIT_PER_ADDRESS") or "60 per minute",
    }


def _reset_asked(password: str | None) -> bool:
    asked = os.environ.get("CONFERENCE_ADMIN_PASSWORD_RESET", "") not in ("", "0")
    if asked and not password:
        raise SystemExit("CONFERENCE_ADMIN_PASSWORD_RESET asks to give `admin` the password in "
                         "CONFERENCE_ADMIN_PASSWORD, which is not set")
    return asked


def _hours(name: str, default: float) -> float:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        hours = float(value)
    except ValueError:
        hours = 0
    if not 0 < hours <= 24 * 365:
        raise SystemExit(f"{name} must be a number of hours between 0 and 8760, not {value!r}")
    return hours


DATABASE_FILE = "conference.db"
MISNAMED_FILE = "conference.core.db"  # the name one release gave it by mistake (a rename of the code)


def _database_url(instance: Path) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        _take_back_misnamed_database(instance)
        return f"sqlite:///{instance / DATABASE_FILE}"
    if url.startswith("postgres://"):  # the form some hosts hand out
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _take_back_misnamed_database(instance: Path) -> None:
    """An instance started by the release that named its database conference.core.db keeps its data:
    the file (and its -wal and -shm, which SQLite finds by the same name) is renamed back, unless a
    conference.db is already there, which then stays the one in use."""
    misnamed, database = instance / MISNAMED_FILE, instance / DATABASE_FILE
    if not misnamed.exists() or database.exists():
        return
    for suffix in ("-wal", "-shm", ""):
        if (instance / (MISNAMED_FILE + suffix)).exists():
            os.replace(instance / (MISNAMED_FILE + suffix), instance / (DATABASE_FILE + suffix))
