"""The floor for bench/checkin_load.py: the same check-in on the same stack with nothing of the
application. gevent's WSGI server and Flask-SocketIO in its gevent mode, as `serve`; SQLite in WAL
with synchronous=FULL; one writer at a time. A check-in looks the badge up, inserts the check-in
(once per delegate), bumps a version, counts, commits and broadcasts the count. No sign-in, no
limits, no audit, no scan log, no snapshot.

    python3 bench/bare_checkin.py PORT DATABASE CODES_FILE
"""
from gevent import monkey

monkey.patch_all()

import sqlite3  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402

from flask import Flask, jsonify, request  # noqa: E402
from flask_socketio import SocketIO  # noqa: E402
from gevent.pywsgi import WSGIServer  # noqa: E402

app = Flask(__name__)
socketio = SocketIO(app, async_mode="gevent")
writer = threading.Lock()
database: sqlite3.Connection


def open_database(path: str, codes: list[str]) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    for pragma in ("journal_mode=WAL", "synchronous=FULL"):
        connection.execute(f"PRAGMA {pragma}")
    connection.executescript("CREATE TABLE delegate (id INTEGER PRIMARY KEY, code TEXT UNIQUE NOT NULL);"
                             "CREATE TABLE checkin (delegate_id INTEGER PRIMARY KEY, at TEXT NOT NULL);"
                             "CREATE TABLE version (n INTEGER NOT NULL); INSERT INTO version VALUES (0);")
    connection.executemany("INSERT INTO delegate (code) VALUES (?)", [(code,) for code in codes])
    return connection


@app.post("/api/checkins")
def check_in():
    code = (request.get_json(silent=True) or {}).get("code")
    with writer:
        database.execute("BEGIN IMMEDIATE")
        found = database.execute("SELECT id FROM delegate WHERE code = ?", (code,)).fetchone()
        if found is None:
            database.execute("ROLLBACK")
            return jsonify(result="unknown"), 404
        added = database.execute("INSERT OR IGNORE INTO checkin VALUES (?, datetime('now'))", found).rowcount
        database.execute("UPDATE version SET n = n + 1")
        present = database.execute("SELECT count(*) FROM checkin").fetchone()[0]
        database.execute("COMMIT")
    socketio.emit("count", {"present": present})
    return jsonify(result="checked_in" if added else "already_checked_in", present=present), 201 if added else 200


@app.get("/api/state")
def state():
    return jsonify(version=database.execute("SELECT n FROM version").fetchone()[0])


if __name__ == "__main__":
    port, path, codes_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    with open(codes_file, encoding="utf-8") as codes:
        database = open_database(path, codes.read().split())
    WSGIServer(("127.0.0.1", port), app, log=None).serve_forever()
