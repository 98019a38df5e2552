"""who moved the show: the device that last moved a cursor, and who started each item and step

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

TABLES = {"show_state": "moved_by", "agenda_item": "started_by", "agenda_step": "started_by"}


def upgrade() -> None:
    for table, column in TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(column, sa.String(length=80), nullable=True))


def downgrade() -> None:
    for table, column in TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)
