"""The command line: python3 -m conference COMMAND, or conference-day COMMAND once installed
(serve is the default). Vietnamese, or English with CONFERENCE_LANG=en (conference/cli_i18n.py)."""
from __future__ import annotations

import logging
import os
import socket
import sys
from pathlib import Path

import click
from flask import Flask

from .cli_i18n import N_, Group, Refused, _
from .errors import ConferenceError
from .serving import tune_garbage_collector


def init_app(app: Flask) -> None:
    app.extensions["conference_cli"] = cli


def lan_address() -> str:
    """This machine's address on the local network, for the addresses tablets will open: the
    address of the interface a packet to another network would leave by (a UDP socket is only
    connected, nothing is sent), else what the host name resolves to."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.254.254.254", 9))
            address = probe.getsockname()[0]
        if not address.startswith(("127.", "0.")):
            return address
    except OSError:
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            address = info[4][0]
            if not address.startswith("127."):
                return address
    except OSError:
        pass
    return "127.0.0.1"


def _conference_id(chosen: int | None = None) -> int:
    """CHOSEN if it is a conference of this install, else the active one."""
    from .services.state import default_conference_id
    if chosen is not None:
        from .services.lifecycle import existing
        try:
            return existing(chosen)
        except ConferenceError as error:
            raise Refused(error.message) from None
    found = default_conference_id()
    if found is None:
        raise Refused(_("Chưa có hội nghị nào trong cơ sở dữ liệu."))
    return found


def _app():
    from . import create_app
    return create_app()


def program() -> str:
    """How this program was started, so the commands it prints can be pasted as they are."""
    if Path(sys.argv[0]).stem == "conference-day":
        return "conference-day"
    python = Path(sys.executable)
    try:
        python = python.relative_to(Path.cwd())  # .venv/bin/python, as the README runs it
    except ValueError:
        python = Path(python.name)
    return f"{python} -m conference"


@click.group(cls=Group, invoke_without_command=True, context_settings={"max_content_width": 100},
             help=N_("Conference day: điểm danh, điều hành chương trình và khen thưởng cho một hội nghị."))
@click.pass_context
def cli(ctx: click.Context) -> None:
    if ctx.invoked_subcommand is None:  # parsed as `serve` alone, so HOST and PORT still apply
        with serve.make_context("serve", [], parent=ctx) as serving:
            serve.invoke(serving)


@cli.command(help=N_("Chạy máy chủ (lệnh mặc định)."))
@click.option("--host", default="0.0.0.0", envvar="HOST",
              help=N_("Địa chỉ nghe (biến môi trường HOST; mặc định 0.0.0.0: mọi mạng của máy)."))
@click.option("--port", default=5000, type=int, envvar="PORT",
              help=N_("Cổng nghe (biến môi trường PORT; mặc định 5000)."))
@click.option("--https", "use_https", is_flag=True,
              help=N_("Phục vụ bằng chứng chỉ tự ký (camera máy tính bảng trong mạng LAN)."))
def serve(host: str, port: int, use_https: bool) -> None:
    from .extensions import socketio
    app = _app()
    scheme = "https" if use_https else "http"
    ssl_context = None
    if use_https:
        from .tls import self_signed_certificate
        ssl_context = self_signed_certificate(Path(app.config["INSTANCE_PATH"]), lan_address())
    address = lan_address() if host == "0.0.0.0" else host
    _print_welcome(app, f"{scheme}://{address}:{port}", offline=host == "0.0.0.0" and address.startswith("127."))
    # Werkzeug's start-up lines (a red "development server" warning, the addresses again) would
    # contradict the banner: this embedded server is the one meant for a hall (docs/SCALE.md for more).
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    tune_garbage_collector()
    from .services.backups import start_auto_backups
    start_auto_backups(app)  # instance/backups/, every few minutes (SQLite)
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, ssl_context=ssl_context,
                 use_reloader=False, log_output=False)


SCREENS = (("/door", N_("Cửa")), ("/mc", N_("MC")), ("/display", N_("Màn chiếu")), ("/admin", N_("Văn phòng")))


def _password_line(app: Flask) -> str:
    """The admin password, and where it came from."""
    if os.environ.get("CONFERENCE_ADMIN_PASSWORD"):
        line = _("Mật khẩu quản trị (CONFERENCE_ADMIN_PASSWORD): {password}")
    elif app.config.get("ADMIN_PASSWORD_GENERATED"):
        line = _("Mật khẩu quản trị (mới tạo): {password}")
    else:
        line = _("Mật khẩu quản trị (đã lưu trong {file}): {password}")
    return line.format(password=app.config["ADMIN_PASSWORD"],
                       file=Path(app.config["INSTANCE_PATH"]) / "admin_password")


def _print_welcome(app: Flask, base: str, offline: bool) -> None:
    import qrcode
    click.echo("\n" + _("Conference day đang chạy tại {address}").format(address=base) + "\n")
    click.echo("  " + _("Máy tính bảng, điện thoại và máy chiếu trong hội trường mở các địa chỉ này:"))
    for path, what in SCREENS:
        click.echo(f"    {_(what):<12} {base}{path}")
    if offline:
        click.echo("  " + _("Máy này chưa vào mạng nào: nối Wi-Fi hoặc cáp mạng của hội trường rồi chạy lại."))
    click.echo("\n  " + _password_line(app))
    click.echo("  " + _("Dữ liệu: {folder}").format(folder=app.config["INSTANCE_PATH"]))
    click.echo("  " + _("Ghép thiết bị: {command}").format(command=f"{program()} token door --label '{_('Cửa 1')}'"))
    click.echo("  " + _("Máy chủ tích hợp này là máy chủ dành cho một hội trường. Dừng: Ctrl+C.") + "\n")
    qr = qrcode.QRCode(border=1)
    qr.add_data(f"{base}/door")
    qr.print_ascii(out=sys.stdout, invert=True)


@cli.command(help=N_("Tạo mã thiết bị cho ROLE và in địa chỉ ghép thiết bị."))
@click.argument("role", type=click.Choice(["admin", "mc", "door", "display"]))
@click.option("--label", default=None, help=N_("Tên thiết bị, ví dụ 'Cửa 1'."))
@click.option("--host", default=None, help=N_("Máy trong địa chỉ in ra (mặc định: địa chỉ LAN của máy này)."))
@click.option("--port", default=5000, type=int, envvar="PORT",
              help=N_("Cổng trong địa chỉ in ra (biến môi trường PORT; mặc định 5000)."))
@click.option("--https", "use_https", is_flag=True, help=N_("In địa chỉ https://."))
def token(role: str, label: str | None, host: str | None, port: int, use_https: bool) -> None:
    from .services.devices import create_device, parse_role
    with _app().app_context():
        device, secret = create_device(_conference_id(), parse_role(role), label)
        scheme = "https" if use_https else "http"
        click.echo(f"{device.label}: {scheme}://{host or lan_address()}:{port}/pair/{secret}")


@cli.command("devices", help=N_("Liệt kê thiết bị đã ghép: số, vai trò, tên, đã thu hồi hay chưa."))
def devices_command() -> None:
    from .services.devices import list_devices
    with _app().app_context():
        for device in list_devices(_conference_id()):
            # a tab-separated list for scripts (docs/API.md §2): the same words in every language
            state = f"revoked {device.revoked_at:%Y-%m-%d %H:%M}" if device.revoked_at else "active"
            click.echo(f"{device.id}\t{device.role.value}\t{device.label}\t{state}")


@cli.command(help=N_("Thu hồi thiết bị số ID (xem lệnh devices): mã của nó hết hiệu lực ngay."))
@click.argument("device_id", metavar="ID", type=int)
def revoke(device_id: int) -> None:
    from .services.devices import revoke_device
    with _app().app_context():
        try:
            device = revoke_device(_conference_id(), device_id)
        except ConferenceError as error:
            raise Refused(error.message) from None
        click.echo(_("Đã thu hồi: {device}").format(device=f"{device.id} {device.role.value} {device.label}"))


@cli.command("import-delegates", help=N_("Nhập đại biểu từ FILE (.xlsx hoặc .csv): tất cả các dòng hoặc không dòng nào."))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_delegates_command(file: Path) -> None:
    from .services.importer import ImportFailed, import_delegates
    with _app().app_context():
        try:
            added = import_delegates(_conference_id(), file.name, file.read_bytes())
        except ImportFailed as failure:
            click.echo(_("Không nhập được: {count} dòng lỗi, không có đại biểu nào được thêm.").format(
                count=len(failure.errors)), err=True)
            for error in failure.errors:
                click.echo("  " + _("dòng {row}: {message}").format(row=error.row, message=_(error.message)), err=True)
            sys.exit(1)
        except ConferenceError as error:
            click.echo(_("Không nhập được: {message}").format(message=_(error.message)), err=True)
            sys.exit(1)
        click.echo(_("Đã nhập {count} đại biểu.").format(count=added))


@cli.command(help=N_("Ghi OUT/badges.pdf (các tờ A4) và một OUT/<mã>.png cho mỗi đại biểu."))
@click.option("--out", "out_dir", default="badges", type=click.Path(file_okay=False, path_type=Path),
              help=N_("Thư mục ghi thẻ (mặc định: badges)."))
@click.option("--no-png", is_flag=True, help=N_("Chỉ các tờ PDF."))
def badges(out_dir: Path, no_png: bool) -> None:
    from .services.badges import badge_texts, generate_badges
    with _app().app_context():
        conference_id = _conference_id()
        total = len(badge_texts(conference_id)) * (1 if no_png else 2)
        with click.progressbar(length=total, label=_("Thẻ đại biểu"), file=sys.stderr) as bar:
            count = generate_badges(conference_id, out_dir, bar.update, pngs=not no_png)
        click.echo(_("Đã tạo {count} thẻ trong {folder}").format(count=count, folder=f"{out_dir}/"))



@cli.command("export-attendance", help=N_(
    "Ghi FILE (.xlsx hoặc .csv): mọi đại biểu, đoàn, có mặt hay vắng, giờ điểm danh và cửa."))
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--conference", "chosen", type=int, default=None,
              help=N_("Số của hội nghị (mặc định: hội nghị đang hoạt động)."))
def export_attendance_command(file: Path, chosen: int | None) -> None:
    from .services.reports import write_attendance
    with _app().app_context():
        try:
            count = write_attendance(_conference_id(chosen), file)
        except ConferenceError as error:
            raise Refused(error.message) from None
        except OSError as error:
            raise Refused(_("Không ghi được {file}: {reason}").format(
                file=file, reason=error.strerror or error)) from None
        click.echo(_("Đã xuất danh sách điểm danh {count} đại biểu: {file}").format(count=count, file=file))


@cli.command("export-minutes", help=N_("Ghi FILE (.docx): biên bản hội nghị đúng như đã diễn ra."))
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--conference", "chosen", type=int, default=None,
              help=N_("Số của hội nghị (mặc định: hội nghị đang hoạt động)."))
def export_minutes_command(file: Path, chosen: int | None) -> None:
    from .services.reports import write_minutes
    with _app().app_context():
        try:
            write_minutes(_conference_id(chosen), file)
        except ConferenceError as error:
            raise Refused(error.message) from None
        except OSError as error:
            raise Refused(_("Không ghi được {file}: {reason}").format(
                file=file, reason=error.strerror or error)) from None
        click.echo(_("Đã xuất biên bản: {file}").format(file=file))


from .cli_lifecycle import register  # noqa: E402 - its commands join this group

register(cli)


def main() -> None:
    cli(prog_name=program())
