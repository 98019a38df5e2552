"""The command line's conference life: list, create, activate, reset the day, back up, restore.
Each refuses what it cannot do with one line and exit 1, changing nothing."""
from __future__ import annotations

from pathlib import Path

import click

from conference.core.errors import ConferenceError
from .app import announce_first_admin, chosen_conference, command_app, conference_option, writing
from .language import N_, Refused, _


def register(cli: click.Group) -> None:
    for command in (conferences, new_conference, activate, reset_day, backup, restore):
        cli.add_command(command)


@click.command(help=N_("Liệt kê các hội nghị: số, ngày, có mặt/triệu tập, tên; * là hội nghị đang hoạt động."))
def conferences() -> None:
    from conference.office.lifecycle import conferences as rows
    with command_app().app_context():
        for row in rows():  # tab-separated for scripts, like `devices`
            day = row.date.isoformat() if row.date else "-"
            click.echo(f"{'*' if row.active else ' '}\t{row.id}\t{day}\t{row.present}/{row.delegates}\t{row.title}")


@click.command("new-conference", help=N_("Tạo hội nghị mới: trống, theo mẫu (--template) hoặc sao chép (--copy-from)."))
@click.option("--title", required=True, help=N_("Tên hội nghị."))
@click.option("--template", default=None, help=N_("Tên mẫu: dien-hinh-tien-tien, tong-ket-nam, can-bo-cong-chuc."))
@click.option("--copy-from", "copy_from", type=int, default=None, help=N_("Số của hội nghị cần sao chép."))
def new_conference(title: str, template: str | None, copy_from: int | None) -> None:
    from conference.office.lifecycle import create_conference
    with command_app().app_context():
        try:
            created = create_conference(title, template=template, copy_from=copy_from)
        except ConferenceError as error:
            raise Refused.of(error) from None
        click.echo(_("Đã tạo hội nghị số {id}.").format(id=created))


@click.command(help=N_("Đưa hội nghị số ID vào hoạt động: cửa, MC và màn chiếu chuyển sang nó."))
@click.argument("conference_id", metavar="ID", type=int)
@click.option("--force", is_flag=True, help=N_("Chuyển cả khi chương trình đang chạy."))
def activate(conference_id: int, force: bool) -> None:
    from conference.office.lifecycle import activate as make_active
    with command_app().app_context():
        try:
            make_active(conference_id, force=force)
        except ConferenceError as error:
            raise Refused.of(error) from None
        click.echo(_("Hội nghị số {id} đang hoạt động.").format(id=conference_id))


@click.command("reset-day", help=N_("Đặt lại ngày của một hội nghị (mặc định: hội nghị đang hoạt động) sau tổng "
                                    "duyệt (sao lưu trước)."))
@click.option("--yes", is_flag=True, help=N_("Xác nhận: xóa điểm danh, lượt quét, giờ, kết quả."))
@click.option("--force", is_flag=True, help=N_("Đặt lại cả khi chương trình đang chạy."))
@conference_option
def reset_day(yes: bool, force: bool, chosen: int | None) -> None:
    from conference.office import backups, lifecycle
    if not yes:
        raise Refused(_("Thêm --yes để xác nhận đặt lại ngày hội nghị."))
    with command_app().app_context():
        before = (lambda: click.echo(_("Đã sao lưu: {file}").format(file=backups.backup_now("before-reset")))
                  if backups.db_is_sqlite() else None)
        try:
            cleared = lifecycle.reset_day(chosen_conference(chosen), force=force, backup=before)
        except ConferenceError as error:
            raise Refused.of(error) from None
        click.echo(_("Đã đặt lại: {checkins} lượt điểm danh, {scans} lượt quét.").format(**cleared))


@click.command(help=N_("Sao lưu cơ sở dữ liệu SQLite vào FILE (an toàn khi đang điểm danh)."))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup(file: Path) -> None:
    from conference.office.backups import backup_to
    with writing(file):  # refused, or a file that cannot be written: one line, exit 1, as the exports
        backup_to(file)
    click.echo(_("Đã sao lưu: {file}").format(file=file))


@click.command(help=N_("Khôi phục cơ sở dữ liệu từ bản sao lưu FILE (tệp được kiểm tra trước, "
                        "trạng thái hiện tại được sao lưu trước)."))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help=N_("Khôi phục cả khi chương trình đang chạy."))
def restore(file: Path, force: bool) -> None:
    """The accounts said afterwards are the restored database's own, with the backup's passwords:
    a first administrator this start may have made on an empty instance is gone with the database
    it was made in, so its password is printed only if the restore is refused."""
    from conference.office import restore as restoring
    app = command_app(announce=False)
    with app.app_context():
        try:
            before = restoring.restore(file, force=force)
        except ConferenceError as error:
            announce_first_admin(app)  # the database it was made in stays: its password works
            raise Refused.of(error) from None
        app.extensions.pop("first_admin_password", None)  # replaced by the backup's accounts
        click.echo(_("Đã khôi phục từ {file}.").format(file=file))
        if before is not None:
            click.echo(_("Trạng thái trước đó đã được sao lưu: {file}").format(file=before))
        accounts = restoring.accounts()
        click.echo(_("Tài khoản của cơ sở dữ liệu đã khôi phục (mật khẩu là mật khẩu lúc sao lưu):"))
        for account in accounts:
            click.echo(f"\t{account.login}\t{account.role.value}")
        if not any(account.role == restoring.AccountRole.ADMINISTRATOR for account in accounts):
            click.echo(_("Không có tài khoản quản trị: lần chạy serve tới sẽ tạo “admin” và in mật khẩu của nó."))
