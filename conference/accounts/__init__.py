"""Who is asking: named accounts, sign-in sessions, paired devices, and the audit trail.

Domain: users.py (accounts and passwords), sessions.py (server-side sessions), attempts.py (the
wrong passwords an address may try), devices.py (devices, their tokens, revoking), pairing.py
(single-use pairing addresses), principal.py (what
every guard is told of the caller), audit.py (who changed what, written in the change's own
transaction). Request guards: guards.py.
Views: signin.py (sign-in, pairing, sign-out), user_pages.py, device_pages.py, audit_pages.py.

The domain imports core only.
"""
