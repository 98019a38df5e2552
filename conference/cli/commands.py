"""The command line: python3 -m conference COMMAND, or conference-day COMMAND once installed
(serve is the default). Vietnamese, or English with CONFERENCE_LANG=en (conference/cli/language.py)."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask

from conference.core.errors import ConferenceError
from conference.web.network import lan_address
from conference.web.serving import raise_open_file_limit, serve_embedded, tune_garbage_collector
from .app import chosen_conference, command_app, conference_option, writing
from .language import N_, Group, Refused, _
from .lifecycle import register as register_lifecycle
from .stage import register as register_stage


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
    app = command_app(announce=False)
    scheme = "https" if use_https else "http"
    certificate = None
    if use_https:
        from conference.web.tls import self_signed_certificate
        certificate = self_signed_certificate(Path(app.config["INSTANCE_PATH"]), lan_address())
    address = lan_address() if host == "0.0.0.0" else host
    _print_welcome(app, f"{scheme}://{address}:{port}", offline=host == "0.0.0.0" and address.startswith("127."))
    tune_garbage_collector()
    raise_open_file_limit()
    from conference.office.backups import start_auto_backups
    start_auto_backups(app)  # instance/backups/, every few minutes (SQLite)
    serve_embedded(app, host, port, certificate)


SCREENS = (("/door", N_("Cửa")), ("/mc", N_("MC")), ("/display", N_("Màn chiếu")), ("/admin", N_("Văn phòng")))


def _sign_in_line(app: Flask) -> str:
    """The first start shows the new administrator's password, this once; later starts never do."""
    first = app.extensions.pop("first_admin_password", None)
    if first:
        return _("Quản trị: admin, mật khẩu (chỉ hiện một lần): {password}").format(password=first)
    return _("Văn phòng đăng nhập bằng tài khoản riêng: {command}").format(command=f"{program()} users")


def _print_welcome(app: Flask, base: str, offline: bool) -> None:
    import qrcode
    click.echo("\n" + _("Conference day đang chạy tại {address}").format(address=base) + "\n")
    click.echo("  " + _("Máy tính bảng, điện thoại và máy chiếu trong hội trường mở các địa chỉ này:"))
    for path, what in SCREENS:
        click.echo(f"    {_(what):<12} {base}{path}")
    if offline:
        click.echo("  " + _("Máy này chưa vào mạng nào: nối Wi-Fi hoặc cáp mạng của hội trường rồi chạy lại."))
    click.echo("\n  " + _sign_in_line(app))
    click.echo("  " + _("Dữ liệu: {folder}").format(folder=app.config["INSTANCE_PATH"]))
    door = _("Cửa 1")
    click.echo("  " + _("Ghép thiết bị: {command}").format(command=f"{program()} token door --label '{door}'"))
    click.echo("  " + _("Máy chủ tích hợp này là máy chủ dành cho một hội trường. Dừng: Ctrl+C.") + "\n")
    qr = qrcode.QRCode(border=1)
    qr.add_data(f"{base}/door")
    qr.print_ascii(out=sys.stdout, invert=True)


@cli.command(help=N_("Tạo thiết bị cho ROLE và in địa chỉ ghép của nó (ghép một máy, một lần); button: các "
                     "địa chỉ bấm nút; --bearer: chỉ in mã cho chương trình."))
@click.argument("role", type=click.Choice(["admin", "mc", "door", "display", "button"]))
@click.option("--label", default=None, help=N_("Tên thiết bị, ví dụ 'Cửa 1'."))
@click.option("--host", default=None, help=N_("Máy trong địa chỉ in ra (mặc định: địa chỉ LAN của máy này)."))
@click.option("--port", default=5000, type=int, envvar="PORT",
              help=N_("Cổng trong địa chỉ in ra (biến môi trường PORT; mặc định 5000)."))
@click.option("--https", "use_https", is_flag=True, help=N_("In địa chỉ https://."))
@click.option("--bearer", is_flag=True,
              help=N_("Thiết bị cho một chương trình: chỉ in mã Bearer của nó, không tạo địa chỉ ghép."))
def token(role: str, label: str | None, host: str | None, port: int, use_https: bool, bearer: bool) -> None:
    from conference.show.press import press_addresses
    from conference.accounts.devices import create_device, parse_role
    with command_app().app_context():
        device, secret, pairing = create_device(chosen_conference(), parse_role(role), label, pairing=not bearer)
        base = f"{'https' if use_https else 'http'}://{host or lan_address()}:{port}"
        if bearer:  # alone on its line, for $(…) in a script
            click.echo(secret)
            return
        if role != "button":
            click.echo(f"{device.label}: {base}/pair/{pairing}")
            return
        first, *others = press_addresses(base, secret)  # a button box pairs no page: it presses
        click.echo(f"{device.label}: {first}")
        for address in others:
            click.echo(f"  {address}")


