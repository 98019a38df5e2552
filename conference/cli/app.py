"""What every command shares: the app it runs in, the conference it works on, and the way an
export refuses. Apart from commands.py so that the command modules (commands.py, lifecycle.py) import it
rather than each other."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import click

from conference.core.errors import ConferenceError
from .language import N_, Refused, _


def conference_option(command):
    """`--conference ID` on a command that reads or writes one conference's data: its value reaches
    the command as CHOSEN, which gives it to chosen_conference() inside the app (default: the active
    conference; an ID that is not one of this install's conferences is refused, exit 1, nothing done)."""
    return click.option("--conference", "chosen", type=int, default=None, metavar="ID",
                        help=N_("Số của hội nghị (mặc định: hội nghị đang hoạt động)."))(command)


def chosen_conference(chosen: int | None = None) -> int:
    """CHOSEN (a command's --conference, conference_option) if it is a conference of this install,
    else refused; without it, the active one."""
    from conference.core.state import default_conference_id
    if chosen is not None:
        from conference.office.lifecycle import existing
        try:
            return existing(chosen)
        except ConferenceError as error:
            raise Refused.of(error) from None
    found = default_conference_id()
    if found is None:
        raise Refused(_("Chưa có hội nghị nào trong cơ sở dữ liệu."))
    return found


def command_app(announce: bool = True):
    """The app; if this start made the first administrator, its password is printed here, once
    (serve prints it in its banner instead)."""
    from conference.factory import create_app
    app = create_app()
    if announce:
        announce_first_admin(app)
    return app


def announce_first_admin(app) -> None:
    """Print the first administrator's password if this start made it (once: it is then forgotten)."""
    if app.extensions.get("first_admin_password"):
        click.echo(_("Đã tạo tài khoản quản trị đầu tiên: admin, mật khẩu (chỉ hiện một lần): {password}").format(
            password=app.extensions.pop("first_admin_password")), err=True)


@contextmanager
def writing(file: Path) -> Iterator[None]:
    """Inside an app context: a refused export or a file that cannot be written is one line and exit 1."""
    with command_app().app_context():
        try:
            yield
        except ConferenceError as error:
            raise Refused.of(error) from None
        except OSError as error:
            raise Refused(_("Không ghi được {file}: {reason}").format(
                file=file, reason=error.strerror or error)) from None
