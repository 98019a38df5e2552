"""the stage: sound cues, slides, the lectern's message, the stream overlay, the sound page

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'stage_cue',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('conference_id', sa.Integer(), nullable=False),
        sa.Column('target', sa.Enum('place', 'awards', 'overtime', name='cuetarget', native_enum=False,
                                    length=24), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=True),
        sa.Column('step_id', sa.Integer(), nullable=True),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('stored', sa.String(length=80), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('volume', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['conference_id'], ['conference.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['item_id'], ['agenda_item.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['step_id'], ['agenda_step.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('stage_cue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_cue_conference_id'), ['conference_id'], unique=False)
    op.create_table(
        'stage_state',
        sa.Column('conference_id', sa.Integer(), nullable=False),
        sa.Column('lectern_message', sa.String(length=200), nullable=True),
        sa.Column('overlay_hidden', sa.Boolean(), nullable=False),
        sa.Column('sound_device_id', sa.Integer(), nullable=True),
        sa.Column('cue_replay', sa.Integer(), nullable=False),
        sa.Column('cue_stop', sa.Integer(), nullable=False),
        sa.Column('check_cue_id', sa.Integer(), nullable=True),
        sa.Column('check_count', sa.Integer(), nullable=False),
        sa.Column('cue_at', sa.DateTime(), nullable=True),
        sa.Column('slide_page', sa.Integer(), nullable=False),
        sa.Column('slide_run_id', sa.Integer(), nullable=True),
        sa.Column('slides_hidden', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['conference_id'], ['conference.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['sound_device_id'], ['device.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['check_cue_id'], ['stage_cue.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['slide_run_id'], ['show_run.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('conference_id'),
    )
    op.create_table(
        'stage_deck',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('conference_id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('step_id', sa.Integer(), nullable=True),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('stored', sa.String(length=80), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('pages', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['conference_id'], ['conference.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['item_id'], ['agenda_item.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['step_id'], ['agenda_step.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('stage_deck', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_deck_conference_id'), ['conference_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('stage_deck', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_deck_conference_id'))
    op.drop_table('stage_deck')
    op.drop_table('stage_state')
    with op.batch_alter_table('stage_cue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_cue_conference_id'))
    op.drop_table('stage_cue')