@cli.command("devices", help=N_("Liệt kê thiết bị đã ghép: số, vai trò, tên, đã thu hồi hay chưa."))
def devices_command() -> None:
    from conference.accounts.devices import list_devices
    with command_app().app_context():
        for device in list_devices(chosen_conference()):
            # a tab-separated list for scripts (docs/API.md §2): the same words in every language
            state = f"revoked {device.revoked_at:%Y-%m-%d %H:%M}" if device.revoked_at else "active"
            click.echo(f"{device.id}\t{device.role.value}\t{device.label}\t{state}")


@cli.command(help=N_("Thu hồi thiết bị số ID (xem lệnh devices): mã của nó hết hiệu lực ngay."))
@click.argument("device_id", metavar="ID", type=int)
def revoke(device_id: int) -> None:
    from conference.accounts.devices import revoke_device
    with command_app().app_context():
        try:
            device = revoke_device(chosen_conference(), device_id)
        except ConferenceError as error:
            raise Refused.of(error) from None
        click.echo(_("Đã thu hồi: {device}").format(device=f"{device.id} {device.role.value} {device.label}"))


@cli.command("import-delegates", help=N_("Nhập đại biểu từ FILE (.xlsx hoặc .csv): tất cả các dòng hoặc không dòng nào."))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@conference_option
def import_delegates_command(file: Path, chosen: int | None) -> None:
    from conference.checkin.importer import ImportFailed, import_delegates
    with command_app().app_context():
        try:
            added = import_delegates(chosen_conference(chosen), file.name, file.read_bytes())
        except ImportFailed as failure:
            click.echo(_("Không nhập được: {count} dòng lỗi, không có đại biểu nào được thêm.").format(
                count=len(failure.errors)), err=True)
            for error in failure.errors:
                click.echo("  " + _("dòng {row}: {message}").format(row=error.row, message=error.text(_)), err=True)
            sys.exit(1)
        except ConferenceError as error:
            click.echo(_("Không nhập được: {message}").format(message=error.text(_)), err=True)
            sys.exit(1)
        click.echo(_("Đã nhập {count} đại biểu.").format(count=added))


@cli.command(help=N_("Ghi OUT/badges.pdf (các tờ A4) và một OUT/<mã>.png cho mỗi đại biểu."))
@click.option("--out", "out_dir", default="badges", type=click.Path(file_okay=False, path_type=Path),
              help=N_("Thư mục ghi thẻ (mặc định: badges)."))
@click.option("--no-png", is_flag=True, help=N_("Chỉ các tờ PDF."))
@conference_option
def badges(out_dir: Path, no_png: bool, chosen: int | None) -> None:
    from conference.papers.badges import badge_texts, generate_badges
    with command_app().app_context():
        conference = chosen_conference(chosen)
        total = len(badge_texts(conference)) * (1 if no_png else 2)
        with click.progressbar(length=total, label=_("Thẻ đại biểu"), file=sys.stderr) as bar:
            count = generate_badges(conference, out_dir, bar.update, pngs=not no_png)
        click.echo(_("Đã tạo {count} thẻ trong {folder}").format(count=count, folder=f"{out_dir}/"))



@cli.command("export-attendance", help=N_(
    "Ghi FILE (.xlsx hoặc .csv): mọi đại biểu, đoàn, có mặt hay vắng, giờ điểm danh và cửa."))
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@conference_option
def export_attendance_command(file: Path, chosen: int | None) -> None:
    from conference.papers.attendance import write_attendance
    with writing(file):
        count = write_attendance(chosen_conference(chosen), file)
    click.echo(_("Đã xuất danh sách điểm danh {count} đại biểu: {file}").format(count=count, file=file))


@cli.command("export-minutes", help=N_("Ghi FILE (.docx): biên bản hội nghị đúng như đã diễn ra."))
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@conference_option
def export_minutes_command(file: Path, chosen: int | None) -> None:
    from conference.papers.minutes import write_minutes
    with writing(file):
        write_minutes(chosen_conference(chosen), file)
    click.echo(_("Đã xuất biên bản: {file}").format(file=file))


