"""Check-in under load: 20 doors scanning at once over 2,000+ delegates, then the plain state read.

    python3 bench/checkin_load.py [--delegates 2000] [--doors 20] [--screens 3]
    python3 bench/checkin_load.py --postgres postgres@127.0.0.1:5432 --redis redis://127.0.0.1:6379/0 --servers 2

Each door is a thread with its own HTTP session and its own device token (the embedded server
answers every request with Connection: close, so each scan opens a connection, as a tablet's
would); the doors are spread over a few client processes so the load generator does not queue
on one GIL.
Every delegate is scanned once (each scan with its own nonce, as the door page sends): half of
them flat out (each door scans again as soon as it has its answer: the most the server can do),
then the same doors read GET /api/state as often, then the other half at a steady 150 scans/s
in all (--rate), where each latency counts from the moment the scan was due. A few screens stay connected
throughout (projector, MC, office), so every check-in is published to someone, as on the day.
Prints throughput, p50/p99 latency, errors and the server's CPU time per request of each (from
/proc: unlike the others it hardly moves with other work on the machine), and checks the database
counted each delegate exactly once. After them, the same doors scan the flat-out half again against
the floor, a bare check-in on the same server (bench/bare_checkin.py, a database of its own), and
the ratio of the two throughputs is printed with each one's CPU time a check-in.

With --postgres (and --redis), the same load runs against the scale-out set-up instead: a database
of its own on that PostgreSQL (dropped afterwards) and --servers processes of the production command
(deploy/gunicorn.command) joined by Redis, the doors spread over them as a proxy would.
"""
from __future__ import annotations

import argparse
import multiprocessing
import shlex
import sys
import threading
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (ROOT, Server, free_port, header, percentile, prepare_instance, scratch,  # noqa: E402
                    scratch_postgres)

CLIENT_PROCESSES = 4


def _door(url: str, token: str, door: int, jobs: list, start_at: float, interval: float, results: list) -> None:
    import requests
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    session.get(url + "/api/state", timeout=10)  # warm up before the clock starts
    time.sleep(max(0.0, start_at - time.time()))
    origin = time.perf_counter()
    for number, job in enumerate(jobs):
        began = time.perf_counter()
        if interval:  # paced: the scan is due at a fixed time, and a late answer counts from then
            due = origin + number * interval
            time.sleep(max(0.0, due - began))
            began = due
        try:
            if job is None:
                response = session.get(url + "/api/state", timeout=30)
                ok = response.status_code == 200
            else:
                response = session.post(url + "/api/checkins", timeout=30,
                                        json={"code": job, "nonce": uuid.uuid4().hex, "device": f"Cửa {door}"})
                ok = response.status_code == 201 and response.json()["result"] == "checked_in"
        except Exception:  # noqa: BLE001 - a refused or dropped connection is an error to count
            ok = False
        results.append((time.perf_counter() - began, ok, time.time()))


def _client_process(doors: list[tuple[str, int, str, list]], start_at: float, interval: float,
                    queue) -> None:
    results: list = []
    threads = [threading.Thread(target=_door, args=(url, token, number, jobs, start_at, interval, results))
               for url, number, token, jobs in doors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put(results)


def run_phase(servers: list[Server], tokens: list[str], jobs_per_door: list[list], rate: float = 0) -> dict:
    """Run every door at once (door n on server n mod len(servers)), flat out or at `rate` requests/s
    in all; returns throughput, latency percentiles, the error count and the servers' CPU time per
    request (each door's warm-up read counted as a request)."""
    urls = [server.url for server in servers]
    cpu_before = sum(server.cpu_seconds() for server in servers)
    start_at = time.time() + 1.5
    interval = len(tokens) / rate if rate else 0.0
    queue = multiprocessing.Queue()
    doors = [(urls[n % len(urls)], n + 1, tokens[n], jobs_per_door[n]) for n in range(len(tokens))]
    processes = [multiprocessing.Process(target=_client_process,
                                         args=(doors[i::CLIENT_PROCESSES], start_at, interval, queue))
                 for i in range(CLIENT_PROCESSES)]
    for process in processes:
        process.start()
    results = [row for _ in processes for row in queue.get(timeout=600)]
    for process in processes:
        process.join()
    cpu = sum(server.cpu_seconds() for server in servers) - cpu_before
    latencies = [seconds for seconds, _, _ in results]
    wall = max(ended for _, _, ended in results) - start_at
    return {"requests": len(results), "errors": sum(1 for _, ok, _ in results if not ok),
            "per_second": len(results) / wall, "p50": percentile(latencies, 0.50) * 1000,
            "p99": percentile(latencies, 0.99) * 1000, "max": max(latencies) * 1000, "wall": wall,
            "cpu_ms": cpu * 1000 / (len(results) + len(tokens))}


def connect_screens(urls: list[str], count: int) -> list:
    import socketio
    screens = []
    for number in range(count):
        client = socketio.Client(reconnection=False)
        client.on("state", lambda snapshot: None)
        client.connect(urls[number % len(urls)], transports=["websocket"], wait_timeout=10)
        screens.append(client)
    return screens


def count_checkins(instance: Path, database_url: str | None) -> tuple[int, int]:
    import sqlalchemy as sa

    from common import make_app
    from conference.core.db import db
    from conference.core.models import CheckIn
    app = make_app(instance, database_url)
    with app.app_context():
        rows = db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn))
        distinct = db.session.scalar(sa.select(sa.func.count(sa.distinct(CheckIn.delegate_id))))
        db.engine.dispose()
    return rows, distinct


