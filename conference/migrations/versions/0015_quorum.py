"""the conference's quorum rule; why a delegate is absent (excused or not, and a note)

Revision ID: 0015
Revises: 0014

Existing conferences get the usual rule, more than half of those summoned; no absence has a
reason until someone enters one.
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('conference', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quorum_rule', sa.String(length=24), server_default='more_than_half',
                                      nullable=False))
    with op.batch_alter_table('delegate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('absence_reason', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('absence_note', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('delegate', schema=None) as batch_op:
        batch_op.drop_column('absence_note')
        batch_op.drop_column('absence_reason')
    with op.batch_alter_table('conference', schema=None) as batch_op:
        batch_op.drop_column('quorum_rule')
