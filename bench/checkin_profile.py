"""Where a check-in's CPU goes, phase by phase, beside the floor's (bench/bare_checkin.py).

In one process, on gevent as `serve` runs: the app on a prepared instance (the demo and 2,000
imported delegates) and a door's token, then N check-ins one after another through Flask's test
client, first timed (CPU per check-in), then under cProfile (CPU), split into the phases the path
goes through. The same for the floor's app. No network and no other client: what is left is the
server's own work, nearly the same from run to run, and the Python calls a check-in exactly the
same, so a change shows here even when the machine's speed does not let bench/checkin_load.py
show it.

The snapshot is measured apart. Under load a burst of check-ins folds into one snapshot every
BURST_INTERVAL (live/realtime.py), so its cost a check-in depends on the pace; one after another,
each check-in would build its own and hide the rest. So the check-ins run with the publish step
off, and then N publishes are timed on their own, each building the snapshot afresh.

    python3 bench/checkin_profile.py [--checkins 500] [--delegates 2000]
"""
from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import cProfile  # noqa: E402
import importlib.util  # noqa: E402
import pstats  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402

from common import ROOT, header, make_app, prepare_instance, scratch  # noqa: E402
from conference.live.realtime import BURST_INTERVAL  # noqa: E402

# (phase, the function whose cumulative time it is, functions inside it counted in their own phase)
PHASES = [
    ("the WSGI layers and Flask (request, response, hooks)", ("limits.py", "__call__"), ()),
    ("authentication (the door's token)", ("guards.py", "current_principal"), ()),
    ("the JSON body", ("api.py", "body"), ()),
    ("the transaction (look-up, check-in, version, count)", ("checkins.py", "check_in"), ()),
    ("  of which the scan log", ("checkins.py", "_log"), ()),
    ("the audit entry", ("audit.py", "record_change"), ()),
    ("the commit", ("session.py", "commit"), ()),
]
# Each phase is the cumulative time of its function less the phases nested in it.
NESTED = {"the WSGI layers and Flask (request, response, hooks)": [
    "authentication (the door's token)", "the JSON body", "the transaction (look-up, check-in, version, count)"],
    "the transaction (look-up, check-in, version, count)": [
        "the audit entry", "the commit"]}


def cumulative(stats: pstats.Stats, file_end: str, name: str) -> float:
    """Seconds spent in this function and below it (its outermost calls only)."""
    return sum(entry[3] for (path, _, function), entry in stats.stats.items()
               if path.endswith(file_end) and function == name)


def calls(stats: pstats.Stats) -> int:
    return sum(entry[1] for entry in stats.stats.values())


def measure(post, codes: list[str]) -> tuple[float, pstats.Stats]:
    """CPU ms a check-in, timed plainly over the first half of the codes, then profiled over the rest."""
    half = len(codes) // 2
    started = time.process_time()
    for code in codes[:half]:
        post(code)
    cpu_ms = (time.process_time() - started) * 1000 / half
    profile = cProfile.Profile(time.process_time)  # CPU, as the figure above: not the disk's wait
    profile.enable()
    for code in codes[half:]:
        post(code)
    profile.disable()
    return cpu_ms, pstats.Stats(profile)


def project(codes_wanted: int, delegates: int):
    """(CPU ms a check-in, its profile, CPU ms a publish) of the application."""
    from conference.accounts import audit
    from conference.core.db import install_transaction_steps
    from conference.live import realtime, snapshot
    instance = scratch("profile") / "instance"
    prepared = prepare_instance(instance, delegates, {"door": 1})
    app = make_app(instance)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {prepared['tokens']['door'][0]}"}

    def post(code: str) -> None:
        answer = client.post("/api/checkins", json={"code": code, "nonce": uuid.uuid4().hex, "device": "Cửa 1"},
                             headers=headers)
        assert answer.status_code == 201, answer.get_data(as_text=True)
    codes = prepared["codes"][:codes_wanted + 50]
    for code in codes[:50]:  # warm: the statement caches, the first snapshot
        post(code)
    install_transaction_steps(record_change=audit.record_change, publish=lambda conference_id: None)
    cpu_ms, stats = measure(post, codes[50:])
    snapshot.REUSE_SECONDS = 0  # each publish builds its snapshot afresh, as after a change
    with app.test_request_context():
        started = time.process_time()
        for _ in range(codes_wanted // 2):
            realtime.publish(prepared["conference_id"])
        publish_ms = (time.process_time() - started) * 1000 / (codes_wanted // 2)
    return cpu_ms, stats, publish_ms


def floor(codes: list[str]):
    spec = importlib.util.spec_from_file_location("bare_checkin", ROOT / "bench" / "bare_checkin.py")
    bare = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bare)
    bare.database = bare.open_database(str(scratch("profile-floor") / "floor.db"), codes)
    client = bare.app.test_client()

    def post(code: str) -> None:
        assert client.post("/api/checkins", json={"code": code}).status_code == 201
    for code in codes[:50]:
        post(code)
    return measure(post, codes[50:])


def report(cpu_ms: float, stats: pstats.Stats, count: int) -> None:
    own = {name: cumulative(stats, *function) for name, function, _ in PHASES}
    for name, inner in NESTED.items():
        own[name] -= sum(own[phase] for phase in inner)
    print(f"   CPU a check-in, unprofiled: {cpu_ms:.2f} ms; Python calls a check-in: {calls(stats) / count:,.0f}")
    print("   profiled, ms a check-in (the profiler's own cost included):")
    for name, _, _ in PHASES:
        print(f"     {own[name] * 1000 / count:6.2f}  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkins", type=int, default=500, help="timed, then as many profiled")
    parser.add_argument("--delegates", type=int, default=2000, help="imported on top of the 65 of the demo")
    args = parser.parse_args()
    header("where a check-in's CPU goes, one after another, in one process")
    if args.checkins * 2 + 50 > args.delegates + 65:
        parser.error("--delegates must leave a delegate for each check-in: 2 x --checkins + 50 in all")
    cpu_ms, stats, publish_ms = project(args.checkins * 2, args.delegates)
    print("   POST /api/checkins (the application), its publish apart:")
    report(cpu_ms, stats, args.checkins)
    print(f"   a publish (the snapshot built afresh, sent to the screens and the phones): {publish_ms:.2f} ms CPU;"
          f" under load one every {BURST_INTERVAL * 1000:.0f} ms at most while check-ins keep coming")
    floor_codes = [f"CODE{number:06d}" for number in range(args.checkins * 2 + 50)]
    floor_ms, floor_stats = floor(floor_codes)
    print(f"   floor (bench/bare_checkin.py): CPU a check-in {floor_ms:.2f} ms; "
          f"Python calls a check-in: {calls(floor_stats) / args.checkins:,.0f}")
    print(f"   the application's CPU a check-in (its publish apart) over the floor's: {cpu_ms / floor_ms:.1f}x")


if __name__ == "__main__":
    main()
