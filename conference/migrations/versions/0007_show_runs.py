"""the run-of-show log as runs: each stretch the show stood on an item or a step

Revision ID: 0007
Revises: 0006

The times already recorded on the rows become one run each, so the minutes of a day run
before the upgrade read as they did.
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('show_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('started_by', sa.String(length=80), nullable=True),
    sa.ForeignKeyConstraint(['conference_id'], ['conference.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_item.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['step_id'], ['agenda_step.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('show_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_show_run_conference_id'), ['conference_id'], unique=False)
    op.execute("INSERT INTO show_run (conference_id, item_id, step_id, started_at, ended_at, started_by) "
               "SELECT conference_id, id, NULL, started_at, ended_at, started_by FROM agenda_item "
               "WHERE started_at IS NOT NULL")
    op.execute("INSERT INTO show_run (conference_id, item_id, step_id, started_at, ended_at, started_by) "
               "SELECT agenda_item.conference_id, agenda_step.item_id, agenda_step.id, agenda_step.started_at, "
               "agenda_step.ended_at, agenda_step.started_by FROM agenda_step "
               "JOIN agenda_item ON agenda_item.id = agenda_step.item_id WHERE agenda_step.started_at IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('show_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_show_run_conference_id'))
    op.drop_table('show_run')
