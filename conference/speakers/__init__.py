"""Speaking requests from the delegates' phones (docs/SPEAKERS.md): a checked-in delegate asks to
speak from /me, with an optional subject; the MC sees the queue in the order asked, with each
person's earlier turns today, and calls the next; the projector shows who is speaking; the
minutes' diễn biến lists the turns in order. The office can turn requests off.

Domain: queue.py (asking, withdrawing, calling, ending, dismissing; the queue as the screens and
the phones see it; the turns for the minutes). Views: api.py (the MC's calls, /api/speakers),
phone_pages.py (the delegate's two forms, on /me's blueprint), office_pages.py (the office's switch).

The domain imports core, accounts, checkin, awards, seating, show and me.
"""
