"""The command line: python3 -m conference COMMAND (serve is the default)."""
from __future__ import annotations

import socket
import sys
from pathlib import Path

import click
from flask import Flask

from .errors import ConferenceError
from .serving import tune_garbage_collector


def init_app(app: Flask) -> None:
    app.extensions["conference_cli"] = cli


def lan_address() -> str:
    """This machine's address on the local network, for the addresses tablets will open."""
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            address = info[4][0]
            if not address.startswith("127."):
                return address
    except OSError:
        pass
    return "127.0.0.1"


def _conference_id() -> int:
    from .services.state import default_conference_id
    found = default_conference_id()
    if found is None:
        raise click.ClickException("Chưa có hội nghị nào trong cơ sở dữ liệu.")
    return found


def _app(announce: bool = True):
    """The app; if this start made the first administrator, its password is printed here, once
    (serve prints it in its banner instead)."""
    from . import create_app
    app = create_app()
    if announce and app.extensions.get("first_admin_password"):
        click.echo(f"Đã tạo tài khoản quản trị / first administrator: admin  "
                   f"{app.extensions.pop('first_admin_password')}", err=True)
    return app


@click.group(invoke_without_command=True)
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Conference day: check-in, run-of-show and awards for a formal conference."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(serve)


@cli.command()
@click.option("--host", default="0.0.0.0", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option("--https", "use_https", is_flag=True, help="Serve with a self-signed certificate (tablet cameras on a LAN).")
def serve(host: str, port: int, use_https: bool) -> None:
    """Run the server (the default command)."""
    from .extensions import socketio
    app = _app(announce=False)
    scheme = "https" if use_https else "http"
    ssl_context = None
    if use_https:
        from .tls import self_signed_certificate
        ssl_context = self_signed_certificate(Path(app.config["INSTANCE_PATH"]), lan_address())
    _print_welcome(app, f"{scheme}://{lan_address() if host == '0.0.0.0' else host}:{port}")
    tune_garbage_collector()
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, ssl_context=ssl_context,
                 use_reloader=False, log_output=False)


def _print_welcome(app: Flask, base: str) -> None:
    import qrcode
    click.echo(f"\nConference day đang chạy / is running at {base}\n")
    for path, what in (("/door", "Cửa / Door"), ("/mc", "MC"), ("/display", "Màn chiếu / Projector"),
                       ("/admin", "Văn phòng / Office")):
        click.echo(f"  {what:<24} {base}{path}")
    click.echo(f"\n  {_sign_in_line(app)}")
    click.echo("  Ghép thiết bị / pair a device: python3 -m conference token door --label 'Cửa 1'\n")
    qr = qrcode.QRCode(border=1)
    qr.add_data(f"{base}/door")
    qr.print_ascii(out=sys.stdout, invert=True)


def _sign_in_line(app: Flask) -> str:
    """The first start shows the new administrator's password, this once; later starts never do."""
    first = app.extensions.pop("first_admin_password", None)
    if first:
        return f"Quản trị / administrator: admin — mật khẩu / password (chỉ hiện một lần / shown once): {first}"
    return "Đăng nhập văn phòng / office sign-in: tài khoản riêng / your own account (python3 -m conference users)"


@cli.command()
@click.argument("role", type=click.Choice(["admin", "mc", "door", "display"]))
@click.option("--label", default=None, help="A name for the device, e.g. 'Cửa 1'.")
@click.option("--host", default=None, help="Host in the printed address (default: this machine's LAN address).")
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--https", "use_https", is_flag=True, help="Print an https:// address.")
def token(role: str, label: str | None, host: str | None, port: int, use_https: bool) -> None:
    """Make a device token for ROLE and print its pairing address."""
    from .services.devices import create_device, parse_role
    with _app().app_context():
        device, secret = create_device(_conference_id(), parse_role(role), label)
        scheme = "https" if use_https else "http"
        click.echo(f"{device.label}: {scheme}://{host or lan_address()}:{port}/pair/{secret}")


@cli.command("devices")
def devices_command() -> None:
    """List the paired devices: id, role, label, and whether revoked."""
    from .services.devices import list_devices
    with _app().app_context():
        for device in list_devices(_conference_id()):
            state = f"revoked {device.revoked_at:%Y-%m-%d %H:%M}" if device.revoked_at else "active"
            click.echo(f"{device.id}\t{device.role.value}\t{device.label}\t{state}")


@cli.command()
@click.argument("device_id", metavar="ID", type=int)
def revoke(device_id: int) -> None:
    """Revoke device ID (see `devices`): its token stops working at once."""
    from .services.devices import revoke_device
    with _app().app_context():
        try:
            device = revoke_device(_conference_id(), device_id)
        except ConferenceError as error:
            raise click.ClickException(error.message) from None
        click.echo(f"Đã thu hồi / revoked: {device.id} {device.role.value} {device.label}")


