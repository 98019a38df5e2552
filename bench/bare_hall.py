"""The floor for bench/hall.py: a bare Flask-SocketIO broadcast on the same server (gevent's WSGI
server, Flask-SocketIO in its gevent mode), with nothing of the application: no sign-in, no limits,
no database. POST /press bumps a counter and broadcasts {"version": n} as `state` to every client;
a connecting client is sent the counter at once, as the application sends
its snapshot; GET /api/state answers the counter (bench/common.py's Server waits for it).

    python3 bench/bare_hall.py PORT
"""
from gevent import monkey

monkey.patch_all()

import sys  # noqa: E402

from flask import Flask, jsonify, request  # noqa: E402
from flask_socketio import SocketIO  # noqa: E402
from gevent.pywsgi import WSGIServer  # noqa: E402

app = Flask(__name__)
socketio = SocketIO(app, async_mode="gevent")
counter = {"version": 0}


@app.get("/api/state")
def state():
    return jsonify(counter)


@socketio.on("connect")
def connected():
    socketio.emit("state", dict(counter), to=request.sid)  # as the application greets a screen


@app.post("/press")
def press():
    counter["version"] += 1
    socketio.emit("state", dict(counter))
    return jsonify(counter)


if __name__ == "__main__":
    WSGIServer(("127.0.0.1", int(sys.argv[1])), app, log=None).serve_forever()
