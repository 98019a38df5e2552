"""The command line's stage: a sound cue attached to an item or step, the awards, or the speaker's
time running out; a report's slides attached to an item or step (the office's Sân khấu page does
the same). Refused with one line, exit 1."""
from __future__ import annotations

from pathlib import Path

import click

from conference.core.errors import ConferenceError
from .app import chosen_conference, command_app, conference_option
from .language import N_, Refused, _


def register(cli: click.Group) -> None:
    cli.add_command(add_cue)
    cli.add_command(add_slides)


@click.command("add-cue", help=N_("Gắn âm báo FILE (MP3, OGG, WAV) vào mục N hoặc bước N.S (--item), "
                                  "phần khen thưởng (--awards) hoặc lúc hết giờ phát biểu (--overtime)."))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--item", "place", default=None, metavar="N[.S]", help=N_("Mục N, hoặc bước S của mục N."))
@click.option("--awards", is_flag=True, help=N_("Phát mỗi khi xướng tên một đợt khen thưởng."))
@click.option("--overtime", is_flag=True, help=N_("Phát khi người phát biểu hết giờ."))
@click.option("--volume", default=100, type=int, help=N_("Âm lượng, 0–100 (mặc định 100)."))
@conference_option
def add_cue(file: Path, place: str | None, awards: bool, overtime: bool, volume: int, chosen: int | None) -> None:
    from conference.show.stage.cues import attach_cue
    if [place is not None, awards, overtime].count(True) != 1:
        raise Refused(_("Chọn đúng một trong --item N[.S], --awards, --overtime."))
    target = "place" if place is not None else "awards" if awards else "overtime"
    with command_app().app_context():
        try:
            with open(file, "rb") as stream:
                cue = attach_cue(chosen_conference(chosen), target, place, file.name, stream, volume)
        except ConferenceError as error:
            raise Refused.of(error) from None
        click.echo(_("Đã gắn âm báo “{name}” (số {id}).").format(name=cue.name, id=cue.id))


@click.command("add-slides", help=N_("Gắn trang trình chiếu FILE.pdf vào mục N hoặc bước N.S: máy chiếu hiện các trang "
                                     "khi chương trình đến đó."))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--item", "place", required=True, metavar="N[.S]", help=N_("Mục N, hoặc bước S của mục N."))
@conference_option
def add_slides(file: Path, place: str, chosen: int | None) -> None:
    from conference.show.stage.slides import attach_deck
    with command_app().app_context():
        try:
            with open(file, "rb") as stream:
                deck = attach_deck(chosen_conference(chosen), place, file.name, stream)
        except ConferenceError as error:
            raise Refused.of(error) from None
        click.echo(_("Đã gắn trang trình chiếu “{name}” ({pages} trang, số {id}).").format(
            name=deck.name, pages=deck.pages, id=deck.id))
