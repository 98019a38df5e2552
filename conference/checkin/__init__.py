"""Check-in: badge codes, the roster, the delegates' import, the door tablet, the live dashboard.

Domain: checkins.py (a scan, a walk-in, an undo: one transaction, ordered guards, stable codes),
badgecodes.py, roster.py (delegates and groups, search, the door's feeds, attendance figures),
importer.py (delegates from .xlsx/.csv, all rows or none), quorum.py (the conference's quorum rule
and the reasons for absence).
Views: door.py (the door page, its roster and service worker), delegate_pages.py,
dashboard_pages.py (the office's live attendance).

The domain imports core and accounts only.
"""
