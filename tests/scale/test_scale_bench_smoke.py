"""The benchmarks of bench/ still run: each one, tiny, end to end (the figures themselves are
only meaningful at full size, so nothing here is timed)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # each benchmark starts servers of its own


def run_bench(*args: str) -> str:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done.stdout


def test_the_check_in_benchmark_counts_every_delegate_once_and_reports_both_phases():
    out = run_bench("bench/checkin_load.py", "--delegates", "30", "--doors", "4", "--screens", "1", "--rate", "40")
    assert "machine:" in out and "GET /api/state" in out and "paced" in out
    assert "errors 0" in out and "check-ins stored: 95 rows for 95 delegates (expected 95 each)" in out
    assert "floor: bare check-in" in out and "ratio to the floor, flat out:" in out


def test_the_check_in_profile_splits_the_path_into_its_phases_beside_the_floor():
    out = run_bench("bench/checkin_profile.py", "--checkins", "20", "--delegates", "30")
    for phase in ("authentication (the door's token)", "the transaction (look-up, check-in, version, count)",
                  "of which the scan log", "the audit entry", "the commit", "a publish (the snapshot built afresh"):
        assert phase in out
    assert out.count("Python calls a check-in:") == 2 and "over the floor's:" in out


def test_the_check_in_benchmark_runs_the_scale_out_set_up(postgres_url, redis_url):
    server = postgres_url.split("://", 1)[1].rsplit("/", 1)[0]  # user@host:port of the machine's PostgreSQL
    out = run_bench("bench/checkin_load.py", "--delegates", "30", "--doors", "4", "--screens", "2", "--rate", "40",
                    "--postgres", server, "--redis", redis_url, "--servers", "2")
    assert "scale-out (2 gunicorn processes, PostgreSQL, Redis)" in out and "errors 0" in out
    assert "check-ins stored: 95 rows for 95 delegates (expected 95 each)" in out


def test_the_fan_out_benchmark_reaches_every_screen():
    out = run_bench("bench/fanout.py", "--screens", "12", "--rounds", "3", "--processes", "2")
    assert "12 screens connected" in out and "deliveries missed: 0" in out and "the MC's request" in out


def test_the_import_and_badge_benchmark_prints_its_figures():
    out = run_bench("bench/badges_import.py", "--delegates", "25")
    assert "import 25 rows from roster.csv" in out and "import 25 rows from roster.xlsx" in out
    assert "badges for 90 delegates" in out


def test_the_votes_benchmark_counts_every_ballot_and_prints_each_figure_beside_its_floor():
    out = run_bench("bench/votes.py", "--phones", "12", "--doors", "2", "--processes", "2", "--window", "1")
    assert "phones connected: 12 of 12; checked in: 12" in out and "missed 0" in out
    assert "ballots: accepted 12, refused 0, errors 0 of 12" in out
    assert "count on close: 12 of 12 ballots sent" in out
    assert "|  floor (a check-in, same spread, no phone yet):" in out and "|  floor (no phone, no vote):" in out


def test_the_phones_benchmark_reaches_every_phone_and_prints_each_figure_beside_its_floor():
    out = run_bench("bench/phones.py", "--phones", "12", "--doors", "2", "--rounds", "4", "--processes", "2",
                    "--scans", "3")
    assert "phones connected: 12 of 12" in out and "missed 0" in out
    assert "|  floor (the projector alone):" in out and "the MC's request p99:" in out
    assert out.count("errors 0 of 6") == 2  # the doors' scans, with the phones and on the floor
    assert "target (every phone reached" in out  # met or MISSED: nothing here is timed
