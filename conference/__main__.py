"""`python -m conference` and the installed `conference-day`: the command line (cli/commands.py).
Serving (the `serve` command, the default) first makes the standard library cooperative, before
anything else is imported (web/cooperative.py); the other commands run as plain Python, whose
interpreter then exits without gevent's hub to wind down."""
from __future__ import annotations

import sys


HELP = {"--help", "-h"}


def serves(arguments: list[str]) -> bool:
    """Whether these arguments run the server: `serve`, or no command at all; never when they ask
    for help (made cooperative for nothing, the interpreter's exit then complains of gevent's hub)."""
    if HELP & set(arguments):
        return False
    command = next((argument for argument in arguments if not argument.startswith("-")), "serve")
    return command == "serve"


def run() -> None:
    if serves(sys.argv[1:]):
        from conference.web.cooperative import make_cooperative
        make_cooperative()
    from conference.cli.commands import main
    main()


if __name__ == "__main__":
    run()
