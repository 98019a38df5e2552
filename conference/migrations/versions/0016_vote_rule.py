"""the conference's vote rule (more than half of those present, or two thirds), kept on each vote

Revision ID: 0016
Revises: 0015

Existing conferences and votes keep the rule every vote had until now, more than half of those
present. Plain ADD COLUMNs: rebuilding the vote table would empty its children (see 0013).
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('conference', sa.Column('vote_rule', sa.String(length=24), server_default='more_than_half',
                                          nullable=False))
    op.add_column('vote', sa.Column('rule', sa.String(length=24), server_default='more_than_half', nullable=False))


def downgrade() -> None:
    op.drop_column('vote', 'rule')
    op.drop_column('conference', 'vote_rule')
