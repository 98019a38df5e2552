"""One blueprint per screen, plus the API and sign-in.

A route parses, authorises, calls a service and answers: it never queries the database itself
(tests/test_architecture.py fails on a route that imports the database module, SQLAlchemy or a model).
"""
from flask import Flask


def register_blueprints(app: Flask) -> None:
    from . import admin_awards, admin_frame, api, api_awards, auth, display, door, mc, press
    from . import (admin, admin_agenda, admin_audit, admin_conferences, admin_delegates,  # noqa: F401
                   admin_devices, admin_papers, admin_setup, admin_users)  # each adds its pages to admin_frame.bp
    from ..extensions import csrf
    csrf.exempt(api.bp)  # API guards apply CSRF themselves to cookie-authenticated calls
    csrf.exempt(api_awards.bp)
    csrf.exempt(press.bp)  # a press address carries its own secret, the button box's token
    for module in (api, auth, door, mc, display, admin_frame, press):
        app.register_blueprint(module.bp)
    app.register_blueprint(api_awards.bp)
    app.register_blueprint(admin_awards.bp)
