"""Security headers on every response, and Secure cookies and HSTS when served over https.

The pages load only their own files: no inline script, handler or style="" (values the server
draws are data-* set through the DOM), so the policy below needs no 'unsafe-inline'. What it must
allow: the pairing QR code is a data: image, the door decodes in a Worker and caches in a service
worker, and Socket.IO's websocket is covered by connect-src 'self' (ws: and wss: on this host).

Cookies get Secure only over https (serve --https, or a trusted proxy's X-Forwarded-Proto: https):
the embedded default is plain http on a LAN, where a Secure cookie would never come back.
"""
from __future__ import annotations

from flask import Flask, request

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "X-Content-Type-Options": "nosniff",
    # Never a pairing address (/pair/<token>) to another site. Not no-referrer: Flask-WTF checks
    # that a form posted over https comes from this site by its Referer.
    "Referrer-Policy": "same-origin",
}
# A year, this host only: a LAN host name may serve other things on other names.
STRICT_TRANSPORT_SECURITY = "max-age=31536000"


def add_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    return response


def _secure(cookie: str) -> str:
    attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
    return cookie if "secure" in attributes else cookie + "; Secure"


class SecureCookiesOverHttps:
    """Marks every cookie Secure on an https request, whoever set it: the session is written after
    Flask's after_request functions have run, so this is done on the way out, in WSGI."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ.get("wsgi.url_scheme") != "https":
            return self.app(environ, start_response)

        def start_secure(status, headers, exc_info=None):
            headers = [(name, _secure(value) if name.lower() == "set-cookie" else value) for name, value in headers]
            return start_response(status, headers, exc_info)
        return self.app(environ, start_secure)


def init_app(app: Flask) -> None:
    app.after_request(add_headers)
    app.wsgi_app = SecureCookiesOverHttps(app.wsgi_app)
