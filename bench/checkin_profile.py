"""Where a check-in's CPU goes, phase by phase, beside the floor's (bench/bare_checkin.py).

In one process, on gevent as `serve` runs: the app on a prepared instance (the demo and 2,000
imported delegates) and a door's token, then N check-ins one after another through Flask's test
client, first timed (CPU per check-in), then under cProfile, split into the phases the path goes
through. The same for the floor's app. No network and no other client: what is left is the
server's own work, the same from run to run, so a change shows here even when the machine's
speed does not let bench/checkin_load.py show it. One after another, every check-in builds and
sends its own snapshot; under load (checkin_load.py) a burst folds into a few.

    python3 bench/checkin_profile.py [--checkins 500]
"""
from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import cProfile  # noqa: E402
import importlib.util  # noqa: E402
import pstats  # noqa: E402
import time  # noqa: E402

from common import ROOT, header, make_app, prepare_instance, scratch  # noqa: E402

# (phase, the function whose cumulative time it is, functions inside it counted in their own phase)
PHASES = [
    ("the WSGI layers and Flask (request, response, hooks)", ("limits.py", "__call__"), ()),
    ("authentication (the door's token)", ("guards.py", "current_principal"), ()),
    ("the JSON body", ("api.py", "body"), ()),
    ("the transaction (look-up, check-in, version, count)", ("checkins.py", "check_in"), ()),
    ("  of which the scan log", ("checkins.py", "_log"), ()),
    ("the audit entry", ("audit.py", "record_change"), ()),
    ("the commit", ("session.py", "commit"), ()),
    ("the snapshot, built", ("snapshot.py", "build_snapshot"), ()),
    ("the snapshot, sent (screens and phones)", ("realtime.py", "_emit_to_screens"), ()),
]
# Each phase is the cumulative time of its function less the phases nested in it.
NESTED = {"the WSGI layers and Flask (request, response, hooks)": [
    "authentication (the door's token)", "the JSON body", "the transaction (look-up, check-in, version, count)"],
    "the transaction (look-up, check-in, version, count)": [
        "the audit entry", "the commit", "the snapshot, built", "the snapshot, sent (screens and phones)"]}


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


def project(codes_wanted: int):
    instance = scratch("profile") / "instance"
    prepared = prepare_instance(instance, 2000, {"door": 1})
    client = make_app(instance).test_client()
    headers = {"Authorization": f"Bearer {prepared['tokens']['door'][0]}"}

    def post(code: str) -> None:
        answer = client.post("/api/checkins", json={"code": code}, headers=headers)
        assert answer.status_code in (200, 201), answer.get_data(as_text=True)
    codes = prepared["codes"][:codes_wanted + 50]
    for code in codes[:50]:  # warm: the statement caches, the first snapshot
        post(code)
    return measure(post, codes[50:])


def floor(codes: list[str]):
    spec = importlib.util.spec_from_file_location("bare_checkin", ROOT / "bench" / "bare_checkin.py")
    bare = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bare)
    bare.database = bare.open_database(str(scratch("profile-floor") / "floor.db"), codes)
    client = bare.app.test_client()

    def post(code: str) -> None:
        assert client.post("/api/checkins", json={"code": code}).status_code in (200, 201)
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
    args = parser.parse_args()
    header("where a check-in's CPU goes, one after another, in one process")
    cpu_ms, stats = project(args.checkins * 2)
    print("   POST /api/checkins (the application):")
    report(cpu_ms, stats, args.checkins)
    floor_codes = [f"CODE{number:06d}" for number in range(args.checkins * 2 + 50)]
    floor_ms, floor_stats = floor(floor_codes)
    print(f"   floor (bench/bare_checkin.py): CPU a check-in {floor_ms:.2f} ms; "
          f"Python calls a check-in: {calls(floor_stats) / args.checkins:,.0f}")
    print(f"   the application's CPU a check-in over the floor's: {cpu_ms / floor_ms:.1f}x")


if __name__ == "__main__":
    main()
