"""Shared by the benchmarks: a roster of N delegates, a prepared instance, a live server, figures.

Every benchmark runs the product as it ships: `python3 -m conference serve` in its own process
(the embedded default unless DATABASE_URL / REDIS_URL are given), driven over 127.0.0.1 only.
"""
from __future__ import annotations

import csv
import io
import math
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
          "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Rơ Chăm", "Ksor", "Siu"]
MIDDLE = ["Văn", "Thị", "Đình", "Hữu", "Minh", "Thanh", "Ngọc", "Quốc", "Xuân", "Thu", "Đức", "Kim"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Đạt", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng",
         "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm",
         "Thắng", "Thảo", "Trang", "Tuấn", "Uyên", "Vân", "Vinh", "Yến", "H'Bia", "Ayun"]
POSITIONS = ["Tổ trưởng tổ dân phố", "Bí thư chi bộ", "Chi hội trưởng Hội Phụ nữ", "Công chức phường",
             "Đoàn viên", "Hội viên Hội Cựu chiến binh", "Giáo viên", "Chủ hộ kinh doanh"]
GROUPS = ["Cán bộ, công chức phường", "Tổ dân phố", "Điển hình tiên tiến, đại diện tập thể tiên tiến"]


def roster_rows(count: int) -> list[list[str]]:
    """count distinct delegates as an office would list them (name, position, unit, group)."""
    rows = []
    for number in range(count):
        name = (f"{FAMILY[number % len(FAMILY)]} {MIDDLE[(number // 20) % len(MIDDLE)]} "
                f"{GIVEN[(number // 7) % len(GIVEN)]}")
        unit = f"Tổ dân phố {number // 25 + 1}"  # name + unit is unique: 25 per unit, all names differ
        rows.append([name, POSITIONS[number % len(POSITIONS)], unit, GROUPS[number % len(GROUPS)]])
    return rows


def roster_csv(count: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Thành phần"])
    for number, row in enumerate(roster_rows(count), start=1):
        writer.writerow([number, *row])
    return out.getvalue().encode("utf-8-sig")


def roster_xlsx(count: int) -> bytes:
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH ĐẠI BIỂU"])
    sheet.append(["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Thành phần"])
    for number, row in enumerate(roster_rows(count), start=1):
        sheet.append([number, *row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def make_app(instance: Path, database_url: str | None = None):
    """The app on an instance folder, as the server process will open it."""
    from conference.factory import create_app
    config = {"INSTANCE_PATH": str(instance)}
    if database_url:
        config["SQLALCHEMY_DATABASE_URI"] = database_url
    return create_app(config)


def prepare_instance(instance: Path, delegates: int, roles: dict[str, int],
                     database_url: str | None = None) -> dict:
    """Demo conference + `delegates` imported rows + device tokens. Returns codes and tokens."""
    import sqlalchemy as sa

    from conference.core.db import db
    from conference.core.models import Delegate, Role
    from conference.accounts.devices import create_device
    from conference.checkin.importer import import_delegates
    from conference.core.state import default_conference_id
    app = make_app(instance, database_url)
    with app.app_context():
        conference_id = default_conference_id()
        if delegates:
            import_delegates(conference_id, "roster.csv", roster_csv(delegates))
        codes = list(db.session.scalars(sa.select(Delegate.badge_code)
                                        .where(Delegate.conference_id == conference_id).order_by(Delegate.id)))
        tokens = {role: [create_device(conference_id, Role(role), f"{role} {n + 1}")[1] for n in range(count)]
                  for role, count in roles.items()}
        db.session.remove()
        db.engine.dispose()
    return {"conference_id": conference_id, "codes": codes, "tokens": tokens}


@contextmanager
def scratch_postgres(server: str) -> Iterator[str]:
    """A database of its own on the PostgreSQL at `server` (postgresql://user@host:port), dropped after."""
    import psycopg
    from sqlalchemy.engine import make_url
    url = make_url(server if "://" in server else f"postgresql://{server}")
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    name = f"conference_bench_{os.getpid()}_{int(time.time())}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`python3 -m conference serve` (or any command given) on a free port, stopped on exit."""

    def __init__(self, instance: Path, env: dict | None = None, command: list[str] | None = None,
                 port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "CONFERENCE_INSTANCE": str(instance), "PYTHONUNBUFFERED": "1", **(env or {})}
        self.command = command or [sys.executable, "-m", "conference", "serve", "--host", "127.0.0.1",
                                   "--port", str(self.port)]
        self.log = instance.parent / f"server-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        import requests
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.log.read_text(errors="replace")[-2000:])
            try:
                if requests.get(self.url + "/api/state", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("server did not start within 60 s")

    def _processes(self) -> Iterator[int]:
        """The server's process and its worker processes (Linux: /proc)."""
        pids = [self.process.pid]
        while pids:
            pid = pids.pop()
            yield pid
            try:
                pids += [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
            except OSError:
                pass

    def peak_memory_mb(self) -> float:
        """The server's peak resident memory (VmHWM) so far, its worker processes included."""
        total = 0
        for pid in self._processes():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
        return total / 1024

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server has used so far, its worker processes included; NaN
        without /proc. Unlike a rate or a latency it hardly moves with other work on the machine."""
        total = 0.0
        for pid in self._processes():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                if pid == self.process.pid:
                    return float("nan")
                continue
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
        return total

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def scratch(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"conference-bench-{prefix}-"))


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p99 of 2,000 samples is the 1,980th smallest)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered) - 1e-9))
    return ordered[rank - 1]


def machine() -> str:
    """One line naming the machine the figures come from."""
    model = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        memory = int(Path("/proc/meminfo").read_text().split()[1]) // (1024 * 1024)
        memory_text = f", {memory} GiB RAM"
    except (OSError, ValueError, IndexError):
        memory_text = ""
    return (f"{os.cpu_count()} cores {model}{memory_text}, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def load_average() -> str:
    """The 1-minute load average: other work on the machine shows in every figure."""
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def header(title: str) -> None:
    print(f"== {title}")
    print(f"   machine: {machine()}; load average at start {load_average()}")
