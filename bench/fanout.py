"""Fan-out: how long until the last of 300 screens shows an MC advance, and how long the MC waits.

    python3 bench/fanout.py [--screens 300] [--rounds 40] [--processes 6]

The screens speak Socket.IO over the websocket transport (bench/screens.py: one selector loop
per client process, so the clients cost little of the two cores; --socketio-client uses
python-socketio Clients instead), all connected to one server (the embedded default unless DATABASE_URL / REDIS_URL
are set). The MC advances with POST /api/show/next (turning back at the end of the program);
for each advance the figure is the time from just before the MC's request to the moment the
last screen received a snapshot with the new version. Rounds are spaced so each one starts
from a quiet server. Clocks: every process reads the same machine clock (time.time()).
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Server, header, percentile, prepare_instance, scratch  # noqa: E402
from screens import run_screens  # noqa: E402

ROUND_GAP = 0.6  # seconds between advances: every screen has long received the previous one


def _socketio_screens(url: str, count: int, ready, stop, results) -> None:
    """Connect `count` screens, note when each snapshot version arrives, report at the end."""
    import socketio
    arrivals: dict[int, list[float]] = {}
    clients = []

    def on_state(snapshot):
        arrivals.setdefault(snapshot["version"], []).append(time.time())

    for _ in range(count):
        client = socketio.Client(reconnection=False)
        client.on("state", on_state)
        client.connect(url, transports=["websocket"], wait_timeout=20)
        clients.append(client)
    ready.put(count)
    stop.wait(timeout=900)
    results.put(arrivals)
    for client in clients:
        client.disconnect()


def advance(session, url: str, forward: bool, version: int) -> tuple[float, float, int, bool]:
    """One MC step: (start, seconds, new version, direction for the next step)."""
    for direction in (forward, not forward):  # at either end of the program, turn round
        path = "/api/show/next" if direction else "/api/show/previous"
        started = time.time()
        began = time.perf_counter()
        response = session.post(url + path, timeout=30)
        took = time.perf_counter() - began
        if response.status_code == 200 and response.json()["version"] > version:
            return started, took, response.json()["version"], direction
    raise RuntimeError(f"the MC could not move: {response.status_code} {response.text[:200]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screens", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--processes", type=int, default=3, help="client processes holding the screens")
    parser.add_argument("--socketio-client", action="store_true",
                        help="python-socketio Clients (a few threads each) instead of bench/screens.py")
    args = parser.parse_args()
    import requests

    mode = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    header(f"fan-out: MC advance to {args.screens} screens ({mode}, one server process, gevent)")
    instance = scratch("fanout") / "instance"
    prepared = prepare_instance(instance, 0, {"mc": 1}, os.environ.get("DATABASE_URL"))
    with Server(instance) as server:
        ready, results = multiprocessing.Queue(), multiprocessing.Queue()
        stop = multiprocessing.Event()
        share = [args.screens // args.processes + (1 if n < args.screens % args.processes else 0)
                 for n in range(args.processes)]
        target = _socketio_screens if args.socketio_client else run_screens
        workers = [multiprocessing.Process(target=target, args=(server.url, n, ready, stop, results))
                   for n in share if n]
        for worker in workers:
            worker.start()
        connected = sum(ready.get(timeout=300) for _ in workers)
        print(f"   {connected} screens connected")
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {prepared['tokens']['mc'][0]}"
        time.sleep(1.0)
        rounds, forward = [], True
        version = session.get(server.url + "/api/state", timeout=30).json()["version"]
        for _ in range(args.rounds):
            started, took, version, forward = advance(session, server.url, forward, version)
            rounds.append((started, took, version))
            time.sleep(ROUND_GAP)
        stop.set()
        arrivals: dict[int, list[float]] = {}
        for _ in workers:
            for version, times in results.get(timeout=120).items():
                arrivals.setdefault(version, []).extend(times)
        for worker in workers:
            worker.join(30)
    first_screen, last_screen, missed = [], [], 0
    for started, _, version in rounds:
        times = arrivals.get(version, [])
        missed += connected - len(times)
        if times:
            first_screen.append((min(times) - started) * 1000)
            last_screen.append(max(times) - started)
    requests_ms = [took * 1000 for _, took, _ in rounds]
    last_ms = [seconds * 1000 for seconds in last_screen]
    print(f"   last of {connected} screens updated: p50 {percentile(last_ms, 0.5):6.1f} ms, "
          f"p99 {percentile(last_ms, 0.99):6.1f} ms, max {max(last_ms):6.1f} ms over {len(rounds)} advances; "
          f"deliveries missed: {missed}")
    print(f"   first screen updated:      p50 {percentile(first_screen, 0.5):6.1f} ms, "
          f"p99 {percentile(first_screen, 0.99):6.1f} ms")
    print(f"   the MC's request:          p50 {percentile(requests_ms, 0.5):6.1f} ms, "
          f"p99 {percentile(requests_ms, 0.99):6.1f} ms, max {max(requests_ms):6.1f} ms")
    met = percentile(last_ms, 0.99) <= 250 and percentile(requests_ms, 0.99) <= 100 and missed == 0
    print(f"   target (last screen <= 250 ms p99, MC request <= 100 ms p99, none missed): "
          f"{'met' if met else 'MISSED'}")
    return 0 if missed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
