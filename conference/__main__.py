"""`python -m conference` and the installed `conference-day`: the command line (cli/commands.py),
with the standard library made cooperative before anything else is imported (web/cooperative.py)."""


def run() -> None:
    from conference.web.cooperative import make_cooperative
    make_cooperative()
    from conference.cli.commands import main
    main()


if __name__ == "__main__":
    run()
