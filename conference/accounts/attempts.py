"""Sign-in attempts: an address that guesses too much waits; the owner of an account never does.

Every wrong password is a row (SignInFailure) kept WINDOW, in the database, so that every server
process counts the same guesses, on SQLite and PostgreSQL alike. Before a password is checked:

- an address with PER_ADDRESS failures, whatever the logins it tried, waits;
- an address with PER_PAIR failures on one login waits, for that login;
- once a login has ACCOUNT_CEILING failures from all addresses together, each address has one guess
  at it: one that has already failed on it waits. One that has not still has its guess, so the owner
  signs in from their own machine whatever a crowd of others guesses: the ceiling slows the crowd
  down, it never locks the account (ten wrong passwords used to lock any account, `admin` included).

A refused attempt checks no password and is not counted. An attempt is counted before its password
is checked and forgotten if it was right, so guesses sent side by side see each other.

The login is kept as a keyed digest of the name as typed: a password typed into the login field is
not kept in clear, and an unknown login is counted as a known one is, so no answer tells which logins
exist. An IPv6 address is counted by its /64, the range one machine may pick its addresses from.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from conference.core.db import db, utcnow, write_transaction
from conference.core.errors import N_, ConferenceError
from conference.core.models import SignInFailure, User
from .users import check_credentials

WINDOW = timedelta(minutes=15)
PER_ADDRESS = 10
PER_PAIR = 5
ACCOUNT_CEILING = 30


class TooManyAttempts(ConferenceError):
    """This address must wait before its next try: retry_after seconds."""
    status = 429

    def __init__(self, wait: timedelta):
        self.retry_after = max(1, math.ceil(wait.total_seconds()))
        super().__init__("too_many_attempts", N_("Thử sai quá nhiều lần; hãy chờ %(minutes)d phút rồi thử lại."),
                         minutes=math.ceil(self.retry_after / 60))


def sign_in(login: object, password: object, address: str | None) -> User | None:
    """The account these credentials open, or None. TooManyAttempts if this address must wait."""
    address, key = client_of(address), login_key(login)
    refuse_if_guessing(address, key)
    _count(address, key)
    user = check_credentials(login, password)
    if user is not None:
        _forget(address, key)
    return user


def client_of(address: str | None) -> str:
    """The address guesses are counted by (the request's, as conference/web/proxies.py found it)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return (address or "?")[:45]
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)


def login_key(login: object) -> str:
    name = login.strip().lower() if isinstance(login, str) else ""
    secret = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    return hmac.new(secret, name.encode("utf-8"), hashlib.sha256).hexdigest()


def refuse_if_guessing(address: str, key: str) -> None:
    from_here = SignInFailure.address == address
    pair = (from_here, SignInFailure.login_key == key)
    waits = [wait for wait in (_wait(PER_ADDRESS, from_here), _wait(PER_PAIR, *pair), _crowded(key, pair))
             if wait is not None]
    if waits:
        raise TooManyAttempts(max(waits))


def _crowded(key: str, pair: tuple) -> timedelta | None:
    """Past the login's ceiling, an address that failed on it waits until its failure or the crowd's
    guesses leave the window, whichever is first."""
    mine = _wait(1, *pair)
    crowd = _wait(ACCOUNT_CEILING, SignInFailure.login_key == key) if mine is not None else None
    return None if crowd is None else min(mine, crowd)


def _wait(limit: int, *where) -> timedelta | None:
    """How long until fewer than LIMIT failures matching WHERE are in the window; None if fewer are."""
    now = utcnow()
    at = db.session.scalar(sa.select(SignInFailure.at).where(SignInFailure.at > now - WINDOW, *where)
                           .order_by(SignInFailure.at.desc()).offset(limit - 1).limit(1))
    return None if at is None else at + WINDOW - now


def _count(address: str, key: str) -> None:
    """This attempt is a failure until its password proves right; failures past the window go."""
    now = utcnow()
    with write_transaction() as session:
        session.execute(sa.delete(SignInFailure).where(SignInFailure.at <= now - WINDOW))
        session.add(SignInFailure(at=now, address=address, login_key=key))


def _forget(address: str, key: str) -> None:
    """A right password: this address's failures on this login (the owner's typos) are forgotten."""
    with write_transaction() as session:
        session.execute(sa.delete(SignInFailure).where(SignInFailure.address == address,
                                                       SignInFailure.login_key == key))