@cli.command("credentials-report", help=N_("Ghi FILE (.docx): báo cáo thẩm tra tư cách đại biểu."))
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@conference_option
def credentials_report_command(file: Path, chosen: int | None) -> None:
    from conference.papers.credentials import write_credentials
    with writing(file):
        write_credentials(chosen_conference(chosen), file)
    click.echo(_("Đã xuất báo cáo thẩm tra tư cách đại biểu: {file}").format(file=file))


@cli.command("conclusion-notice", help=N_("Ghi FILE (.docx): thông báo kết luận điền sẵn từ hội nghị, để văn phòng "
                                           "hoàn thiện và trình ký."))
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@conference_option
def conclusion_notice_command(file: Path, chosen: int | None) -> None:
    from conference.papers.conclusion import write_conclusion
    with writing(file):
        write_conclusion(chosen_conference(chosen), file)
    click.echo(_("Đã xuất thông báo kết luận: {file}").format(file=file))


@cli.command("counting-record", help=N_("Ghi FILE (.docx): biên bản kiểm phiếu của cuộc bầu cử số ID (đã kết thúc)."))
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--vote", "vote_id", type=int, required=True, metavar="ID", help=N_("Số của cuộc bầu cử."))
@conference_option
def counting_record_command(file: Path, vote_id: int, chosen: int | None) -> None:
    from conference.papers.counting import write_counting
    with writing(file):
        write_counting(chosen_conference(chosen), vote_id, file)
    click.echo(_("Đã xuất biên bản kiểm phiếu: {file}").format(file=file))


@cli.command("export-script", help=N_("Ghi FILE (.docx): kịch bản chương trình, giờ dự kiến, lời dẫn."))
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@conference_option
def export_script_command(file: Path, chosen: int | None) -> None:
    from conference.papers.script import write_script
    with writing(file):
        write_script(chosen_conference(chosen), file)
    click.echo(_("Đã xuất kịch bản chương trình: {file}").format(file=file))


@cli.command("invitations", help=N_("Ghi FILE (.pdf): giấy mời cho từng đại biểu, có mã QR của thẻ."))
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--group", "group_id", type=int, default=None, help=N_("Chỉ đại biểu của thành phần này (số)."))
@click.option("--delegate", "delegate_id", type=int, default=None, help=N_("Chỉ đại biểu này (số)."))
@conference_option
def invitations_command(file: Path, group_id: int | None, delegate_id: int | None, chosen: int | None) -> None:
    from conference.papers.invitations import write_invitations
    with writing(file):
        count = write_invitations(chosen_conference(chosen), file, group_id, delegate_id)
    click.echo(_("Đã xuất giấy mời cho {count} đại biểu: {file}").format(count=count, file=file))


@cli.command("assign-seats", help=N_("Xếp ghế tự động cho mọi đại biểu chưa có ghế, theo thứ tự nghi thức "
                                     "(người đã có ghế giữ nguyên)."))
@conference_option
def assign_seats_command(chosen: int | None) -> None:
    from conference.seating.assign import assign_automatically
    with command_app().app_context():
        try:
            count = assign_automatically(chosen_conference(chosen))
        except ConferenceError as error:
            raise Refused.of(error) from None
    click.echo(_("Đã xếp ghế cho {count} đại biểu.").format(count=count))


@cli.command("seating-chart",
             help=N_("Ghi sơ đồ chỗ ngồi (PDF) cho người đón tiếp ở cửa: mọi ghế, ai ngồi, ghế trống."))
@click.option("--out", "file", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help=N_("Tệp PDF ghi ra."))
@click.option("--size", type=click.Choice(["A3", "A4"]), default="A3", help=N_("Khổ giấy (mặc định A3)."))
@conference_option
def seating_chart_command(file: Path, size: str, chosen: int | None) -> None:
    from conference.papers.seating_chart import seating_chart_pdf
    with writing(file):
        file.write_bytes(seating_chart_pdf(chosen_conference(chosen), size))
    click.echo(_("Đã xuất sơ đồ chỗ ngồi: {file}").format(file=file))


@cli.command("name-cards", help=N_("Ghi biển tên để bàn (PDF, A4 gấp đôi): Đoàn chủ tịch, thư ký, khách mời; "
                                   "--all: mọi đại biểu."))
@click.option("--out", "file", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help=N_("Tệp PDF ghi ra."))
@click.option("--all", "everyone", is_flag=True, help=N_("Biển tên cho mọi đại biểu."))
@click.option("--delegate", "delegate_ids", type=int, multiple=True, help=N_("Thêm đại biểu này (số); lặp lại được."))
@conference_option
def name_cards_command(file: Path, everyone: bool, delegate_ids: tuple[int, ...], chosen: int | None) -> None:
    from conference.papers.name_cards import name_cards_pdf
    with writing(file):
        file.write_bytes(name_cards_pdf(chosen_conference(chosen), list(delegate_ids), everyone))
    click.echo(_("Đã xuất biển tên để bàn: {file}").format(file=file))


