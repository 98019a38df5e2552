"""The command line's language: Vietnamese, or English with CONFERENCE_LANG=en.

The words are the pages' own: msgids in Vietnamese, English from translations/ (compiled in memory,
no app needed). Help texts are marked with N_ where they are written and put in the chosen language
when a command runs, together with the few words click prints itself (Usage, Options, Commands).
"""
from __future__ import annotations

import os

import click

from conference.core.errors import ConferenceError, N_


def language() -> str:
    return "en" if os.environ.get("CONFERENCE_LANG", "").lower().startswith("en") else "vi"


def _(message: str) -> str:
    """MESSAGE (a Vietnamese msgid) in the command line's language."""
    if language() == "vi":
        return message
    from conference.core.i18n import catalogue
    return catalogue(language()).gettext(message)


CLICK_WORDS = {"Usage:": N_("Cách dùng:"), "Options": N_("Tùy chọn"), "Commands": N_("Lệnh")}


class Formatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix=_(CLICK_WORDS["Usage:"]) + " ")

    def section(self, name: str):
        return super().section(_(CLICK_WORDS.get(name, name)))


class Context(click.Context):
    formatter_class = Formatter


def _source(thing, attribute: str) -> str | None:
    """The Vietnamese text first written in THING.ATTRIBUTE (kept, so a later language can use it)."""
    kept = f"_vi_{attribute}"
    if not hasattr(thing, kept):
        setattr(thing, kept, getattr(thing, attribute))
    return getattr(thing, kept)


def speak(command: click.Command) -> None:
    """Put COMMAND's help, its options' and its subcommands' in the chosen language. The command's
    summary in the list of commands is its whole help (short, one sentence), never cut off."""
    help_text = _source(command, "help")
    if help_text:
        command.help = command.short_help = _(help_text)
    command.context_settings["help_option_names"] = []  # click's own --help speaks English only
    if not any(param.name == "help" for param in command.params):
        click.help_option("-h", "--help", help=N_("Hiện hướng dẫn này rồi thoát."))(command)
    for param in command.params:
        if isinstance(param, click.Option) and _source(param, "help"):
            param.help = _(_source(param, "help"))
    for sub in getattr(command, "commands", {}).values():
        speak(sub)


class Refused(click.ClickException):
    """A refusal (exit 1): MESSAGE, already in the command line's language, printed as one line
    (click's own ClickException would put its English "Error:" before a Vietnamese message)."""

    @classmethod
    def of(cls, error: ConferenceError) -> Refused:
        """A service's refusal, its message put in the command line's language."""
        return cls(error.text(_))

    def show(self, file=None) -> None:
        click.echo(_("Lỗi: {message}").format(message=self.format_message()), file=file, err=file is None)


class Command(click.Command):
    context_class = Context


class Group(click.Group):
    """The command group: every invocation speaks the language chosen at that moment."""
    context_class = Context
    command_class = Command

    def make_context(self, info_name, args, parent=None, **extra):
        speak(self)
        return super().make_context(info_name, args, parent=parent, **extra)
