"""who moved the show: the device that last moved a cursor, and who started each item and step

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
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
