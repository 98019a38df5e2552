"""No request can hold the server: every body has a limit, checked before anything reads it.

The outermost layer of the WSGI app (around Socket.IO's too, so in the embedded server and under
gunicorn alike): a body whose Content-Length is over its limit is answered 413 at once, unread, and
the server then closes the connection (conference/web/serving.py, for both). A body without a length
(chunked) is cut off when it passes the limit. The numbers are in conference/core/config.py;
docs/SCALE.md explains them. The patch of engine.io's disconnect is listed in hardening.py.
"""
from __future__ import annotations

import io
import json

from flask import Flask
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Request, Response

from conference.core.config import BODY_MAX_BYTES, PACKET_MAX_BYTES
from conference.core.errors import N_

SOCKET_IO_PATH = "/socket.io/"


def limit_requests(app: Flask, eio) -> None:
    """Bound every body of `app` and of its engine.io server `eio` (Flask-SocketIO's socketio.server.eio)."""
    eio.max_http_buffer_size = PACKET_MAX_BYTES
    bound_websocket_messages(eio)
    answer_refused_polls_at_once(eio)
    app.wsgi_app = BodyLimit(app.wsgi_app)


def body_limit(environ: dict) -> int | None:
    """The most a request's body may hold. None for an upload: Flask refuses one over MAX_CONTENT_LENGTH
    (the same BODY_MAX_BYTES) before it reads a byte, with the page of its route (the import form
    says the limit)."""
    if environ.get("PATH_INFO", "").startswith(SOCKET_IO_PATH):
        return PACKET_MAX_BYTES
    if environ.get("CONTENT_TYPE", "").lower().startswith("multipart/form-data"):
        return None
    return BODY_MAX_BYTES


def wants_json(request: Request) -> bool:
    """Whether an error is answered in the API's JSON shape rather than as a page (a button box's
    press address too: its unknown action is a short JSON answer, not a page with links)."""
    return request.path.startswith(("/api/", "/press/")) or request.accept_mimetypes.best == "application/json"


class BodyLimit:
    """WSGI middleware: a body over its limit never reaches the application (or engine.io)."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        limit = body_limit(environ)
        if limit is not None:
            length = environ.get("CONTENT_LENGTH", "").strip()
            if length.isdigit() and int(length) > limit:
                return too_large(environ, limit)(environ, start_response)
            if not length.isdigit() and (length or environ.get("HTTP_TRANSFER_ENCODING")):
                # chunked, or a length nobody can trust: count while reading. A request with neither
                # has no body, and a WebSocket's upgrade keeps its stream: the socket is taken from it.
                environ["wsgi.input"] = CappedInput(environ["wsgi.input"], limit)
        return self.app(environ, start_response)


def too_large(environ: dict, limit: int) -> Response:
    """413, in the language the request asks for: this layer is outside Flask, so it reads the
    language from the address and the cookies itself, and the words from the catalogue."""
    from conference.core.i18n import catalogue, language_of
    request = Request(environ)  # reads the headers and the address only, never the body
    message = catalogue(language_of(request.args, request.cookies)).gettext(
        N_("Nội dung gửi lên lớn quá %(kb)d KB.")) % {"kb": limit // 1024}
    if wants_json(request):
        body = {"error": {"code": "request_entity_too_large", "message": message}}
        return Response(json.dumps(body, ensure_ascii=False), 413, mimetype="application/json")
    return RequestEntityTooLarge(message).get_response(environ)


class CappedInput(io.RawIOBase):
    """A body of unknown length that raises 413 (Flask answers it as any error) past `limit` bytes."""

    def __init__(self, stream, limit: int):
        self.stream, self.left = stream, limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.stream.read(min(len(buffer), self.left)) if self.left else b""
        self.left -= len(data)
        # Werkzeug reads no further than MAX_CONTENT_LENGTH (the same limit) and then hands the
        # application what it has, a cut body: one byte more, here, tells a body over the limit.
        if not self.left and self.stream.read(1):
            raise RequestEntityTooLarge()
        buffer[:len(data)] = data
        return len(data)


def bound_websocket_messages(eio) -> None:
    """engine.io checks a WebSocket message's size only once it is whole, and its WebSocket layer
    (simple-websocket) runs without a limit: a message sent as endless fragments grew in memory until
    the server was killed (2 connections took 2.4 GB in 15 s). simple-websocket counts the fragments
    as they arrive when it is given a limit; engine.io gives none, so its WebSocket class is wrapped,
    for this server only, to pass PACKET_MAX_BYTES. A message past it closes the connection (1009)."""
    websocket = eio._async["websocket"]

    class BoundedWebSocket(websocket):
        def __init__(self, handler, server, **options):
            super().__init__(handler, server, **options)
            self.server_args["max_message_size"] = PACKET_MAX_BYTES

    eio._async = {**eio._async, "websocket": BoundedWebSocket}


def answer_refused_polls_at_once(eio) -> None:
    """engine.io (4.15) answers a polling POST it refuses (over max_http_buffer_size, or a packet a
    client may not send, such as a ping) by disconnecting the session, and that disconnect waits until
    the client's next GET has collected the goodbye packet. A client that sends no GET held the POST,
    its thread and its connection for ever: with a few hundred of them the server ran out of file
    descriptors. A polling session's goodbye is now queued without waiting (its next GET,
    if any, finds the session gone and the client reconnects); a WebSocket's writer empties its own
    queue, so closing one still waits for it, as engine.io does."""
    disconnect_and_wait = eio.disconnect

    def disconnect(sid=None):
        socket = eio.sockets.get(sid) if sid is not None else None
        if socket is None or socket.upgraded:
            return disconnect_and_wait(sid)
        eio.sockets.pop(sid, None)
        socket.close(wait=False, reason=eio.reason.SERVER_DISCONNECT)

    eio.disconnect = disconnect
