"""A vote on the delegates' phones: 500 phones cast a ballot within 10 s while the doors scan.

    python3 bench/votes.py [--phones 500] [--doors 10] [--processes 4] [--window 10]

One server process (`python3 -m conference serve`). Set-up, outside the timed part: the door checks
the phones' delegates in (only a checked-in delegate may vote, docs/VOTES.md), each phone opens its
badge's page (GET /me/<code>: its own cookie, and the page's CSRF token its script sends) and holds
the page's live connection (bench/screens.py, listening for "programme"), so every snapshot the vote
publishes fans out to every phone, as on the day. Then the MC opens a vote (POST /api/votes); each
phone's arrival of the ballot (the programme event with the open vote) is timed from the open. Every
phone then casts its ballot (POST /me/ballot) at an even spread over the window, from a small pool
of threads in each of --processes client processes, while the doors scan OTHER delegates at their
usual pace; the MC closes, and the count must equal the ballots sent (exit 1 if not). All the phones
come from 127.0.0.1, so the per-address limit of /me is raised for the run.

Each figure is printed beside its floor, measured in the same run on the same server:
- the doors' check-ins during the vote beside the same doors with no phone and no vote, first;
- a ballot's request beside a check-in's (the closest single-row write): the set-up's check-ins of
  the phones' delegates, sent by the same pool at the same spread over the same window.
Latencies count from the moment a request was due, so a request queued in the client counts too.
"""
from __future__ import annotations

import argparse
import multiprocessing
import re
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checkin_load import run_phase  # noqa: E402
from common import Server, header, percentile, prepare_instance, scratch  # noqa: E402
from screens import Clients  # noqa: E402

DOOR_INTERVAL = 2.0  # seconds between two scans of one door: a queue at the door
POOL = 16  # threads sending in each client process: enough that a request is rarely held back
START_DELAY = 1.0  # seconds for the client processes to start before the first request is due
CHOICES = 3  # the default choices: Tán thành / Không tán thành / Không biểu quyết


def _send(url: str, job: tuple, due: float) -> tuple[float, str, float]:
    """One request at its due time: (seconds from due to answer, outcome, when answered)."""
    import requests
    kind, credential, extra = job
    time.sleep(max(0.0, due - time.time()))
    try:
        if kind == "ballot":  # the phone's page: its cookie and the page's CSRF token
            cookie, csrf = credential
            answer = requests.post(url + "/me/ballot", json=extra, timeout=30,
                                   headers={"Cookie": cookie, "X-CSRFToken": csrf})
        else:  # the door: its token and the badge's code
            answer = requests.post(url + "/api/checkins", timeout=30,
                                   json={"code": extra, "nonce": uuid.uuid4().hex, "device": "Cửa 1"},
                                   headers={"Authorization": f"Bearer {credential}"})
        outcome = "accepted" if answer.status_code == 201 else "refused" if answer.status_code < 500 else "error"
    except Exception:  # noqa: BLE001 - a refused or dropped connection is an error to count
        outcome = "error"
    return time.time() - due, outcome, time.time()


def _sender(url: str, jobs: list[tuple[float, tuple]], queue) -> None:
    with ThreadPoolExecutor(POOL) as pool:
        queue.put(list(pool.map(lambda item: _send(url, item[1], item[0]), jobs)))


def spread(url: str, jobs: list[tuple], window: float, processes: int) -> dict:
    """Send the jobs evenly over `window` seconds from `processes` client processes."""
    start = time.time() + START_DELAY
    due = [(start + n * window / max(len(jobs), 1), job) for n, job in enumerate(jobs)]
    queue = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=_sender, args=(url, due[n::processes], queue))
               for n in range(processes) if due[n::processes]]
    for worker in workers:
        worker.start()
    results = [row for _ in workers for row in queue.get(timeout=600)]
    for worker in workers:
        worker.join()
    took = [seconds * 1000 for seconds, _, _ in results]
    stored = [ended for _, outcome, ended in results if outcome == "accepted"]
    return {outcome: sum(1 for _, o, _ in results if o == outcome) for outcome in ("accepted", "refused", "error")} | {
        "p50": percentile(took, 0.5), "p99": percentile(took, 0.99), "max": max(took, default=float("nan")),
        "span": (max(stored) - min(stored)) if stored else float("nan")}


def open_pages(url: str, codes: list[str]) -> list[tuple[str, str]]:
    """Each phone opens its badge's page: (the Cookie header it then sends, the page's CSRF token)."""
    import requests
    phones = []
    for code in codes:
        session = requests.Session()
        page = session.get(f"{url}/me/{code}", timeout=30)  # 303 to /me, which sets the CSRF secret
        found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
        if page.status_code != 200 or not found:
            raise RuntimeError(f"/me/{code}: {page.status_code}")
        phones.append(("; ".join(f"{c.name}={c.value}" for c in session.cookies), found.group(1)))
    return phones


