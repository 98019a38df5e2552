from conference.cli.commands import main

main()
