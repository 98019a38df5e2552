"""the sign-in's wrong passwords, counted by address and by login in the database

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sign_in_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('address', sa.String(length=45), nullable=False),
    sa.Column('login_key', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sign_in_failure', schema=None) as batch_op:
        batch_op.create_index('ix_sign_in_failure_address_at', ['address', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_in_failure_at'), ['at'], unique=False)
        batch_op.create_index('ix_sign_in_failure_login_key_at', ['login_key', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sign_in_failure', schema=None) as batch_op:
        batch_op.drop_index('ix_sign_in_failure_login_key_at')
        batch_op.drop_index(batch_op.f('ix_sign_in_failure_at'))
        batch_op.drop_index('ix_sign_in_failure_address_at')
    op.drop_table('sign_in_failure')