def report(name: str, figures: dict) -> None:
    print(f"   {name:<22} {figures['requests']:>5} requests in {figures['wall']:5.1f} s: "
          f"{figures['per_second']:6.1f}/s, p50 {figures['p50']:6.1f} ms, p99 {figures['p99']:6.1f} ms, "
          f"max {figures['max']:6.1f} ms, errors {figures['errors']}, server CPU {figures['cpu_ms']:.2f} ms a request")


def setup_name(args) -> str:
    if not args.postgres:
        return "embedded default (one process, SQLite, gevent)"
    queue = "Redis" if args.redis else "no message queue"
    return f"scale-out ({args.servers} gunicorn processes, PostgreSQL, {queue})"


def start_servers(stack: ExitStack, instance: Path, args) -> tuple[list[Server], str | None]:
    """The server processes under test and the database URL they share (None: the SQLite file)."""
    if not args.postgres:
        return [stack.enter_context(Server(instance))], None
    database_url = stack.enter_context(scratch_postgres(args.postgres))
    env = {"DATABASE_URL": database_url, "SECRET_KEY": uuid.uuid4().hex,
           "SOCKETIO_CHANNEL": f"conference-bench-{uuid.uuid4().hex}"}
    if args.redis:
        env["REDIS_URL"] = args.redis
    production = shlex.split((ROOT / "deploy" / "gunicorn.command").read_text(encoding="utf-8"))
    servers = []
    for number in range(args.servers):
        port = free_port()
        command = [sys.executable, "-m", "gunicorn",
                   *[part.replace("$PORT", str(port)).replace("0.0.0.0", "127.0.0.1") for part in production[1:]]]
        servers.append(stack.enter_context(Server(instance.parent / f"process-{number}", env, command, port)))
    return servers, database_url


def floor_phase(codes: list[str], tokens: list[str]) -> dict:
    """The same doors, flat out over the same codes, against the bare check-in (bench/bare_checkin.py)
    on the same server, with a fresh database of its own."""
    folder = scratch("checkin-floor")
    (folder / "codes.txt").write_text("\n".join(codes), encoding="utf-8")
    port = free_port()
    command = [sys.executable, str(ROOT / "bench" / "bare_checkin.py"), str(port), str(folder / "floor.db"),
               str(folder / "codes.txt")]
    with Server(folder, command=command, port=port) as bare:
        return run_phase([bare], tokens, [codes[n::len(tokens)] for n in range(len(tokens))])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delegates", type=int, default=2000, help="imported on top of the 65 of the demo")
    parser.add_argument("--doors", type=int, default=20)
    parser.add_argument("--screens", type=int, default=3)
    parser.add_argument("--rate", type=float, default=150, help="scans per second in the paced phase")
    parser.add_argument("--postgres", metavar="USER@HOST:PORT",
                        help="run the scale-out set-up on this PostgreSQL (a scratch database of its own)")
    parser.add_argument("--redis", metavar="URL", help="with --postgres: the Redis joining the processes")
    parser.add_argument("--servers", type=int, default=2, help="with --postgres: server processes")
    args = parser.parse_args()
    if args.servers > 1 and args.postgres and not args.redis:
        parser.error("several processes need --redis to share live updates")

    header(f"check-in: {args.doors} doors at once, {setup_name(args)}")
    instance = scratch("checkin") / "instance"
    with ExitStack() as stack:
        servers, database_url = start_servers(stack, instance, args)
        urls = [server.url for server in servers]
        prepared = prepare_instance(instance, args.delegates, {"door": args.doors}, database_url)
        codes, tokens = prepared["codes"], prepared["tokens"]["door"]
        print(f"   {len(codes)} delegates, {args.doors} doors, {args.screens} screens connected")
        half = len(codes) // 2
        flat_out, paced = codes[:half], codes[half:]
        screens = connect_screens(urls, args.screens)
        try:
            saturated = run_phase(servers, tokens, [flat_out[n::args.doors] for n in range(args.doors)])
            reads = run_phase(servers, tokens, [[None] * len(flat_out[n::args.doors]) for n in range(args.doors)])
            steady = run_phase(servers, tokens, [paced[n::args.doors] for n in range(args.doors)], args.rate)
        finally:
            for screen in screens:
                screen.disconnect()
        rows, distinct = count_checkins(instance, database_url)
        memory = [server.peak_memory_mb() for server in servers]
    floor = floor_phase(flat_out, tokens) if not args.postgres else None
    print("   flat out (each door sends its next scan as soon as it has the answer):")
    report("POST /api/checkins", saturated)
    if floor:
        report("floor: bare check-in", floor)
        print(f"   ratio to the floor, flat out: {saturated['per_second'] / floor['per_second']:.2f}x "
              f"(CPU a check-in {saturated['cpu_ms']:.2f} ms against {floor['cpu_ms']:.2f} ms; "
              f"p99 {saturated['p99']:.0f} ms against the floor's p50 {floor['p50']:.0f} ms)")
    report("GET /api/state", reads)
    print(f"   paced: the {args.doors} doors together send {args.rate:.0f} scans/s (latency counted from when due):")
    report("POST /api/checkins", steady)
    print(f"   check-ins stored: {rows} rows for {distinct} delegates (expected {len(codes)} each)")
    print(f"   server memory at peak: {' + '.join(f'{mb:.0f} MB' for mb in memory)}")
    met = (saturated["per_second"] >= 150 and steady["p99"] <= 150 and saturated["errors"] + steady["errors"] == 0
           and rows == distinct == len(codes))
    print(f"   target (>= 150/s flat out; p99 <= 150 ms at 150/s; zero errors; each counted once): "
          f"{'met' if met else 'MISSED'}")
    return 0 if rows == distinct == len(codes) else 1


if __name__ == "__main__":
    sys.exit(main())
