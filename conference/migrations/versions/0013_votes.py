"""votes: a question or a list of candidates, by phones or by show of hands; the item-8 vote one kind of it

Revision ID: 0013
Revises: 0012

The `vote` table held the item-8 result only (agreed / present). It becomes the general vote
(conference/votes/): each old row is kept as a closed show of hands on the vote item's question,
its "agreed" moved to the tally of the choice "Tán thành" (the only count the MC gave then).
Who has voted (vote_voter) and what an open vote's delegates chose (vote_ballot) are new tables;
a secret vote writes only the tallies of vote_choice.
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

DEFAULT_QUESTION = "Thông qua danh sách đại biểu đi dự hội nghị cấp trên"


def upgrade() -> None:
    op.create_table(
        'vote_choice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('vote_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('label', sa.String(length=200), nullable=False),
        sa.Column('candidate_id', sa.Integer(), nullable=True),
        sa.Column('count', sa.Integer(), nullable=False),
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

    # New columns arrive nullable, are filled for the old rows, then made required.
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.add_column(sa.Column('item_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('question', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('method', sa.Enum('phones', 'hands', name='votemethod', native_enum=False,
                                                        length=24), nullable=True))
        batch_op.add_column(sa.Column('secret', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('election', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('max_choices', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('state', sa.Enum('open', 'closed', name='votestate', native_enum=False,
                                                       length=24), nullable=True))
        batch_op.add_column(sa.Column('opened_at', sa.DateTime(), nullable=True))
        batch_op.create_foreign_key('fk_vote_item_id_agenda_item', 'agenda_item', ['item_id'], ['id'],
                                    ondelete='SET NULL')
    _move_old_votes()
    with op.batch_alter_table('vote', schema=None) as batch_op:
        for name in ('question', 'method', 'secret', 'election', 'max_choices', 'state', 'opened_at'):
            batch_op.alter_column(name, nullable=False)
        batch_op.alter_column('present', nullable=True)
        batch_op.alter_column('recorded_at', nullable=True)
        batch_op.drop_column('agreed')


def _move_old_votes() -> None:
    vote = sa.table('vote', sa.column('id'), sa.column('conference_id'), sa.column('agreed'),
                    sa.column('recorded_at'), sa.column('item_id'), sa.column('question'), sa.column('method'),
                    sa.column('secret'), sa.column('election'), sa.column('max_choices'), sa.column('state'),
                    sa.column('opened_at'))
    item = sa.table('agenda_item', sa.column('id'), sa.column('conference_id'), sa.column('kind'),
                    sa.column('title'), sa.column('position'))
    choice = sa.table('vote_choice', sa.column('vote_id'), sa.column('position'), sa.column('label'),
                      sa.column('count'))
    connection = op.get_bind()
    for row in connection.execute(sa.select(vote.c.id, vote.c.conference_id, vote.c.agreed)).all():
        found = connection.execute(sa.select(item.c.id, item.c.title)
                                   .where(item.c.conference_id == row.conference_id, item.c.kind == 'vote')
                                   .order_by(item.c.position).limit(1)).first()
        connection.execute(vote.update().where(vote.c.id == row.id).values(
            item_id=found.id if found else None, question=(found.title if found else DEFAULT_QUESTION)[:300],
            method='hands', secret=False, election=False, max_choices=1, state='closed',
            opened_at=vote.c.recorded_at))
        connection.execute(choice.insert().values(vote_id=row.id, position=1, label="Tán thành", count=row.agreed))


def downgrade() -> None:
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreed', sa.Integer(), nullable=True))
    vote = sa.table('vote', sa.column('id'), sa.column('agreed'), sa.column('present'), sa.column('recorded_at'),
                    sa.column('opened_at'), sa.column('state'))
    choice = sa.table('vote_choice', sa.column('vote_id'), sa.column('position'), sa.column('count'))
    first = sa.select(choice.c.count).where(choice.c.vote_id == vote.c.id, choice.c.position == 1).scalar_subquery()
    # Only closed votes had a result in the old table; their first choice was "Tán thành".
    op.execute(vote.delete().where(sa.or_(vote.c.state != 'closed', vote.c.present.is_(None))))
    op.execute(vote.update().values(agreed=sa.func.coalesce(first, 0),
                                    recorded_at=sa.func.coalesce(vote.c.recorded_at, vote.c.opened_at)))
    op.drop_table('vote_ballot')
    op.drop_table('vote_voter')
    op.drop_table('vote_choice')
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.drop_constraint('fk_vote_item_id_agenda_item', type_='foreignkey')
        for name in ('item_id', 'question', 'method', 'secret', 'election', 'max_choices', 'state', 'opened_at'):
            batch_op.drop_column(name)
        batch_op.alter_column('agreed', nullable=False)
        batch_op.alter_column('present', nullable=False)
        batch_op.alter_column('recorded_at', nullable=False)
