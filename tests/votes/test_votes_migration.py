"""Revision 0013 turns the item-8 results recorded before it into closed shows of hands on the vote
item's question, "Tán thành" holding the count given; going back down restores them."""
from __future__ import annotations

import sqlalchemy as sa

from conference.office.first_start import alembic_config


def test_the_votes_recorded_before_become_closed_shows_of_hands_and_come_back_down(tmp_path):
    from alembic import command
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0012")
        connection.execute(sa.text(
            "INSERT INTO conference (id, title, award_batch_size, created_at) VALUES (1, 'H', 6, '2020-03-05'), "
            "(2, 'K', 6, '2020-03-05')"))
        connection.execute(sa.text(
            "INSERT INTO agenda_item (id, conference_id, position, title, kind) "
            "VALUES (1, 1, 8, 'Thông qua danh sách đại biểu', 'vote')"))
        connection.execute(sa.text(
            "INSERT INTO vote (id, conference_id, agreed, present, recorded_at) "
            "VALUES (1, 1, 38, 40, '2020-03-05 03:00:00'), (2, 2, 5, 9, '2020-03-06 03:00:00')"))
        command.upgrade(alembic_config(connection), "0013")
        votes = connection.execute(sa.text(
            "SELECT id, item_id, question, method, secret, election, max_choices, state, present, opened_at, "
            "recorded_at FROM vote ORDER BY id")).all()
        choices = connection.execute(sa.text("SELECT vote_id, position, label, count FROM vote_choice "
                                             "ORDER BY vote_id")).all()
        command.downgrade(alembic_config(connection), "0012")
        back = connection.execute(sa.text("SELECT id, conference_id, agreed, present, recorded_at FROM vote "
                                          "ORDER BY id")).all()
    engine.dispose()
    assert [tuple(v) for v in votes] == [
        (1, 1, "Thông qua danh sách đại biểu", "hands", 0, 0, 1, "closed", 40, "2020-03-05 03:00:00",
         "2020-03-05 03:00:00"),
        (2, None, "Thông qua danh sách đại biểu đi dự hội nghị cấp trên", "hands", 0, 0, 1, "closed", 9,
         "2020-03-06 03:00:00", "2020-03-06 03:00:00")]
    assert [tuple(c) for c in choices] == [(1, 1, "Tán thành", 38), (2, 1, "Tán thành", 5)]
    assert [tuple(v) for v in back] == [(1, 1, 38, 40, "2020-03-05 03:00:00"), (2, 2, 5, 9, "2020-03-06 03:00:00")]
