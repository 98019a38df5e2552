"""One blueprint per screen, plus the API and sign-in.

A route parses, authorises, calls a service and answers: it never queries the database itself
(tests/core/test_architecture.py fails on a route that imports the database module, SQLAlchemy or a model).
"""
from flask import Flask


def register_blueprints(app: Flask) -> None:
    from conference.awards import pages as admin_awards, api as api_awards
    from conference.office import frame as admin_frame
    from . import api
    from conference.accounts import signin as auth
    from conference.show import display, mc, press
    from conference.checkin import door
    from conference.checkin import dashboard_pages as admin, delegate_pages as admin_delegates
    from conference.show import agenda_pages as admin_agenda
    from conference.accounts import (audit_pages as admin_audit, device_pages as admin_devices,  # noqa: F401
                                     user_pages as admin_users)
    from conference.office import conference_pages as admin_conferences, details_pages as admin_setup
    from conference.papers import pages as admin_papers  # noqa: F401 - each adds its pages to admin_frame.bp
    from conference.core.extensions import csrf
    csrf.exempt(api.bp)  # API guards apply CSRF themselves to cookie-authenticated calls
    csrf.exempt(api_awards.bp)
    csrf.exempt(press.bp)  # a press address carries its own secret, the button box's token
    for module in (api, auth, door, mc, display, admin_frame, press):
        app.register_blueprint(module.bp)
    app.register_blueprint(api_awards.bp)
    app.register_blueprint(admin_awards.bp)
