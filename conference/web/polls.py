"""A Socket.IO polling POST whose client stops sending its body half-way: one warning line naming
the client, not a traceback per request.

engine.io (4.15) reads a polling POST's body itself (Socket.handle_post_request) and logs any error
of that read but its own with a traceback ("post request handler error"), then answers 200 as if
the packets had come. The embedded server's time limit ends a body that stopped coming with
RequestTimeout (serving.py), and a client that left mid-body ends it short: each such POST wrote
a traceback, and a client making them on purpose filled the log. Here the read is wrapped: a body
that did not all come is logged as one line and handed to engine.io as its own error
(EngineIOError), on which it closes the session and answers 400, as for a body over its limit.
Both servers, the embedded one and gunicorn's worker, share the time limit (serving.py).
"""
from __future__ import annotations

import logging

from engineio.exceptions import EngineIOError
from werkzeug.exceptions import HTTPException

from .limits import SOCKET_IO_PATH


class StalledBody(EngineIOError):
    """A polling POST's body that did not all come: engine.io closes its session and answers 400."""


class QuietStalledPolls:
    """WSGI middleware around engine.io's: the body of every polling POST is read through PollBody."""

    def __init__(self, app, logger: logging.Logger):
        self.app, self.logger = app, logger

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "POST" and environ.get("PATH_INFO", "").startswith(SOCKET_IO_PATH):
            environ["wsgi.input"] = PollBody(environ, self.logger)
        return self.app(environ, start_response)


class PollBody:
    """wsgi.input as engine.io reads it, read(Content-Length): all of it, or StalledBody once logged."""

    def __init__(self, environ: dict, logger: logging.Logger):
        self.stream, self.environ, self.logger = environ["wsgi.input"], environ, logger

    def read(self, size: int = -1) -> bytes:
        try:
            data = self.stream.read(size)
        except (HTTPException, OSError) as error:  # RequestTimeout, ClientDisconnected, a reset
            raise self.stalled(type(error).__name__) from None
        if size is not None and 0 <= len(data) < size:  # the client closed before the end
            raise self.stalled(f"closed after {len(data)} of {size} bytes")
        return data

    def stalled(self, how: str) -> StalledBody:
        self.logger.warning("a Socket.IO polling POST from %s stopped sending its body (%s): its session is closed",
                            self.environ.get("REMOTE_ADDR", "?"), how)
        return StalledBody(how)

    def __getattr__(self, name: str):
        return getattr(self.stream, name)
