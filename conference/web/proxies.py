"""X-Forwarded-* believed only from the proxies this installation trusts.

Behind nginx (CONFERENCE_BEHIND_PROXY=1) the client's address and scheme arrive in X-Forwarded-For
and X-Forwarded-Proto. Anyone can send those headers, though: a caller that reached the process
directly and believed them could pick a new address for every login attempt and never be limited.
So they are believed only when the request comes from an address in CONFERENCE_TRUSTED_PROXIES
(comma-separated addresses or networks, default 127.0.0.1: nginx on the same machine); from
anyone else they are dropped and the caller is known by its own address.
"""
from __future__ import annotations

import ipaddress
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

DEFAULT_TRUSTED = "127.0.0.1"
FORWARDED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST",
             "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_PREFIX", "HTTP_FORWARDED")
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(text: str) -> tuple[Network, ...]:
    """"127.0.0.1, 10.0.0.0/8, ::1" -> networks. A typo stops the start, rather than trusting nobody."""
    networks = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"CONFERENCE_TRUSTED_PROXIES: {item!r} is not an address or a network") from None
    return tuple(networks)


class TrustedProxyFix:
    """ProxyFix (the last hop of X-Forwarded-For, Proto and Host) for requests from a trusted proxy only."""

    def __init__(self, app, trusted: tuple[Network, ...]):
        self.app = app
        self.trusted = trusted
        self.fixed = ProxyFix(app, x_for=1, x_proto=1, x_host=1)

    def trusts(self, address: str | None) -> bool:
        try:
            ip = ipaddress.ip_address(address or "")
        except ValueError:
            return False
        if ip.version == 6 and ip.ipv4_mapped:  # a dual-stack listener reports ::ffff:127.0.0.1
            ip = ip.ipv4_mapped
        return any(ip in network for network in self.trusted)

    def __call__(self, environ, start_response):
        if self.trusts(environ.get("REMOTE_ADDR")):
            return self.fixed(environ, start_response)
        for key in FORWARDED:  # dropped, so nothing further in can believe them either
            environ.pop(key, None)
        return self.app(environ, start_response)


def init_app(app: Flask) -> None:
    """Behind a proxy, wrap the whole WSGI app (Socket.IO included): call it after socketio.init_app."""
    app.config.setdefault("TRUSTED_PROXIES", os.environ.get("CONFERENCE_TRUSTED_PROXIES") or DEFAULT_TRUSTED)
    if app.config.get("BEHIND_PROXY"):
        app.wsgi_app = TrustedProxyFix(app.wsgi_app, trusted_networks(app.config["TRUSTED_PROXIES"]))
