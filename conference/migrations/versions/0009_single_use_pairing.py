"""single-use pairing addresses: a pairing code of its own per device, apart from its token

Revision ID: 0009
Revises: 0008

A pairing address used to carry the device's token itself, so it paired any number of browsers
and never expired. The devices of an upgraded database get no pairing code: their old pairing
addresses stop working, the browsers already paired stay paired, the tokens of programs and
press addresses keep working, and the office makes a new address for a device in one click.
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pairing_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('pairing_expires_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('paired_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_device_pairing_hash'), ['pairing_hash'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_device_pairing_hash'))
        batch_op.drop_column('paired_at')
        batch_op.drop_column('pairing_expires_at')
        batch_op.drop_column('pairing_hash')
