"""The command line as docs/API.md §2 describes it: serve prints the screens, the first administrator's
password (once) and a door QR; secrets are made once (0600) and kept; token pairs devices;
import-delegates exits 1 on error. The users commands: tests/accounts/test_accounts.py."""
from __future__ import annotations

import os
import re
import secrets
import stat
import subprocess
import sys
import time

import pytest
import requests
import zxingcpp
from PIL import Image

from tests.conftest import ROOT, LiveServer, bearer, lanes

SCREENS = ("/door", "/mc", "/display", "/admin")


@pytest.fixture(scope="module")
@lanes("slow")
def server(tmp_path_factory):
    """One live server for the tests that neither restart it nor read a fresh log."""
    shared = LiveServer(tmp_path_factory.mktemp("cli") / "instance", env=FIRST_START).start()
    yield shared
    shared.stop()


def run_cli(server: LiveServer, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "conference", *args], cwd=ROOT, env={**server.env, **(env or {})},
                          capture_output=True, text=True, timeout=120)


FIRST_START = {"CONFERENCE_ADMIN_PASSWORD": ""}  # no password given: the first start makes one


def printed_password(log: str) -> list[str]:
    return re.findall(r"mật khẩu \(chỉ hiện một lần\): (\S+)", log)


def terminal_qr(log: str) -> Image.Image:
    """Turn the half-block QR that serve printed (light modules drawn as blocks) back into pixels."""
    blocks = {"█": (0, 0), "▀": (0, 1), "▄": (1, 0), "\xa0": (1, 1), " ": (1, 1)}  # (top dark, bottom dark)
    rows = [line for line in log.splitlines() if line and set(line) <= set(blocks) and "█" in line]
    modules = []
    for line in rows:
        modules.append([blocks[ch][0] for ch in line])
        modules.append([blocks[ch][1] for ch in line])
    scale, margin = 8, 4
    width = len(modules[0])
    image = Image.new("L", ((width + 2 * margin) * scale, (len(modules) + 2 * margin) * scale), 255)
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            if dark:
                image.paste(0, ((x + margin) * scale, (y + margin) * scale,
                                (x + margin + 1) * scale, (y + margin + 1) * scale))
    return image


