"""votes: a question or a list of candidates, by phones or by show of hands; the item-8 vote one kind of it

Revision ID: 0013
Revises: 0012

The `vote` table held the item-8 result only (agreed / present). It becomes the general vote
(conference/votes/): each old row is kept as a closed show of hands on the vote item's question,
its "agreed" moved to the tally of the choice "Tán thành" (the only count the MC gave then).
Who has voted (vote_voter) and what an open vote's delegates chose (vote_ballot) are new tables;
a secret vote writes only the tallies of vote_choice. Paper ballots are entered twice: second_count.
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

DEFAULT_QUESTION = "Thông qua danh sách đại biểu đi dự hội nghị cấp trên"


def upgrade() -> None:
    # The vote table is rebuilt first (SQLite's batch mode copies it, drops it and renames the copy),
    # before any table refers to it: with foreign keys on, dropping it would empty its children.
    old = [tuple(row) for row in op.get_bind().execute(sa.text("SELECT id, agreed FROM vote ORDER BY id"))]
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.add_column(sa.Column('item_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('question', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('method', sa.Enum('phones', 'hands', 'paper', name='votemethod',
                                                        native_enum=False, length=24), nullable=True))
        batch_op.add_column(sa.Column('secret', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('election', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('max_choices', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('state', sa.Enum('open', 'closed', name='votestate', native_enum=False,
                                                       length=24), nullable=True))
        batch_op.add_column(sa.Column('opened_at', sa.DateTime(), nullable=True))
        batch_op.create_foreign_key('fk_vote_item_id_agenda_item', 'agenda_item', ['item_id'], ['id'],
                                    ondelete='SET NULL')
    _describe_old_votes()
    # New columns arrived nullable, were filled for the old rows, and are made required now.
    with op.batch_alter_table('vote', schema=None) as batch_op:
        for name in ('question', 'method', 'secret', 'election', 'max_choices', 'state', 'opened_at'):
            batch_op.alter_column(name, nullable=False)
        batch_op.alter_column('present', nullable=True)
        batch_op.alter_column('recorded_at', nullable=True)
        batch_op.drop_column('agreed')
    _create_children()
    choice = sa.table('vote_choice', sa.column('vote_id'), sa.column('position'), sa.column('label'),
                      sa.column('count'))
    if old:  # the one count the MC gave then
        op.bulk_insert(choice, [{"vote_id": vote_id, "position": 1, "label": "Tán thành", "count": agreed}
                                for vote_id, agreed in old])


def _create_children() -> None:
    op.create_table(
        'vote_choice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('vote_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('label', sa.String(length=200), nullable=False),
        sa.Column('candidate_id', sa.Integer(), nullable=True),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('second_count', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['candidate_id'], ['candidate.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['vote_id'], ['vote.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('vote_id', 'position'),
    )
    with op.batch_alter_table('vote_choice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vote_choice_vote_id'), ['vote_id'], unique=False)
    op.create_table(
        'vote_voter',
        sa.Column('vote_id', sa.Integer(), nullable=False),
        sa.Column('delegate_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['delegate_id'], ['delegate.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['vote_id'], ['vote.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('vote_id', 'delegate_id'),
    )
    op.create_table(
        'vote_ballot',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('vote_id', sa.Integer(), nullable=False),
        sa.Column('delegate_id', sa.Integer(), nullable=False),
        sa.Column('choice_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['choice_id'], ['vote_choice.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['delegate_id'], ['delegate.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['vote_id'], ['vote.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('vote_id', 'delegate_id', 'choice_id'),
    )
    with op.batch_alter_table('vote_ballot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vote_ballot_vote_id'), ['vote_id'], unique=False)


def _describe_old_votes() -> None:
    """Each old row: a closed show of hands on its conference's vote item (the first), or the default question."""
    vote = sa.table('vote', sa.column('id'), sa.column('conference_id'), sa.column('recorded_at'),
                    sa.column('item_id'), sa.column('question'), sa.column('method'), sa.column('secret'),
                    sa.column('election'), sa.column('max_choices'), sa.column('state'), sa.column('opened_at'))
    item = sa.table('agenda_item', sa.column('id'), sa.column('conference_id'), sa.column('kind'),
                    sa.column('title'), sa.column('position'))
    connection = op.get_bind()
    for row in connection.execute(sa.select(vote.c.id, vote.c.conference_id)).all():
        found = connection.execute(sa.select(item.c.id, item.c.title)
                                   .where(item.c.conference_id == row.conference_id, item.c.kind == 'vote')
                                   .order_by(item.c.position).limit(1)).first()
        connection.execute(vote.update().where(vote.c.id == row.id).values(
            item_id=found.id if found else None, question=(found.title if found else DEFAULT_QUESTION)[:300],
            method='hands', secret=False, election=False, max_choices=1, state='closed',
            opened_at=vote.c.recorded_at))


def downgrade() -> None:
    # Only closed votes had a result in the old table; their first choice was "Tán thành". Read
    # before the children go, and the children go before the vote table is rebuilt (see upgrade).
    kept = [tuple(row) for row in op.get_bind().execute(sa.text(
        "SELECT vote.id, COALESCE(vote_choice.count, 0) FROM vote LEFT JOIN vote_choice "
        "ON vote_choice.vote_id = vote.id AND vote_choice.position = 1 "
        "WHERE vote.state = 'closed' AND vote.present IS NOT NULL"))]
    op.drop_table('vote_ballot')
    op.drop_table('vote_voter')
    op.drop_table('vote_choice')
    vote = sa.table('vote', sa.column('id'), sa.column('agreed'), sa.column('recorded_at'), sa.column('opened_at'))
    op.execute(vote.delete().where(vote.c.id.not_in([vote_id for vote_id, _ in kept] or [0])))
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreed', sa.Integer(), nullable=True))
    for vote_id, agreed in kept:
        op.execute(vote.update().where(vote.c.id == vote_id).values(
            agreed=agreed, recorded_at=sa.func.coalesce(vote.c.recorded_at, vote.c.opened_at)))
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.drop_constraint('fk_vote_item_id_agenda_item', type_='foreignkey')
        for name in ('item_id', 'question', 'method', 'secret', 'election', 'max_choices', 'state', 'opened_at'):
            batch_op.drop_column(name)
        batch_op.alter_column('agreed', nullable=False)
        batch_op.alter_column('present', nullable=False)
        batch_op.alter_column('recorded_at', nullable=False)
