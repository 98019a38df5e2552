"""One blueprint per screen, plus the API and sign-in.

A route parses, authorises, calls a service and answers: it never queries the database itself
(tests/test_architecture.py fails on a route that imports the database module, SQLAlchemy or a model).
"""
from flask import Flask


def register_blueprints(app: Flask) -> None:
    from . import admin, api, auth, display, door, mc
    from . import admin_awards, api_awards
    from ..extensions import csrf
    csrf.exempt(api.bp)  # API guards apply CSRF themselves to cookie-authenticated calls
    csrf.exempt(api_awards.bp)
    for module in (api, auth, door, mc, display, admin):
        app.register_blueprint(module.bp)
    app.register_blueprint(api_awards.bp)
    app.register_blueprint(admin_awards.bp)
