"""Which views the app serves: every blueprint, and the office pages each feature adds to /admin.

A view parses, authorises, calls a domain function and answers: it never queries the database
itself (tests/core/test_architecture.py fails on a view that imports the database module,
SQLAlchemy or a model).
"""
from flask import Flask

from conference.core.extensions import csrf


def register_blueprints(app: Flask) -> None:
    from conference.accounts import audit_pages, device_pages, signin, user_pages
    from conference.awards import api as awards_api, pages as awards_pages
    from conference.checkin import dashboard_pages, delegate_pages, door
    from conference.me import office_pages as me_office_pages, pages as me_pages
    from conference.office import backup_pages, conference_pages, details_pages, frame
    from conference.papers import pages as papers_pages
    from conference.seating import pages as seating_pages
    from conference.show import agenda_pages, display, mc, press
    from conference.show.stage import api as stage_api, pages as stage_pages, screens as stage_screens
    from conference.votes import api as votes_api, ballot_pages, office_pages as votes_office_pages
    from conference.speakers import api as speakers_api, office_pages as speakers_office_pages
    from conference.speakers import phone_pages as speakers_phone_pages
    from . import api

    # The office's pages live with their features but share one blueprint, /admin (office/frame.py),
    # so their endpoint names read admin.*: each module below adds its routes to frame.bp when it is
    # imported, which must happen before frame.bp is registered.
    office_pages = (dashboard_pages, delegate_pages, details_pages, conference_pages, agenda_pages,
                    papers_pages, seating_pages, user_pages, device_pages, audit_pages, backup_pages,
                    me_office_pages, stage_pages, votes_office_pages, speakers_office_pages)
    assert all(module.bp is frame.bp for module in office_pages)
    # The delegate's speaking forms are /me's own routes (me.speak, me.withdraw), added when imported.
    assert speakers_phone_pages.bp is me_pages.bp

    csrf.exempt(api.bp)  # API guards apply CSRF themselves to cookie-authenticated calls
    csrf.exempt(awards_api.bp)
    csrf.exempt(stage_api.bp)  # its guards apply CSRF to cookie callers, as the API's do
    csrf.exempt(votes_api.bp)  # its guards apply CSRF to cookie callers, as the API's do
    csrf.exempt(ballot_pages.bp)  # checks CSRF itself, after the phone's session
    csrf.exempt(speakers_api.bp)  # the same
    csrf.exempt(press.bp)  # a press address carries its own secret, the button box's token
    for module in (api, signin, door, mc, display, frame, press, awards_api, awards_pages, me_pages, stage_api,
                   stage_screens, votes_api, ballot_pages, speakers_api):
        app.register_blueprint(module.bp)
