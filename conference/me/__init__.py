"""The delegate's own page (/me): who they are, the programme live, the conference's documents,
the awards they receive; on their own phone, over the venue's Wi-Fi, with no app.

Domain: phones.py (a badge code opens the page on one phone; the office or the door releases it),
documents.py (the office's PDFs, checked by core/pdfs.py before they are kept; which a delegate
may read),
venue.py (the venue's address, which the phone QR on badges and invitations carries),
programme.py (the delegate-safe view of the live snapshot, and a delegate's own awards).
Views: pages.py (the phone's pages, /me), office_pages.py (the office's documents, the venue's
address, the poster, releasing a phone). Its Socket.IO side is in live/realtime.py, the one
publish point: the "programme" event to the room delegates-<conference id>.

The domain imports core, accounts, checkin, awards and show.
"""
