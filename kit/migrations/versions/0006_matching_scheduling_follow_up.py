"""Matching, scheduling, connector and group formats, follow-up (hours, check-ins, outcomes).

Autogenerate does not see CHECK constraints: the three changed ones are written by hand below.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 03:18:53.717000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('kit_calendar_feed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('newcomer_id', sa.Integer(), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_read_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('(staff_id IS NOT NULL AND newcomer_id IS NULL) OR (staff_id IS NULL AND newcomer_id IS NOT NULL)', name=op.f('ck_kit_calendar_feed_one_owner')),
    sa.ForeignKeyConstraint(['newcomer_id'], ['kit_newcomer.id'], name=op.f('fk_kit_calendar_feed_newcomer_id_kit_newcomer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['kit_staff_member.id'], name=op.f('fk_kit_calendar_feed_staff_id_kit_staff_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_calendar_feed')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_kit_calendar_feed_token_hash'))
    )
    with op.batch_alter_table('kit_calendar_feed', schema=None) as batch_op:
        batch_op.create_index('uq_kit_calendar_feed_live_newcomer', ['newcomer_id'], unique=True, postgresql_where=sa.text('revoked_at IS NULL'), sqlite_where=sa.text('revoked_at IS NULL'))
        batch_op.create_index('uq_kit_calendar_feed_live_staff', ['staff_id'], unique=True, postgresql_where=sa.text('revoked_at IS NULL'), sqlite_where=sa.text('revoked_at IS NULL'))

    op.create_table('kit_match_pair_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('newcomer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('pin', 'exclude')", name=op.f('ck_kit_match_pair_rule_kind')),
    sa.ForeignKeyConstraint(['cohort_id'], ['kit_cohort.id'], name=op.f('fk_kit_match_pair_rule_cohort_id_kit_cohort'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['kit_staff_member.id'], name=op.f('fk_kit_match_pair_rule_created_by_id_kit_staff_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['newcomer_id'], ['kit_newcomer.id'], name=op.f('fk_kit_match_pair_rule_newcomer_id_kit_newcomer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['volunteer_id'], ['kit_volunteer_profile.id'], name=op.f('fk_kit_match_pair_rule_volunteer_id_kit_volunteer_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_match_pair_rule')),
    sa.UniqueConstraint('volunteer_id', 'newcomer_id', name='uq_kit_match_pair_rule_pair')
    )
    with op.batch_alter_table('kit_match_pair_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kit_match_pair_rule_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kit_match_pair_rule_newcomer_id'), ['newcomer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kit_match_pair_rule_volunteer_id'), ['volunteer_id'], unique=False)

    op.create_table('kit_connector_introduction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('newcomer_id', sa.Integer(), nullable=False),
    sa.Column('from_session_id', sa.Integer(), nullable=False),
    sa.Column('introduced_by_id', sa.Integer(), nullable=False),
    sa.Column('colleague_staff_id', sa.Integer(), nullable=True),
    sa.Column('colleague_name', sa.String(length=200), nullable=True),
    sa.Column('colleague_email', sa.String(length=320), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('follow_up_session_id', sa.Integer(), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('depth', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("status IN ('suggested', 'scheduled', 'met', 'declined')", name=op.f('ck_kit_connector_introduction_status')),
    sa.CheckConstraint('colleague_staff_id IS NOT NULL OR (colleague_name IS NOT NULL AND colleague_email IS NOT NULL)', name=op.f('ck_kit_connector_introduction_colleague')),
    sa.CheckConstraint('depth >= 1', name=op.f('ck_kit_connector_introduction_depth')),
    sa.ForeignKeyConstraint(['colleague_staff_id'], ['kit_staff_member.id'], name=op.f('fk_kit_connector_introduction_colleague_staff_id_kit_staff_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['follow_up_session_id'], ['kit_session.id'], name=op.f('fk_kit_connector_introduction_follow_up_session_id_kit_session'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['from_session_id'], ['kit_session.id'], name=op.f('fk_kit_connector_introduction_from_session_id_kit_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['introduced_by_id'], ['kit_staff_member.id'], name=op.f('fk_kit_connector_introduction_introduced_by_id_kit_staff_member'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['newcomer_id'], ['kit_newcomer.id'], name=op.f('fk_kit_connector_introduction_newcomer_id_kit_newcomer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['kit_connector_introduction.id'], name=op.f('fk_kit_connector_introduction_parent_id_kit_connector_introduction'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_connector_introduction')),
    sa.UniqueConstraint('follow_up_session_id', name=op.f('uq_kit_connector_introduction_follow_up_session_id'))
    )
    with op.batch_alter_table('kit_connector_introduction', schema=None) as batch_op:
        batch_op.create_index('ix_kit_connector_introduction_colleague_email', ['colleague_email'], unique=False)
        batch_op.create_index(batch_op.f('ix_kit_connector_introduction_colleague_staff_id'), ['colleague_staff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kit_connector_introduction_from_session_id'), ['from_session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kit_connector_introduction_introduced_by_id'), ['introduced_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kit_connector_introduction_newcomer_id'), ['newcomer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kit_connector_introduction_parent_id'), ['parent_id'], unique=False)

    with op.batch_alter_table('kit_check_in', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answers', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('concern_resolved_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('concern_resolved_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_kit_check_in_concern_resolved_by_id_kit_staff_member'), 'kit_staff_member', ['concern_resolved_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('kit_hours_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rejection_reason', sa.Text(), nullable=True))

    with op.batch_alter_table('kit_outcome', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actor_id', sa.String(length=64), nullable=True))

    with op.batch_alter_table('kit_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('approval_status', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('approver_email', sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column('approval_decided_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reminder_queued_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('attendance_nudged_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('attendance_marked_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('kit_session_attendee', schema=None) as batch_op:
        batch_op.add_column(sa.Column('response_note', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('kit_volunteer_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('manager_approval', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('manager_decided_at', sa.DateTime(timezone=True), nullable=True))


    with op.batch_alter_table('kit_volunteer_profile', schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f('ck_kit_volunteer_profile_manager_approval'),
            "manager_approval IN ('pending', 'approved', 'declined')")

    with op.batch_alter_table('kit_session', schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f('ck_kit_session_approval_status'),
            "approval_status IN ('pending', 'approved', 'refused')")

    with op.batch_alter_table('kit_session_attendee', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_kit_session_attendee_response'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_kit_session_attendee_response'),
            "response IN ('invited', 'confirmed', 'declined', 'waitlisted', 'reschedule_requested')")


def downgrade() -> None:
    with op.batch_alter_table('kit_session_attendee', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_kit_session_attendee_response'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_kit_session_attendee_response'), "response IN ('invited', 'confirmed', 'declined', 'waitlisted')")

    with op.batch_alter_table('kit_session', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_kit_session_approval_status'), type_='check')

    with op.batch_alter_table('kit_volunteer_profile', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_kit_volunteer_profile_manager_approval'), type_='check')
    with op.batch_alter_table('kit_volunteer_profile', schema=None) as batch_op:
        batch_op.drop_column('manager_decided_at')
        batch_op.drop_column('manager_approval')

    with op.batch_alter_table('kit_session_attendee', schema=None) as batch_op:
        batch_op.drop_column('responded_at')
        batch_op.drop_column('response_note')

    with op.batch_alter_table('kit_session', schema=None) as batch_op:
        batch_op.drop_column('attendance_marked_at')
        batch_op.drop_column('attendance_nudged_at')
        batch_op.drop_column('reminder_queued_at')
        batch_op.drop_column('approval_decided_at')
        batch_op.drop_column('approver_email')
        batch_op.drop_column('approval_status')
        batch_op.drop_column('time_zone')

    with op.batch_alter_table('kit_outcome', schema=None) as batch_op:
        batch_op.drop_column('actor_id')

    with op.batch_alter_table('kit_hours_entry', schema=None) as batch_op:
        batch_op.drop_column('rejection_reason')
        batch_op.drop_column('confirmed_by_id')

    with op.batch_alter_table('kit_check_in', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_kit_check_in_concern_resolved_by_id_kit_staff_member'), type_='foreignkey')
        batch_op.drop_column('concern_resolved_by_id')
        batch_op.drop_column('concern_resolved_at')
        batch_op.drop_column('answers')

    with op.batch_alter_table('kit_connector_introduction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kit_connector_introduction_parent_id'))
        batch_op.drop_index(batch_op.f('ix_kit_connector_introduction_newcomer_id'))
        batch_op.drop_index(batch_op.f('ix_kit_connector_introduction_introduced_by_id'))
        batch_op.drop_index(batch_op.f('ix_kit_connector_introduction_from_session_id'))
        batch_op.drop_index(batch_op.f('ix_kit_connector_introduction_colleague_staff_id'))
        batch_op.drop_index('ix_kit_connector_introduction_colleague_email')

    op.drop_table('kit_connector_introduction')
    with op.batch_alter_table('kit_match_pair_rule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kit_match_pair_rule_volunteer_id'))
        batch_op.drop_index(batch_op.f('ix_kit_match_pair_rule_newcomer_id'))
        batch_op.drop_index(batch_op.f('ix_kit_match_pair_rule_cohort_id'))

    op.drop_table('kit_match_pair_rule')
    with op.batch_alter_table('kit_calendar_feed', schema=None) as batch_op:
        batch_op.drop_index('uq_kit_calendar_feed_live_staff', postgresql_where=sa.text('revoked_at IS NULL'), sqlite_where=sa.text('revoked_at IS NULL'))
        batch_op.drop_index('uq_kit_calendar_feed_live_newcomer', postgresql_where=sa.text('revoked_at IS NULL'), sqlite_where=sa.text('revoked_at IS NULL'))

    op.drop_table('kit_calendar_feed')