def login(server: LiveServer, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(server.url + "/login", timeout=10).text
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    session.post(server.url + "/login", data={"csrf_token": csrf, "login": "admin", "password": password},
                 timeout=10)
    return session


def test_serve_prints_every_screen_address_the_first_admin_password_and_a_door_qr(server):
    log = server.log.read_text(encoding="utf-8")
    for path in SCREENS:
        assert f"{server.url}{path}" in log
    [password] = printed_password(log)
    assert len(password) >= 12 and not (server.instance / "admin_password").exists()
    assert login(server, password).get(server.url + "/admin", timeout=10, allow_redirects=False
                                            ).status_code == 200
    [qr] = zxingcpp.read_barcodes(terminal_qr(log), formats=zxingcpp.BarcodeFormat.QRCode)
    assert qr.text == f"{server.url}/door"


@pytest.mark.slow
def test_secrets_are_generated_once_private_and_kept_across_restarts(tmp_path):
    live_server = LiveServer(tmp_path / "instance", env=FIRST_START).start()
    try:
        secret_key = live_server.instance / "secret_key"
        assert stat.S_IMODE(secret_key.stat().st_mode) == 0o600
        kept = secret_key.read_text()
        assert len(kept.strip()) >= 64
        tablet = requests.Session()
        tablet.get(f"{live_server.url}/pair/{live_server.pairing('door')}", timeout=10)
        assert tablet.get(live_server.url + "/door", timeout=10, allow_redirects=False).status_code == 200

        live_server.restart()
        assert secret_key.read_text() == kept
        # the first administrator's password was printed at the first start only, and never stored
        assert len(printed_password(live_server.log.read_text(encoding="utf-8"))) == 1
        assert not (live_server.instance / "admin_password").exists()
        # the same secret key signs cookies and the session row is kept, so the tablet stays paired
        assert tablet.get(live_server.url + "/door", timeout=10, allow_redirects=False).status_code == 200
    finally:
        live_server.stop()


@pytest.mark.slow
def test_the_admin_password_from_the_environment_replaces_the_first_one_only_when_asked(tmp_path):
    first = LiveServer(tmp_path / "instance", env=FIRST_START).start()
    first.stop()
    [generated] = printed_password(first.log.read_text(encoding="utf-8"))
    admin_page = "/admin"
    kept = LiveServer(tmp_path / "instance", env={"CONFERENCE_ADMIN_PASSWORD": "mật-khẩu-hội-nghị"}).start()
    try:  # admin exists: a password in the environment alone changes nothing
        assert login(kept, generated).get(kept.url + admin_page, timeout=10, allow_redirects=False).status_code == 200
        assert login(kept, "mật-khẩu-hội-nghị").get(kept.url + admin_page, timeout=10,
                                                     allow_redirects=False).status_code == 302
    finally:
        kept.stop()
    server = LiveServer(tmp_path / "instance", env={"CONFERENCE_ADMIN_PASSWORD": "mật-khẩu-hội-nghị",
                                                    "CONFERENCE_ADMIN_PASSWORD_RESET": "1"}).start()
    try:
        assert printed_password(server.log.read_text(encoding="utf-8")) == []  # given, so never printed
        assert login(server, "mật-khẩu-hội-nghị").get(server.url + admin_page, timeout=10, allow_redirects=False
                                                       ).status_code == 200
        assert login(server, generated).get(server.url + admin_page, timeout=10, allow_redirects=False).status_code == 302
    finally:
        server.stop()


def test_secret_key_from_the_environment_is_used_and_nothing_is_written(tmp_path, monkeypatch):
    from conference import create_app
    key = secrets.token_hex(32)
    monkeypatch.setenv("SECRET_KEY", key)
    monkeypatch.setenv("CONFERENCE_ADMIN_PASSWORD", "pw-from-env")
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    assert app.config["SECRET_KEY"] == key and app.config["ADMIN_PASSWORD"] == "pw-from-env"
    assert not (tmp_path / "instance" / "secret_key").exists()
    assert not (tmp_path / "instance" / "admin_password").exists()


@pytest.mark.parametrize("role, page, endpoint", [
    ("door", "/door", "/api/delegates"),
    ("mc", "/mc", "/api/awards"),
    ("display", "/display", "/api/state"),
    ("admin", "/admin", "/api/devices"),
])
def test_token_prints_a_pairing_address_that_signs_the_device_in(server, role, page, endpoint):
    made = run_cli(server, "token", role, "--label", f"Thiết bị {role}", "--host", "127.0.0.1",
                   "--port", str(server.port))
    assert made.returncode == 0, made.stderr
    address = re.search(r"(http://127\.0\.0\.1:\d+/pair/([\w-]+))$", made.stdout.strip())
    assert address and made.stdout.startswith(f"Thiết bị {role}: ")
    device = requests.Session()
    landed = device.get(address.group(1), timeout=10)
    assert landed.status_code == 200 and landed.url == server.url + page
    assert device.get(server.url + endpoint, timeout=10).status_code == 200
    # the pairing code is not a token: as a Bearer it opens nothing, and it paired its one browser
    assert requests.get(server.url + "/api/delegates", headers=bearer(address.group(2)), timeout=10).status_code == 401
    assert requests.get(address.group(1), timeout=10, allow_redirects=False).status_code == 410


def test_token_bearer_prints_a_programs_token_alone_and_makes_no_pairing_address(server):
    made = run_cli(server, "token", "door", "--bearer", "--label", "Máy quét", "--host", "127.0.0.1")
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert re.fullmatch(r"[\w-]{40,}", token) and "/pair/" not in made.stdout
    assert requests.get(server.url + "/api/delegates", headers=bearer(token), timeout=10).status_code == 200
    assert requests.get(f"{server.url}/pair/{token}", timeout=10, allow_redirects=False).status_code == 404


def test_token_for_an_unknown_role_is_a_usage_error(server):
    refused = run_cli(server, "token", "janitor")
    assert refused.returncode == 2 and "janitor" in refused.stderr


def test_help_lists_every_command(server):
    shown = run_cli(server, "--help")
    assert shown.returncode == 0
    for command in ("serve", "token", "import-delegates", "badges", "devices", "revoke"):
        assert re.search(rf"^\s+{command}\s", shown.stdout, re.MULTILINE), command


def attendance(server) -> int:
    return requests.get(server.url + "/api/state", timeout=10).json()["attendance"]["expected"]


def test_import_delegates_adds_every_row_and_exits_0_and_open_screens_see_it(server, tmp_path):
    import socketio
    sheet = tmp_path / "dai-bieu.csv"
    sheet.write_text("Họ và tên,Chức vụ,Đơn vị,Thành phần\n"
                     "Phan Văn Mới,Tổ trưởng,Tổ dân phố 12,Tổ dân phố\n"
                     "Đỗ Thị Hạnh,,Tổ dân phố 13,Tổ dân phố\n", encoding="utf-8")
    before = attendance(server)
    seen: list[int] = []
    screen = socketio.Client(reconnection=False)
    screen.on("state", lambda snapshot: seen.append(snapshot["attendance"]["expected"]))
    screen.connect(server.url, transports=["websocket"], wait_timeout=10)
    try:
        done = run_cli(server, "import-delegates", str(sheet))
        assert done.returncode == 0 and "Đã nhập 2 đại biểu" in done.stdout
        assert attendance(server) == before + 2
        # The CLI is another process and publishes nothing; the server's watch of its own
        # screens sends the new state within its interval (2 s).
        deadline = time.monotonic() + 8
        while before + 2 not in seen and time.monotonic() < deadline:
            time.sleep(0.05)
        assert seen[0] == before and seen[-1] == before + 2
    finally:
        screen.disconnect()


def test_import_delegates_with_a_bad_row_names_it_imports_nothing_and_exits_1(server, tmp_path):
    sheet = tmp_path / "dai-bieu.csv"
    sheet.write_text("Full name,Unit,Group\n"
                     "Phan Văn Mới,Tổ dân phố 12,Tổ dân phố\n"
                     ",Tổ dân phố 13,Tổ dân phố\n"
                     "Lý Thị Năm,Tổ dân phố 14,Ban nhạc\n", encoding="utf-8")
    before = attendance(server)
    failed = run_cli(server, "import-delegates", str(sheet))
    assert failed.returncode == 1
    assert "dòng 3: Cần nhập “Họ và tên”" in failed.stderr and "dòng 4:" in failed.stderr and "Ban nhạc" in failed.stderr
    assert attendance(server) == before


@pytest.mark.parametrize("name, content, code", [
    ("list.txt", b"Full name\nA\n", 1),
    ("broken.xlsx", b"PK\x03\x04 not really a workbook", 1),
    ("legacy-encoding.csv", "Full name\nĐặng\n".encode("utf-16"), 1),
    ("missing.csv", None, 2),
])
def test_import_delegates_refuses_an_unreadable_file_with_a_nonzero_exit(server, tmp_path, name, content, code):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    before = attendance(server)
    failed = run_cli(server, "import-delegates", str(path))
    assert failed.returncode == code and failed.stderr.strip()
    assert "Traceback" not in failed.stderr
    assert attendance(server) == before


@pytest.mark.slow
def test_the_wsgi_entry_point_serves_the_app_with_the_collector_tuned(tmp_path):
    probe = ("import gc, conference.wsgi as w; "
             "print(type(w.app).__name__, gc.get_threshold(), gc.get_freeze_count() > 0)")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "CONFERENCE_INSTANCE": str(tmp_path / "instance")})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[-2] == "Flask (20000, 20, 20) True"
