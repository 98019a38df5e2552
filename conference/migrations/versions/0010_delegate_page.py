"""the delegate's page: one phone per delegate, the conference's documents, the venue's address

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'delegate_phone',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('conference_id', sa.Integer(), nullable=False),
        sa.Column('delegate_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('user_agent', sa.String(length=200), nullable=True),
        sa.Column('released_at', sa.DateTime(), nullable=True),
        sa.Column('released_by', sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(['conference_id'], ['conference.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['delegate_id'], ['delegate.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'))
    op.create_index(op.f('ix_delegate_phone_conference_id'), 'delegate_phone', ['conference_id'], unique=False)
    op.create_index(op.f('ix_delegate_phone_delegate_id'), 'delegate_phone', ['delegate_id'], unique=False)
    op.create_table(
        'conference_document',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('conference_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=True),
        sa.Column('visibility', sa.Enum('visible', 'held', 'internal', name='documentvisibility',
                                        native_enum=False, length=24), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('pages', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['conference_id'], ['conference.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['item_id'], ['agenda_item.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'))
    op.create_index(op.f('ix_conference_document_conference_id'), 'conference_document', ['conference_id'],
                    unique=False)
    op.create_table(
        'venue_address',
        sa.Column('conference_id', sa.Integer(), nullable=False),
        sa.Column('address', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['conference_id'], ['conference.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('conference_id'))


def downgrade() -> None:
    op.drop_table('venue_address')
    op.drop_index(op.f('ix_conference_document_conference_id'), table_name='conference_document')
    op.drop_table('conference_document')
    op.drop_index(op.f('ix_delegate_phone_delegate_id'), table_name='delegate_phone')
    op.drop_index(op.f('ix_delegate_phone_conference_id'), table_name='delegate_phone')
    op.drop_table('delegate_phone')
