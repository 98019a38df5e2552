"""A hall full of phones: thousands of connections on one process while the doors check in and the MC presses.

    python3 bench/hall.py [--phones 2000] [--screens 300] [--doors 20] [--rounds 20] [--production]

Phones and screens are the same light Socket.IO clients over the websocket transport
(bench/screens.py: a selector loop per client process), watching anonymously as any phone on the
venue's Wi-Fi may. One server process: `python3 -m conference serve`, or with --production the
command of deploy/gunicorn.command. Each figure is printed beside its floor, measured in the same run:
- the MC's press to the last of all the connected clients, beside a bare Flask-SocketIO broadcast
  on the same server (bench/bare_hall.py: gevent's WSGI server, no application) to the same clients;
- the doors' check-ins at their usual pace (each door a scan every 2 s), beside the same doors
  with nobody else connected;
- the server's threads and memory with the hall connected, beside the floor's.
"""
from __future__ import annotations

import argparse
import shlex
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checkin_load import run_phase  # noqa: E402
from common import ROOT, Server, free_port, header, percentile, prepare_instance, scratch  # noqa: E402
from screens import Clients  # noqa: E402

ROUND_GAP = 1.0  # seconds between presses: every client has long received the previous one
DOOR_INTERVAL = 2.0  # seconds between two scans of one door: a queue at the door
SCANS_PER_DOOR = 15


def press_rounds(session, url: str, path: str, rounds: int) -> list[tuple[float, float, int]]:
    """(when, seconds the request took, the new version) for each press."""
    pressed = []
    for _ in range(rounds):
        started, began = time.time(), time.perf_counter()
        answer = session.post(url + path, timeout=30)
        pressed.append((started, time.perf_counter() - began, answer.json()["version"]))
        time.sleep(ROUND_GAP)
    return pressed


def deliveries(pressed, arrivals: dict[int, list[float]], connected: int) -> dict:
    """The moment the press's version had reached as many clients as are connected. A version may
    arrive twice (the doors' changes folded into a snapshot are sent again once the burst is over),
    so the figure is the connected-th arrival, not the last one. A press whose change was folded
    into the next snapshot (a door's came in meanwhile) has reached a client with that one."""
    reached = {version: arrivals.get(min((v for v in arrivals if v >= version), default=version), [])
               for _, _, version in pressed}  # a press folded into a newer snapshot arrives with it
    last = [(sorted(reached[version])[min(connected, len(reached[version])) - 1] - started) * 1000
            for started, _, version in pressed if reached[version]]
    missed = sum(max(0, connected - len(reached[version])) for _, _, version in pressed)
    took = [seconds * 1000 for _, seconds, _ in pressed]
    return {"p50": percentile(last, 0.5), "p99": percentile(last, 0.99), "missed": missed,
            "request_p99": percentile(took, 0.99)}


def serving_status(server: Server) -> tuple[int, float]:
    """(threads, resident MB) of the process that serves (gunicorn: its worker)."""
    pid = list(server._processes())[-1]
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return int(fields["Threads"]), int(fields["VmRSS"].split()[0]) / 1024


def floor(count: int, processes: int, rounds: int) -> dict:
    """The bare broadcast to the same clients on the same server."""
    port = free_port()
    folder = scratch("hall-floor")
    with Server(folder, command=[sys.executable, str(ROOT / "bench" / "bare_hall.py"), str(port)], port=port) as bare:
        import requests
        hall = Clients(bare.url, count, processes)
        threads, memory = serving_status(bare)
        time.sleep(1)
        pressed = press_rounds(requests.Session(), bare.url, "/press", rounds)
        figures = deliveries(pressed, hall.close(), hall.connected)
    return {**figures, "threads": threads, "memory": memory, "connected": hall.connected}


