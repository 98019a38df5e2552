"""What a server-side session costs each cookie request: the lookup of its row, timed, and the SQL
statements it runs (one indexed select of the session with its account or device, and the
conference an account works on; a write at most once a minute).

    python3 bench/session_lookup.py [--requests 5000]

Runs accounts/sessions.py session_principal in this process on a fresh SQLite instance, for an
account's session and for a paired device's, as every cookie request and socket connect does.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import header, make_app, percentile, scratch  # noqa: E402


def measure(opaque: str, count: int) -> tuple[list[float], float]:
    """Per-lookup times (ms) and SQL statements per lookup."""
    import sqlalchemy as sa
    from conference.core.db import db
    from conference.accounts.sessions import session_principal
    statements = 0

    def counted(*_args):
        nonlocal statements
        statements += 1
    sa.event.listen(db.engine, "before_cursor_execute", counted)
    times = []
    for _ in range(count):
        start = time.perf_counter()
        assert session_principal(opaque) is not None
        db.session.rollback()  # a request ends its read transaction
        times.append((time.perf_counter() - start) * 1000)
    sa.event.remove(db.engine, "before_cursor_execute", counted)
    return times, statements / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000)
    args = parser.parse_args()
    header("session lookup per cookie request (SQLite, in process)")
    app = make_app(scratch("sessions") / "instance")
    from conference.core.models import Role
    from conference.accounts.users import find_user
    from conference.accounts.devices import create_device
    from conference.accounts.sessions import start_session
    from conference.core.state import default_conference_id
    with app.app_context():
        account = start_session(user_id=find_user("admin").id)
        device = create_device(default_conference_id(), Role.DOOR, "Cửa 1")[0]
        paired = start_session(device_id=device.id)
        for name, opaque in (("account", account), ("paired device", paired)):
            times, statements = measure(opaque, args.requests)
            print(f"   {name:<14} {args.requests} lookups: p50 {percentile(times, 0.5):.3f} ms, "
                  f"p99 {percentile(times, 0.99):.3f} ms, {statements:.2f} SQL statements each "
                  "(SQLite's BEGIN included)")


if __name__ == "__main__":
    main()
