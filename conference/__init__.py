"""Conference day: the system that runs the day of a formal conference.

The app factory is in factory.py. This module imports nothing at all, so that `python -m conference`
(__main__.py) can make the standard library cooperative before anything else is imported
(web/cooperative.py): a module imported first would keep the blocking sockets and locks.
"""
from __future__ import annotations


def __getattr__(name: str):
    """`from conference import create_app`, imported only when it is asked for."""
    if name == "create_app":
        from conference.factory import create_app
        return create_app
    raise AttributeError(f"module 'conference' has no attribute {name!r}")
