"""Office work before the day: import 2,000 delegates (CSV and Excel), then print all their badges.

    python3 bench/badges_import.py [--delegates 2000] [--no-png]

Runs the services themselves (conference/checkin/importer.py import_delegates and
conference/papers/badges.py generate_badges) in this process on a fresh SQLite instance,
the way `python3 -m conference import-delegates` and `python3 -m conference badges` do.
The badges are the demo's 65 delegates plus the imported ones: one PDF of A4 sheets and one
PNG per delegate.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import header, make_app, roster_csv, roster_xlsx, scratch  # noqa: E402


def timed_import(filename: str, content: bytes) -> tuple[float, int]:
    from conference.core.db import db
    from conference.checkin.importer import import_delegates
    from conference.core.state import default_conference_id
    app = make_app(scratch("import") / "instance")
    with app.app_context():
        conference_id = default_conference_id()
        began = time.perf_counter()
        added = import_delegates(conference_id, filename, content)
        took = time.perf_counter() - began
        db.engine.dispose()
    return took, added


def timed_badges(delegates: int, pngs: bool) -> tuple[float, int, int]:
    import sqlalchemy as sa

    from conference.core.db import db
    from conference.core.models import Delegate
    from conference.papers.badges import generate_badges
    from conference.checkin.importer import import_delegates
    from conference.core.state import default_conference_id
    app = make_app(scratch("badges") / "instance")
    with app.app_context():
        conference_id = default_conference_id()
        import_delegates(conference_id, "roster.csv", roster_csv(delegates))
        total = db.session.scalar(sa.select(sa.func.count()).select_from(Delegate))
        with tempfile.TemporaryDirectory(prefix="conference-badges-") as out:
            began = time.perf_counter()
            count = generate_badges(conference_id, Path(out), pngs=pngs)
            took = time.perf_counter() - began
            size = sum(path.stat().st_size for path in Path(out).iterdir())
        db.engine.dispose()
    assert count == total, (count, total)
    return took, count, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delegates", type=int, default=2000)
    parser.add_argument("--no-png", action="store_true", help="only the PDF sheets")
    args = parser.parse_args()
    header(f"import {args.delegates} rows and print badges (SQLite, in process)")
    for filename, content in (("roster.csv", roster_csv(args.delegates)), ("roster.xlsx", roster_xlsx(args.delegates))):
        took, added = timed_import(filename, content)
        print(f"   import {added} rows from {filename:<12} {took:6.2f} s ({added / took:7.0f} rows/s)")
    took, count, size = timed_badges(args.delegates, not args.no_png)
    what = "PDF" if args.no_png else "PDF + one PNG each"
    print(f"   badges for {count} delegates ({what}): {took:6.1f} s ({took / count * 1000:5.1f} ms each, "
          f"{size / 1e6:.0f} MB)")
    print(f"   target (2,000 badges <= 60 s): {'met' if took * 2000 / count <= 60 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