def doors_during(server: Server, tokens: list[str], codes: list[str], scans: int, during) -> tuple[dict, object]:
    """The doors at their pace (`scans` each) while `during()` runs; (the doors' figures, its result)."""
    doors, figures = len(tokens), {}
    running = threading.Thread(target=lambda: figures.update(
        run_phase([server], tokens, [codes[n::doors][:scans] for n in range(doors)], doors / DOOR_INTERVAL)))
    running.start()
    result = during()
    running.join()
    return figures, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=500)
    parser.add_argument("--doors", type=int, default=10)
    parser.add_argument("--processes", type=int, default=4, help="client processes holding and sending for the phones")
    parser.add_argument("--window", type=float, default=10.0, help="seconds over which the ballots are spread")
    args = parser.parse_args()
    header(f"a vote on the phones: {args.phones} ballots within {args.window:.0f} s, {args.doors} doors, one process")
    import requests
    scans = max(1, round(args.window / DOOR_INTERVAL))  # each door scans through the whole window
    instance = scratch("votes") / "instance"
    prepared = prepare_instance(instance, args.phones + 2 * scans * args.doors, {"door": args.doors, "mc": 1})
    codes, tokens = prepared["codes"], prepared["tokens"]["door"]
    floor_codes, vote_codes = codes[:scans * args.doors], codes[scans * args.doors:2 * scans * args.doors]
    phone_codes = codes[2 * scans * args.doors:2 * scans * args.doors + args.phones]
    with Server(instance, {"CONFERENCE_ME_LIMIT_PER_ADDRESS": "1000000 per minute"}) as server:
        mc = requests.Session()
        mc.headers["Authorization"] = f"Bearer {prepared['tokens']['mc'][0]}"
        checkins = spread(server.url, [("checkin", tokens[0], code) for code in phone_codes],
                          args.window, args.processes)
        floor, _ = doors_during(server, tokens, floor_codes, scans, lambda: None)
        phones = open_pages(server.url, phone_codes)
        clients = Clients(server.url, len(phones), args.processes, [cookie for cookie, _ in phones],
                          {"delegate": True}, "programme")
        before = mc.get(server.url + "/api/state", timeout=30).json()["version"]
        opened_at = time.time()
        answer = mc.post(server.url + "/api/votes", timeout=30,
                         json={"question": "Thông qua danh sách đại biểu", "method": "phones"})
        if answer.status_code != 201:
            raise RuntimeError(f"POST /api/votes: {answer.status_code} {answer.text[:200]}")
        vote = answer.json()
        time.sleep(1.0)  # every phone has long had the ballot: its arrival is not folded into a ballot's snapshot
        jobs = [("ballot", phone, {"vote": vote["id"], "choices": [n % CHOICES + 1]}) for n, phone in enumerate(phones)]
        crowd, ballots = doors_during(server, tokens, vote_codes, scans,
                                      lambda: spread(server.url, jobs, args.window, args.processes))
        closed = mc.post(f"{server.url}/api/votes/{vote['id']}/close", timeout=30).json()
        arrivals = clients.close()
    opening = min((v for v in arrivals if v > before), default=None)
    reached = sorted(arrivals.get(opening, []))[:clients.connected]  # a version may arrive twice
    delivered = [(at - opened_at) * 1000 for at in reached]
    counted = sum(closed["counts"].values())
    print(f"   phones connected: {clients.connected} of {args.phones}; checked in: {checkins['accepted']}")
    print(f"   the open to each phone's ballot: p50 {percentile(delivered, 0.5):.0f} ms, "
          f"p99 {percentile(delivered, 0.99):.0f} ms, last {max(delivered, default=float('nan')):.0f} ms, "
          f"missed {clients.connected - len(reached)}")
    print(f"   ballots: accepted {ballots['accepted']}, refused {ballots['refused']}, errors {ballots['error']} "
          f"of {len(jobs)}; first to last stored {ballots['span']:.1f} s (window {args.window:.0f} s)")
    print(f"   ballot request: p50 {ballots['p50']:.0f} ms, p99 {ballots['p99']:.0f} ms, max {ballots['max']:.0f} ms"
          f"  |  floor (a check-in, same spread, no phone yet): p50 {checkins['p50']:.0f} ms, "
          f"p99 {checkins['p99']:.0f} ms, max {checkins['max']:.0f} ms")
    print(f"   doors' check-ins during the vote: p99 {crowd['p99']:.0f} ms, errors {crowd['errors']} of "
          f"{crowd['requests']}  |  floor (no phone, no vote): p99 {floor['p99']:.0f} ms, errors {floor['errors']} "
          f"of {floor['requests']}")
    print(f"   count on close: {counted} of {len(jobs)} ballots sent "
          f"(cast {closed['cast']}, present {closed['present']})")
    met = (counted == len(jobs) == ballots["accepted"] and ballots["span"] <= args.window
           and clients.connected == len(reached) == args.phones and crowd["errors"] == 0
           and crowd["p99"] <= max(250, 3 * floor["p99"]))
    print(f"   target (every ballot counted within the window, every phone reached, no door error, door p99 "
          f"within 3x the floor or 250 ms): {'met' if met else 'MISSED'}")
    return 0 if counted == len(jobs) else 1


if __name__ == "__main__":
    sys.exit(main())
