"""Delegates' phones on /me: hundreds of them connected must keep the door's check-in and the MC's
press within their usual times.

    python3 bench/phones.py [--phones 500] [--doors 10] [--rounds 15] [--processes 4] [--scans 10]

One server process (`python3 -m conference serve`). Each phone opens its delegate's page as the
badge's phone QR does (GET /me/<code>: its own DelegatePhone and cookie), then holds the page's
live connection: Socket.IO over the websocket transport with that cookie and {"delegate": true}
(bench/screens.py), receiving the "programme" event (conference/me/programme.py). All the phones
come from this machine's one address, so the per-address limit of /me is raised for the run
(CONFERENCE_ME_LIMIT_PER_ADDRESS); on the day each phone has its own address.

Each figure is printed beside its floor, measured in the same run on the same server with no phone
connected (a projector only):
- the doors' check-ins at their usual pace (each door a scan every 2 s);
- the MC's press: its request, and its arrival on the last phone beside its arrival on the projector.
"""
from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checkin_load import run_phase  # noqa: E402
from common import Server, header, prepare_instance, scratch  # noqa: E402
from hall import deliveries  # noqa: E402
from screens import Clients  # noqa: E402

ROUND_GAP = 1.0  # seconds between presses: every phone has long received the previous one
DOOR_INTERVAL = 2.0  # seconds between two scans of one door: a queue at the door


def open_pages(url: str, codes: list[str]) -> list[str]:
    """Each phone opens its badge's page; returns the Cookie header each one then sends."""
    import requests
    cookies = []
    for code in codes:
        answer = requests.get(f"{url}/me/{code}", allow_redirects=False, timeout=30)
        if answer.status_code != 303:
            raise RuntimeError(f"/me/{code}: {answer.status_code}")
        cookies.append("; ".join(f"{name}={value}" for name, value in answer.cookies.items()))
    return cookies


def press_rounds(session, url: str, rounds: int) -> list[tuple[float, float, int]]:
    """(when, seconds the request took, the new version) for each press, the program walked forth and back."""
    pressed = []
    for number in range(rounds):
        path = "/api/show/next" if (number // 6) % 2 == 0 else "/api/show/previous"
        started, began = time.time(), time.perf_counter()
        answer = session.post(url + path, timeout=30)
        pressed.append((started, time.perf_counter() - began, answer.json()["version"]))
        time.sleep(ROUND_GAP)
    return pressed


def phase(server: Server, tokens: list[str], codes: list[str], session, rounds: int, clients: Clients) -> dict:
    """The doors at their pace while the MC presses, with these clients connected."""
    doors = len(tokens)
    crowded: dict = {}
    running = threading.Thread(target=lambda: crowded.update(
        run_phase([server], tokens, [codes[n::doors] for n in range(doors)], doors / DOOR_INTERVAL)))
    running.start()
    pressed = press_rounds(session, server.url, rounds)
    running.join()
    return {**deliveries(pressed, clients.close(), clients.connected), "doors": crowded,
            "connected": clients.connected}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=500)
    parser.add_argument("--doors", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=15, help="MC presses in each phase")
    parser.add_argument("--processes", type=int, default=4, help="client processes holding the phones")
    parser.add_argument("--scans", type=int, default=10, help="each door's scans in each phase, one every 2 s")
    args = parser.parse_args()
    header(f"delegates' phones: {args.phones} phones on /me, {args.doors} doors, one process")
    import requests
    scans = args.doors * args.scans
    instance = scratch("phones") / "instance"
    prepared = prepare_instance(instance, args.phones + 2 * scans, {"door": args.doors, "mc": 1})
    codes, tokens = prepared["codes"], prepared["tokens"]["door"]
    floor_codes, crowd_codes = codes[:scans], codes[scans:2 * scans]
    phone_codes = codes[2 * scans:2 * scans + args.phones]
    with Server(instance, {"CONFERENCE_ME_LIMIT_PER_ADDRESS": "1000000 per minute"}) as server:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {prepared['tokens']['mc'][0]}"
        floor = phase(server, tokens, floor_codes, session, args.rounds, Clients(server.url, 1, 1))
        opening = time.perf_counter()
        cookies = open_pages(server.url, phone_codes)
        opened = (time.perf_counter() - opening) * 1000 / max(len(cookies), 1)
        phones = Clients(server.url, len(cookies), args.processes, cookies, {"delegate": True}, "programme")
        crowd = phase(server, tokens, crowd_codes, session, args.rounds, phones)
    print(f"   phones connected: {crowd['connected']} of {args.phones}; opening a page (/me/<code>): "
          f"{opened:.0f} ms each, one after another")
    print(f"   MC press to the last phone: p50 {crowd['p50']:.0f} ms, p99 {crowd['p99']:.0f} ms, "
          f"missed {crowd['missed']}  |  floor (the projector alone): p50 {floor['p50']:.0f} ms, "
          f"p99 {floor['p99']:.0f} ms")
    print(f"   the MC's request p99: {crowd['request_p99']:.0f} ms  |  floor {floor['request_p99']:.0f} ms")
    for name, figures in (("with the phones", crowd["doors"]), ("floor (no phone)", floor["doors"])):
        print(f"   doors' check-ins {name:>16}: p50 {figures['p50']:.0f} ms, p99 {figures['p99']:.0f} ms, "
              f"errors {figures['errors']} of {figures['requests']}")
    reached = crowd["missed"] == 0 and crowd["connected"] == args.phones and crowd["doors"]["errors"] == 0
    met = (reached and crowd["doors"]["p99"] <= max(250, 3 * floor["doors"]["p99"])
           and crowd["request_p99"] <= max(250, 3 * floor["request_p99"]))
    print(f"   target (every phone reached, no door error, door and MC p99 within 3x the floor or 250 ms): "
          f"{'met' if met else 'MISSED'}")
    # As the other benchmarks: the exit status says whether the run was right; its times are the figures.
    return 0 if reached else 1


if __name__ == "__main__":
    sys.exit(main())
