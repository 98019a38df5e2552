"""speaking requests from the delegates' phones, and the office's switch for them

Revision ID: 0014
Revises: 0013
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'speaking_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('conference_id', sa.Integer(), nullable=False),
        sa.Column('delegate_id', sa.Integer(), nullable=False),
        sa.Column('subject', sa.String(length=200), nullable=True),
        sa.Column('state', sa.Enum('waiting', 'speaking', 'done', 'withdrawn', 'dismissed', name='speakingstate',
                                   native_enum=False, length=24), nullable=False),
        sa.Column('asked_at', sa.DateTime(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=True),
        sa.Column('started_at', sa.DateTime(), nullable=True),
        sa.Column('ended_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['conference_id'], ['conference.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['delegate_id'], ['delegate.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['item_id'], ['agenda_item.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('speaking_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_speaking_request_conference_id'), ['conference_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_speaking_request_delegate_id'), ['delegate_id'], unique=False)
    op.create_table(
        'speaker_settings',
        sa.Column('conference_id', sa.Integer(), nullable=False),
        sa.Column('requests_open', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['conference_id'], ['conference.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('conference_id'),
    )


def downgrade() -> None:
    op.drop_table('speaker_settings')
    with op.batch_alter_table('speaking_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_speaking_request_delegate_id'))
        batch_op.drop_index(batch_op.f('ix_speaking_request_conference_id'))
    op.drop_table('speaking_request')
