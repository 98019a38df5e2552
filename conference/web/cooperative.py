"""One thread holds every connection: gevent's greenlets instead of a thread each.

A hall of phones is thousands of Socket.IO connections that are idle nearly all the time; a thread
each (its stack, its scheduling) ran out at a hundred or so. gevent runs each connection as a
greenlet and makes the standard library's sockets, locks, sleeps and threads cooperative, so the
application's code is unchanged. It must do so before anything else is imported, which is why
`python -m conference` calls make_cooperative() first (__main__.py) and conference/__init__.py
imports nothing; gunicorn's gevent worker does the same before it loads conference.wsgi.
Flask-SocketIO then runs in its gevent mode. In-process (the tests' client, a script's create_app)
nothing is patched and Socket.IO runs in its threading mode.
"""
from __future__ import annotations

import sys


def make_cooperative() -> None:
    from gevent import monkey
    monkey.patch_all()


def is_cooperative() -> bool:
    monkey = sys.modules.get("gevent.monkey")
    return bool(monkey and monkey.is_module_patched("socket"))


def async_mode() -> str:
    """Flask-SocketIO's mode for this process."""
    return "gevent" if is_cooperative() else "threading"
