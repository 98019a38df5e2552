"""The office's year: the conferences of an install, their details, templates, backups.

Domain: lifecycle.py (create, copy, activate, rehearsal reset), details.py (a conference's
details, groups, delegates, item-8 candidates, device names), conference_templates.py,
demo.py (the An Tân demo), backups.py (online backups, restore), backup_schema.py (the schema
a restored file must have), first_start.py (the schema, the demo and the first administrator on a
first start).
Views: frame.py (the /admin blueprint every office page shares, its sign-in and helpers, and the
conference a page works on: ?conference=ID, kept on every url_for),
conference_pages.py, details_pages.py.

The domain may import every feature's domain (a copy or a reset touches them all).
"""
