"""Votes of the conference (docs/VOTES.md): a question or a list of candidates, voted on the
delegates' phones or by a show of hands, one open at a time, the result by the conference's rule.

Domain: results.py (what a vote says: present, cast, counts, percentages, the outcome; the
screens' and the minutes' reads), record.py (the MC's actions: open, enter the hands, close; the
item-8 call of POST /api/vote as a closed show of hands), ballots.py (a delegate's ballot from
their phone: secret votes keep tallies only), named_list.py (an open vote's named list, .xlsx).
Views: api.py (/api/votes), ballot_pages.py (POST /me/ballot, GET /me/ballot with the phone's
session), office_pages.py (the named list's download, /admin).

The domain imports core, accounts, checkin, awards, seating, show and me.
"""
