"""The command line: python3 -m conference COMMAND, or conference-day COMMAND once installed.

commands.py holds the commands (serve first), lifecycle.py the conferences' life, app.py what
every command shares (the app, the conference worked on), language.py its language.
It may import anything.
"""
