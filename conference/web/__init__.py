"""The HTTP face: how a process serves, and what guards every request before a view runs.

- blueprints.py: which views the app serves (every feature's blueprint and office pages);
- api.py: the devices' JSON API (/api: check-in, the show, the awards' clicker, devices);
- cooperative.py: gevent makes the standard library cooperative, so a connection is a greenlet;
- serving.py, gunicorn_worker.py: the embedded server and gunicorn's worker, with connection caps
  and time limits;
- limits.py: body and WebSocket message limits checked before anything reads a body or keeps a
  message (Socket.IO included);
- polls.py: a Socket.IO polling body that stops half-way is one warning line, not a traceback;
- proxies.py, security_headers.py, http_errors.py: trusted proxies, headers, the 404/405/CSRF
  pages in the reader's language;
- tls.py, network.py: a self-signed certificate for tablet cameras; this machine's LAN address.

It may import anything; nothing but the app factory, the command line, __main__ and views imports it.
"""