@cli.command("add-document", help=N_("Thêm FILE (.pdf) vào tài liệu hội nghị, đại biểu đọc trên trang của mình (/me)."))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--title", required=True, help=N_("Tên tài liệu."))
@click.option("--item", "item", type=int, default=None, help=N_("Gắn với mục N của chương trình."))
@click.option("--visibility", type=click.Choice(["visible", "held", "internal"]), default="visible",
              help=N_("visible: hiện ngay; held: giữ đến khi mục bắt đầu; internal: chỉ văn phòng."))
@conference_option
def add_document_command(file: Path, title: str, item: int | None, visibility: str, chosen: int | None) -> None:
    from conference.me.documents import add_document, read_bounded
    with command_app().app_context():
        conference = chosen_conference(chosen)
        try:
            with file.open("rb") as stream:  # bounded before it is read whole, as an upload is
                content = read_bounded(stream, file.stat().st_size)
            document = add_document(conference, title, content, item, visibility)
        except ConferenceError as error:
            raise Refused.of(error) from None
        click.echo(_("Đã thêm tài liệu số {id}: {title} ({pages} trang).").format(
            id=document.id, title=document.title, pages=document.pages))


@cli.group(cls=click.Group, help=N_("Tài khoản văn phòng: list, add, passwd, remove."))
def users() -> None:
    pass


@users.command("list", help=N_("Mọi tài khoản: tên đăng nhập, vai trò, họ tên."))
def users_list() -> None:
    from conference.accounts.users import list_users
    with command_app().app_context():
        for user in list_users():  # tab-separated for scripts, as `devices`
            click.echo(f"{user.login}\t{user.role.value}\t{user.name}")


def _new_password(ask: bool) -> str | None:
    """A typed password (asked twice), or None: the service then makes one."""
    return click.prompt(_("Mật khẩu"), hide_input=True, confirmation_prompt=True) if ask else None


def _shown_once(password: str, ask: bool) -> None:
    if not ask:
        click.echo(_("Mật khẩu (chỉ hiện một lần): {password}").format(password=password))


@users.command("add", help=N_("Tạo tài khoản LOGIN; mật khẩu (tự tạo, trừ khi có --password) chỉ in một lần."))
@click.argument("login")
@click.option("--role", required=True, help=N_("administrator, staff hoặc secretary."))
@click.option("--name", default=None, help=N_("Họ tên hiển thị (mặc định: tên đăng nhập)."))
@click.option("--password", "ask", is_flag=True, help=N_("Gõ mật khẩu thay vì để máy tạo."))
def users_add(login: str, role: str, name: str | None, ask: bool) -> None:
    from conference.accounts.users import create_user
    with command_app().app_context():
        try:
            user, password = create_user(login, role, name, _new_password(ask))
        except ConferenceError as error:
            raise Refused.of(error) from None
        click.echo(_("Đã tạo: {login} ({role})").format(login=user.login, role=user.role.value))
        _shown_once(password, ask)


@users.command("passwd", help=N_("Đặt lại mật khẩu của LOGIN; mọi phiên của tài khoản kết thúc."))
@click.argument("login")
@click.option("--password", "ask", is_flag=True, help=N_("Gõ mật khẩu thay vì để máy tạo."))
def users_passwd(login: str, ask: bool) -> None:
    from conference.accounts.users import find_user, set_password
    with command_app().app_context():
        try:
            user, password = set_password(find_user(login).id, _new_password(ask))
        except ConferenceError as error:
            raise Refused.of(error) from None
        click.echo(_("Đã đặt lại mật khẩu: {login}").format(login=user.login))
        _shown_once(password, ask)


@users.command("remove", help=N_("Xoá tài khoản LOGIN; nó bị đăng xuất ở mọi nơi."))
@click.argument("login")
def users_remove(login: str) -> None:
    from conference.accounts.users import find_user, remove_user
    with command_app().app_context():
        try:
            user = remove_user(find_user(login).id)
        except ConferenceError as error:
            raise Refused.of(error) from None
        click.echo(_("Đã xoá: {login}").format(login=user.login))


register_lifecycle(cli)  # conferences, new-conference, activate, reset-day, backup, restore
register_stage(cli)  # add-cue, add-slides


def main() -> None:
    cli(prog_name=program())
