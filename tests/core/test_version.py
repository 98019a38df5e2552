"""The snapshot's version: bumped by one UPDATE built once (a Core statement, which the ORM does not
see), so a show-state row the session has loaded must not keep the version it had."""
from __future__ import annotations


def test_a_bump_is_seen_by_the_show_state_the_session_has_loaded(app, conference_id):
    from conference.core.db import write_transaction
    from conference.core.state import bump_version, show_state
    with app.app_context():
        with write_transaction():
            state = show_state(conference_id)
            before = state.version
            bump_version(conference_id)
            bump_version(conference_id)
            assert state.version == before + 2
        assert show_state(conference_id).version == before + 2


def test_the_first_bump_of_a_conference_makes_its_show_state_row(app):
    from conference.core.db import db, write_transaction
    from conference.core.models import Conference, ShowState
    from conference.core.state import bump_version, show_state
    with app.app_context():
        with write_transaction() as session:
            conference = Conference(title="Hội nghị mới")
            session.add(conference)
            session.flush()
            new_id = conference.id
            assert session.get(ShowState, new_id) is None
            bump_version(new_id)
        db.session.rollback()
        assert show_state(new_id).version == 2  # made at 1, then bumped
