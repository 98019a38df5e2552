"""the hall and its seats, one delegate a seat; a delegate's honorific (danh xưng)

Revision ID: 0012
Revises: 0011

A seat was free text and two delegates could share one. Before the new unique key, a seat
written twice keeps its first delegate (the lowest id) and is emptied for the others, so an
upgrade never fails on old data; the office sees them unseated and assigns them again.
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'seat',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('conference_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=20), nullable=False),
        sa.Column('area', sa.Enum('presidium', 'secretariat', 'hall', name='seatarea', native_enum=False,
                                  length=24), nullable=False),
        sa.Column('block', sa.String(length=3), nullable=True),
        sa.Column('block_position', sa.Integer(), nullable=False),
        sa.Column('row', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('reserve', sa.Enum('guests', 'honourees', name='seatreserve', native_enum=False,
                                     length=24), nullable=True),
        sa.ForeignKeyConstraint(['conference_id'], ['conference.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('conference_id', 'code'),
    )
    with op.batch_alter_table('seat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seat_conference_id'), ['conference_id'], unique=False)
    delegate = sa.table('delegate', sa.column('id'), sa.column('conference_id'), sa.column('seat'))
    first = sa.select(sa.func.min(delegate.c.id)).group_by(delegate.c.conference_id, delegate.c.seat)
    op.execute(delegate.update().where(delegate.c.seat.is_not(None), delegate.c.id.not_in(first.scalar_subquery()))
               .values(seat=None))
    # A unique index rather than a constraint: SQLite adds it without rebuilding the table.
    op.add_column('delegate', sa.Column('honorific', sa.String(length=20), nullable=True))
    op.create_index('uq_delegate_seat', 'delegate', ['conference_id', 'seat'], unique=True)


def downgrade() -> None:
    op.drop_index('uq_delegate_seat', table_name='delegate')
    with op.batch_alter_table('delegate', schema=None) as batch_op:
        batch_op.drop_column('honorific')
    with op.batch_alter_table('seat', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seat_conference_id'))
    op.drop_table('seat')