@cli.command("import-delegates")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_delegates_command(file: Path) -> None:
    """Import delegates from FILE (.xlsx or .csv); all rows or none."""
    from .services.importer import ImportFailed, import_delegates
    with _app().app_context():
        try:
            added = import_delegates(_conference_id(), file.name, file.read_bytes())
        except ImportFailed as failure:
            click.echo(f"Không nhập được: {len(failure.errors)} dòng lỗi, không có đại biểu nào được thêm.", err=True)
            for error in failure.errors:
                click.echo(f"  dòng {error.row}: {error.message}", err=True)
            sys.exit(1)
        except ConferenceError as error:
            click.echo(f"Không nhập được: {error.message}", err=True)
            sys.exit(1)
        click.echo(f"Đã nhập {added} đại biểu.")


@cli.command()
@click.option("--out", "out_dir", default="badges", show_default=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--no-png", is_flag=True, help="Only the PDF sheets.")
def badges(out_dir: Path, no_png: bool) -> None:
    """Write OUT/badges.pdf (A4 sheets) and one OUT/<code>.png per delegate."""
    from .services.badges import badge_texts, generate_badges
    with _app().app_context():
        conference_id = _conference_id()
        total = len(badge_texts(conference_id)) * (1 if no_png else 2)
        with click.progressbar(length=total, label="Thẻ đại biểu", file=sys.stderr) as bar:
            count = generate_badges(conference_id, out_dir, bar.update, pngs=not no_png)
        click.echo(f"Đã tạo {count} thẻ trong {out_dir}/")



@cli.command("export-attendance")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def export_attendance_command(file: Path) -> None:
    """Write FILE (.xlsx or .csv): every delegate, group, present or absent, check-in time and door."""
    from .services.reports import write_attendance
    with _app().app_context():
        try:
            count = write_attendance(_conference_id(), file)
        except ConferenceError as error:
            raise click.ClickException(error.message) from None
        except OSError as error:
            raise click.ClickException(f"Không ghi được {file}: {error.strerror or error}") from None
        click.echo(f"Đã xuất danh sách điểm danh {count} đại biểu: {file}")


@cli.command("export-minutes")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def export_minutes_command(file: Path) -> None:
    """Write FILE (.docx): the biên bản (minutes) of the conference as it happened."""
    from .services.reports import write_minutes
    with _app().app_context():
        try:
            write_minutes(_conference_id(), file)
        except ConferenceError as error:
            raise click.ClickException(error.message) from None
        except OSError as error:
            raise click.ClickException(f"Không ghi được {file}: {error.strerror or error}") from None
        click.echo(f"Đã xuất biên bản: {file}")

@cli.group()
def users() -> None:
    """The office's named accounts: list, add, passwd, remove."""


def _account_error(error: ConferenceError):
    click.echo(f"Lỗi / error: {error.message}", err=True)
    sys.exit(1)


@users.command("list")
def users_list() -> None:
    """Every account: login, role, name."""
    from .services.accounts import list_users
    with _app().app_context():
        for user in list_users():
            click.echo(f"{user.login}\t{user.role.value}\t{user.name}")


@users.command("add")
@click.argument("login")
@click.option("--role", required=True, help="administrator, staff or secretary.")
@click.option("--name", default=None, help="The person's name, as shown (default: the login).")
@click.option("--password", "ask", is_flag=True, help="Type the password instead of generating one.")
def users_add(login: str, role: str, name: str | None, ask: bool) -> None:
    """Make the account LOGIN; its password (generated unless --password) is printed once."""
    from .services.accounts import create_user
    with _app().app_context():
        typed = click.prompt("Mật khẩu / password", hide_input=True, confirmation_prompt=True) if ask else None
        try:
            user, password = create_user(login, role, name, typed)
        except ConferenceError as error:
            _account_error(error)
        click.echo(f"Đã tạo / created: {user.login} ({user.role.value})")
        if not ask:
            click.echo(f"Mật khẩu / password (chỉ hiện một lần / shown once): {password}")


@users.command("passwd")
@click.argument("login")
@click.option("--password", "ask", is_flag=True, help="Type the password instead of generating one.")
def users_passwd(login: str, ask: bool) -> None:
    """Reset LOGIN's password; every session of the account ends."""
    from .services.accounts import find_user, set_password
    with _app().app_context():
        try:
            user = find_user(login)
            typed = click.prompt("Mật khẩu / password", hide_input=True, confirmation_prompt=True) if ask else None
            user, password = set_password(user.id, typed)
        except ConferenceError as error:
            _account_error(error)
        click.echo(f"Đã đặt lại / reset: {user.login}")
        if not ask:
            click.echo(f"Mật khẩu / password (chỉ hiện một lần / shown once): {password}")


@users.command("remove")
@click.argument("login")
def users_remove(login: str) -> None:
    """Remove the account LOGIN; it is signed out everywhere."""
    from .services.accounts import find_user, remove_user
    with _app().app_context():
        try:
            user = remove_user(find_user(login).id)
        except ConferenceError as error:
            _account_error(error)
        click.echo(f"Đã xoá / removed: {user.login}")


def main() -> None:
    cli(prog_name="python3 -m conference")