def application_server(instance: Path, production: bool) -> Server:
    if not production:
        return Server(instance)
    port = free_port()
    parts = shlex.split((ROOT / "deploy" / "gunicorn.command").read_text(encoding="utf-8"))
    command = [sys.executable, "-m", "gunicorn", *[part.replace("$PORT", str(port)) for part in parts[1:]]]
    return Server(instance, {"CONFERENCE_ADMIN_PASSWORD": "bench-hall-9z"}, command, port)


def application(count: int, processes: int, rounds: int, doors: int, production: bool) -> dict:
    instance = scratch("hall") / "instance"
    prepared = prepare_instance(instance, 2 * doors * SCANS_PER_DOOR, {"door": doors, "mc": 1})
    codes, tokens = prepared["codes"], prepared["tokens"]["door"]
    alone_codes, hall_codes = codes[:doors * SCANS_PER_DOOR], codes[doors * SCANS_PER_DOOR:2 * doors * SCANS_PER_DOOR]
    rate = doors / DOOR_INTERVAL
    with application_server(instance, production) as server:
        import requests
        alone = run_phase([server], tokens, [alone_codes[n::doors] for n in range(doors)], rate)
        hall = Clients(server.url, count, processes)
        threads, memory = serving_status(server)
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {prepared['tokens']['mc'][0]}"
        crowded: dict = {}
        doors_running = threading.Thread(target=lambda: crowded.update(
            run_phase([server], tokens, [hall_codes[n::doors] for n in range(doors)], rate)))
        doors_running.start()
        pressed = press_rounds(session, server.url, "/api/show/next", rounds)
        doors_running.join()
        figures = deliveries(pressed, hall.close(), hall.connected)
    return {**figures, "threads": threads, "memory": memory, "connected": hall.connected, "alone": alone,
            "crowded": crowded}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=2000)
    parser.add_argument("--screens", type=int, default=300)
    parser.add_argument("--doors", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=20, help="MC presses (the program has 9 items and steps)")
    parser.add_argument("--processes", type=int, default=4, help="client processes holding the connections")
    parser.add_argument("--production", action="store_true", help="the production command instead of serve")
    args = parser.parse_args()
    count = args.phones + args.screens
    server_name = "deploy/gunicorn.command" if args.production else "python3 -m conference serve"
    header(f"a hall: {args.phones} phones + {args.screens} screens, {args.doors} doors, one process ({server_name})")
    bare = floor(count, args.processes, args.rounds)
    app = application(count, args.processes, args.rounds, args.doors, args.production)
    print(f"   connected: {app['connected']} (floor {bare['connected']})")
    print(f"   MC press to the last client: p50 {app['p50']:.0f} ms, p99 {app['p99']:.0f} ms, missed {app['missed']}"
          f"  |  floor (bare broadcast): p50 {bare['p50']:.0f} ms, p99 {bare['p99']:.0f} ms, missed {bare['missed']}")
    print(f"   the MC's request p99: {app['request_p99']:.0f} ms  |  floor {bare['request_p99']:.0f} ms")
    for name, phase in (("alone", app["alone"]), ("with the hall", app["crowded"])):
        print(f"   doors' check-ins {name:>13}: p50 {phase['p50']:.0f} ms, p99 {phase['p99']:.0f} ms, "
              f"max {phase['max']:.0f} ms, errors {phase['errors']} of {phase['requests']}")
    print(f"   server with the hall connected: {app['threads']} threads, {app['memory']:.0f} MB resident"
          f"  |  floor: {bare['threads']} threads, {bare['memory']:.0f} MB")
    met = (app["missed"] == 0 and app["connected"] == count and app["crowded"]["errors"] == 0
           and app["crowded"]["p99"] <= max(250, 3 * app["alone"]["p99"]))
    print(f"   target (every client reached, no door error, door p99 within 3x alone or 250 ms): "
          f"{'met' if met else 'MISSED'}")
    return 0 if app["missed"] == 0 and app["connected"] == count else 1


if __name__ == "__main__":
    sys.exit(main())
