"""The run-of-show: the agenda, moving through it, its log of runs, its timing, and its screens.

Domain: agenda.py (items and steps), moves.py (next / previous / go-to, message, screen mode),
runs.py (each stretch of time the show stood on a place), timing.py (planned against actual),
clicker.py (the clicker's Tiếp / Lùi: the slides shown turn their page first, then the show moves).
Views: mc.py (the MC console), display.py (the projector), press.py (a button box's press
addresses), agenda_pages.py (the office's programme pages).
stage/: the lectern timer, the stream overlay, the sound cues and the report's slides (its own
__init__.py says what each module holds).

The domain imports core, accounts, checkin and awards (going back onto the awards reopens its
last batch).
"""
