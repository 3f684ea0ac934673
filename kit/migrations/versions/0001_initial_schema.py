"""Initial schema: every kit_ table.

Revision ID: 0001
Revises:
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('kit_agency',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('region', sa.String(length=100), nullable=True),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_agency')),
    sa.UniqueConstraint('name', name=op.f('uq_kit_agency_name'))
    )
    op.create_table('kit_audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_kind', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.String(length=64), nullable=True),
    sa.Column('action', sa.String(length=80), nullable=False),
    sa.Column('subject_type', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.String(length=40), nullable=False),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.Column('remote_addr', sa.String(length=45), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_audit_event'))
    )
    op.create_index('ix_kit_audit_event_action', 'kit_audit_event', ['action'], unique=False)
    op.create_index(op.f('ix_kit_audit_event_occurred_at'), 'kit_audit_event', ['occurred_at'], unique=False)
    op.create_index('ix_kit_audit_event_subject', 'kit_audit_event', ['subject_type', 'subject_id'], unique=False)

    op.create_table('kit_cohort',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('target_hours', sa.Numeric(precision=6, scale=2), server_default='24', nullable=False),
    sa.Column('is_open', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.CheckConstraint('ends_on > starts_on', name=op.f('ck_kit_cohort_dates')),
    sa.CheckConstraint('target_hours > 0', name=op.f('ck_kit_cohort_target_hours')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_cohort')),
    sa.UniqueConstraint('name', name=op.f('uq_kit_cohort_name'))
    )
    op.create_table('kit_occupation',
    sa.Column('code', sa.String(length=5), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('parent_code', sa.String(length=5), nullable=True),
    sa.Column('title_en', sa.String(length=255), nullable=False),
    sa.Column('title_fr', sa.String(length=255), nullable=False),
    sa.Column('teer', sa.Integer(), nullable=True),
    sa.CheckConstraint("level IN ('broad', 'major', 'submajor', 'minor', 'unit')", name=op.f('ck_kit_occupation_level')),
    sa.CheckConstraint('length(code) BETWEEN 1 AND 5', name=op.f('ck_kit_occupation_code_length')),
    sa.CheckConstraint('teer IS NULL OR (teer BETWEEN 0 AND 5)', name=op.f('ck_kit_occupation_teer_range')),
    sa.ForeignKeyConstraint(['parent_code'], ['kit_occupation.code'], name=op.f('fk_kit_occupation_parent_code_kit_occupation')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_kit_occupation'))
    )
    op.create_index('ix_kit_occupation_level', 'kit_occupation', ['level'], unique=False)
    op.create_index(op.f('ix_kit_occupation_parent_code'), 'kit_occupation', ['parent_code'], unique=False)

    op.create_table('kit_outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recipient', sa.String(length=320), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=True),
    sa.Column('ical', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('dedupe_key', sa.String(length=200), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'sent', 'failed')", name=op.f('ck_kit_outbox_message_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_outbox_message')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_kit_outbox_message_dedupe_key'))
    )
    op.create_index(op.f('ix_kit_outbox_message_next_attempt_at'), 'kit_outbox_message', ['next_attempt_at'], unique=False)
    op.create_index('ix_kit_outbox_message_status_next_attempt', 'kit_outbox_message', ['status', 'next_attempt_at'], unique=False)

    op.create_table('kit_session_type',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('default_minutes', sa.Integer(), nullable=False),
    sa.Column('is_group', sa.Boolean(), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.CheckConstraint('default_minutes > 0', name=op.f('ck_kit_session_type_default_minutes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_session_type')),
    sa.UniqueConstraint('code', name=op.f('uq_kit_session_type_code'))
    )
    op.create_table('kit_staff_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('directory_id', sa.String(length=255), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('department', sa.String(length=200), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('work_location', sa.String(length=200), nullable=True),
    sa.Column('employee_number', sa.String(length=64), nullable=True),
    sa.Column('preferred_locale', sa.String(length=5), server_default='en', nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('manager_directory_id', sa.String(length=255), nullable=True),
    sa.Column('last_sign_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('inactive_since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("preferred_locale IN ('en', 'fr')", name=op.f('ck_kit_staff_member_preferred_locale')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_staff_member')),
    sa.UniqueConstraint('directory_id', name=op.f('uq_kit_staff_member_directory_id')),
    sa.UniqueConstraint('email', name=op.f('uq_kit_staff_member_email'))
    )
    op.create_index('ix_kit_staff_member_manager', 'kit_staff_member', ['manager_directory_id'], unique=False)

    op.create_table('kit_agency_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('preferred_locale', sa.String(length=5), server_default='en', nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_sign_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("preferred_locale IN ('en', 'fr')", name=op.f('ck_kit_agency_user_preferred_locale')),
    sa.ForeignKeyConstraint(['agency_id'], ['kit_agency.id'], name=op.f('fk_kit_agency_user_agency_id_kit_agency'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_agency_user')),
    sa.UniqueConstraint('email', name=op.f('uq_kit_agency_user_email'))
    )
    op.create_index(op.f('ix_kit_agency_user_agency_id'), 'kit_agency_user', ['agency_id'], unique=False)

    op.create_table('kit_newcomer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('given_name', sa.String(length=200), nullable=False),
    sa.Column('family_name', sa.String(length=200), nullable=True),
    sa.Column('preferred_name', sa.String(length=200), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('preferred_locale', sa.String(length=5), server_default='en', nullable=False),
    sa.Column('immigration_status', sa.String(length=30), nullable=False),
    sa.Column('country_of_education', sa.String(length=2), nullable=True),
    sa.Column('highest_credential', sa.String(length=200), nullable=True),
    sa.Column('target_noc_code', sa.String(length=5), nullable=True),
    sa.Column('years_experience', sa.Integer(), nullable=True),
    sa.Column('naics_sector', sa.String(length=5), nullable=True),
    sa.Column('career_goal', sa.Text(), nullable=False),
    sa.Column('residence_area', sa.String(length=100), nullable=True),
    sa.Column('language_test', sa.String(length=4), nullable=True),
    sa.Column('clb_listening', sa.Integer(), nullable=True),
    sa.Column('clb_speaking', sa.Integer(), nullable=True),
    sa.Column('clb_reading', sa.Integer(), nullable=True),
    sa.Column('clb_writing', sa.Integer(), nullable=True),
    sa.Column('job_search_workshop_completed', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('availability_note', sa.String(length=500), nullable=True),
    sa.Column('consent_version', sa.String(length=20), nullable=True),
    sa.Column('consent_given_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("immigration_status IN ('permanent_resident', 'convention_refugee', 'protected_person', 'citizen', 'work_permit', 'other')", name=op.f('ck_kit_newcomer_immigration_status')),
    sa.CheckConstraint("language_test IN ('CLB', 'NCLC')", name=op.f('ck_kit_newcomer_language_test')),
    sa.CheckConstraint("preferred_locale IN ('en', 'fr')", name=op.f('ck_kit_newcomer_preferred_locale')),
    sa.CheckConstraint('clb_listening BETWEEN 1 AND 12', name=op.f('ck_kit_newcomer_clb_listening')),
    sa.CheckConstraint('clb_reading BETWEEN 1 AND 12', name=op.f('ck_kit_newcomer_clb_reading')),
    sa.CheckConstraint('clb_speaking BETWEEN 1 AND 12', name=op.f('ck_kit_newcomer_clb_speaking')),
    sa.CheckConstraint('clb_writing BETWEEN 1 AND 12', name=op.f('ck_kit_newcomer_clb_writing')),
    sa.CheckConstraint('years_experience >= 0', name=op.f('ck_kit_newcomer_years_experience')),
    sa.ForeignKeyConstraint(['target_noc_code'], ['kit_occupation.code'], name=op.f('fk_kit_newcomer_target_noc_code_kit_occupation'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_newcomer'))
    )
    op.create_index(op.f('ix_kit_newcomer_email'), 'kit_newcomer', ['email'], unique=False)
    op.create_index(op.f('ix_kit_newcomer_phone'), 'kit_newcomer', ['phone'], unique=False)
    op.create_index(op.f('ix_kit_newcomer_target_noc_code'), 'kit_newcomer', ['target_noc_code'], unique=False)

    op.create_table('kit_staff_role',
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.CheckConstraint("role IN ('coordinator', 'admin')", name=op.f('ck_kit_staff_role_role')),
    sa.ForeignKeyConstraint(['staff_id'], ['kit_staff_member.id'], name=op.f('fk_kit_staff_role_staff_id_kit_staff_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('staff_id', 'role', name=op.f('pk_kit_staff_role'))
    )
    op.create_table('kit_volunteer_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('noc_code', sa.String(length=5), nullable=False),
    sa.Column('naics_sector', sa.String(length=5), nullable=True),
    sa.Column('years_experience', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('offers_one_on_one', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('offers_connector', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('offers_group', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('goals_text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('commitment_acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('orientation_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'approved', 'paused', 'withdrawn')", name=op.f('ck_kit_volunteer_profile_status')),
    sa.CheckConstraint('capacity BETWEEN 1 AND 3', name=op.f('ck_kit_volunteer_profile_capacity')),
    sa.CheckConstraint('years_experience >= 0', name=op.f('ck_kit_volunteer_profile_years_experience')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['kit_staff_member.id'], name=op.f('fk_kit_volunteer_profile_approved_by_id_kit_staff_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['noc_code'], ['kit_occupation.code'], name=op.f('fk_kit_volunteer_profile_noc_code_kit_occupation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['staff_id'], ['kit_staff_member.id'], name=op.f('fk_kit_volunteer_profile_staff_id_kit_staff_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_volunteer_profile')),
    sa.UniqueConstraint('staff_id', name=op.f('uq_kit_volunteer_profile_staff_id'))
    )
    op.create_index('ix_kit_volunteer_profile_status_noc', 'kit_volunteer_profile', ['status', 'noc_code'], unique=False)

    op.create_table('kit_availability_window',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=True),
    sa.Column('newcomer_id', sa.Integer(), nullable=True),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('start_minute', sa.Integer(), nullable=False),
    sa.Column('end_minute', sa.Integer(), nullable=False),
    sa.CheckConstraint('(volunteer_id IS NOT NULL AND newcomer_id IS NULL) OR (volunteer_id IS NULL AND newcomer_id IS NOT NULL)', name=op.f('ck_kit_availability_window_one_owner')),
    sa.CheckConstraint('start_minute >= 0 AND start_minute < end_minute AND end_minute <= 1440', name=op.f('ck_kit_availability_window_minutes')),
    sa.CheckConstraint('weekday BETWEEN 0 AND 6', name=op.f('ck_kit_availability_window_weekday')),
    sa.ForeignKeyConstraint(['newcomer_id'], ['kit_newcomer.id'], name=op.f('fk_kit_availability_window_newcomer_id_kit_newcomer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['volunteer_id'], ['kit_volunteer_profile.id'], name=op.f('fk_kit_availability_window_volunteer_id_kit_volunteer_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_availability_window'))
    )
    op.create_index(op.f('ix_kit_availability_window_newcomer_id'), 'kit_availability_window', ['newcomer_id'], unique=False)
    op.create_index(op.f('ix_kit_availability_window_volunteer_id'), 'kit_availability_window', ['volunteer_id'], unique=False)

    op.create_table('kit_match',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=True),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('newcomer_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('score', sa.Double(), nullable=True),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('mentor_responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('newcomer_responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decline_reason', sa.String(length=500), nullable=True),
    sa.Column('started_on', sa.Date(), nullable=True),
    sa.Column('planned_end_on', sa.Date(), nullable=True),
    sa.Column('target_hours', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('goals', sa.Text(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('close_reason', sa.String(length=30), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("close_reason IN ('completed', 'ended_by_mentor', 'ended_by_newcomer', 'ended_by_coordinator')", name=op.f('ck_kit_match_close_reason')),
    sa.CheckConstraint("status IN ('proposed', 'mentor_accepted', 'active', 'closed', 'declined')", name=op.f('ck_kit_match_status')),
    sa.CheckConstraint('planned_end_on > started_on', name=op.f('ck_kit_match_planned_end')),
    sa.CheckConstraint('target_hours > 0', name=op.f('ck_kit_match_target_hours')),
    sa.ForeignKeyConstraint(['cohort_id'], ['kit_cohort.id'], name=op.f('fk_kit_match_cohort_id_kit_cohort'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['newcomer_id'], ['kit_newcomer.id'], name=op.f('fk_kit_match_newcomer_id_kit_newcomer'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['kit_staff_member.id'], name=op.f('fk_kit_match_proposed_by_id_kit_staff_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['volunteer_id'], ['kit_volunteer_profile.id'], name=op.f('fk_kit_match_volunteer_id_kit_volunteer_profile'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_match'))
    )
    op.create_index(op.f('ix_kit_match_cohort_id'), 'kit_match', ['cohort_id'], unique=False)
    op.create_index('ix_kit_match_newcomer_status', 'kit_match', ['newcomer_id', 'status'], unique=False)
    op.create_index('ix_kit_match_status', 'kit_match', ['status'], unique=False)
    op.create_index('ix_kit_match_volunteer_status', 'kit_match', ['volunteer_id', 'status'], unique=False)
    op.create_index('uq_kit_match_open_pair', 'kit_match', ['volunteer_id', 'newcomer_id'], unique=True, postgresql_where=sa.text("status IN ('proposed', 'mentor_accepted', 'active')"), sqlite_where=sa.text("status IN ('proposed', 'mentor_accepted', 'active')"))

    op.create_table('kit_newcomer_language',
    sa.Column('newcomer_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['newcomer_id'], ['kit_newcomer.id'], name=op.f('fk_kit_newcomer_language_newcomer_id_kit_newcomer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('newcomer_id', 'language', name=op.f('pk_kit_newcomer_language'))
    )
    op.create_table('kit_newcomer_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('newcomer_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['newcomer_id'], ['kit_newcomer.id'], name=op.f('fk_kit_newcomer_link_newcomer_id_kit_newcomer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_newcomer_link'))
    )
    op.create_index(op.f('ix_kit_newcomer_link_newcomer_id'), 'kit_newcomer_link', ['newcomer_id'], unique=False)

    op.create_table('kit_referral',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('newcomer_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('referred_by_id', sa.Integer(), nullable=True),
    sa.Column('cohort_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('reason_codes', sa.JSON(), nullable=True),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'accepted', 'referred_back', 'withdrawn')", name=op.f('ck_kit_referral_status')),
    sa.ForeignKeyConstraint(['agency_id'], ['kit_agency.id'], name=op.f('fk_kit_referral_agency_id_kit_agency'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['cohort_id'], ['kit_cohort.id'], name=op.f('fk_kit_referral_cohort_id_kit_cohort'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['kit_staff_member.id'], name=op.f('fk_kit_referral_decided_by_id_kit_staff_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['kit_referral.id'], name=op.f('fk_kit_referral_duplicate_of_id_kit_referral'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['newcomer_id'], ['kit_newcomer.id'], name=op.f('fk_kit_referral_newcomer_id_kit_newcomer'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['referred_by_id'], ['kit_agency_user.id'], name=op.f('fk_kit_referral_referred_by_id_kit_agency_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_referral'))
    )
    op.create_index('ix_kit_referral_agency_status', 'kit_referral', ['agency_id', 'status'], unique=False)
    op.create_index(op.f('ix_kit_referral_cohort_id'), 'kit_referral', ['cohort_id'], unique=False)
    op.create_index(op.f('ix_kit_referral_newcomer_id'), 'kit_referral', ['newcomer_id'], unique=False)
    op.create_index('ix_kit_referral_status_submitted', 'kit_referral', ['status', 'submitted_at'], unique=False)

    op.create_table('kit_volunteer_language',
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['volunteer_id'], ['kit_volunteer_profile.id'], name=op.f('fk_kit_volunteer_language_volunteer_id_kit_volunteer_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('volunteer_id', 'language', name=op.f('pk_kit_volunteer_language'))
    )
    op.create_table('kit_check_in',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('match_id', sa.Integer(), nullable=False),
    sa.Column('respondent', sa.String(length=10), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('satisfaction', sa.Integer(), nullable=True),
    sa.Column('went_well', sa.Text(), nullable=True),
    sa.Column('concerns', sa.Text(), nullable=True),
    sa.Column('has_concern', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("respondent IN ('mentor', 'newcomer')", name=op.f('ck_kit_check_in_respondent')),
    sa.CheckConstraint('satisfaction BETWEEN 1 AND 5', name=op.f('ck_kit_check_in_satisfaction')),
    sa.ForeignKeyConstraint(['match_id'], ['kit_match.id'], name=op.f('fk_kit_check_in_match_id_kit_match'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_check_in')),
    sa.UniqueConstraint('match_id', 'respondent', 'period_start', name=op.f('uq_kit_check_in_match_id_respondent_period_start'))
    )
    op.create_index(op.f('ix_kit_check_in_period_start'), 'kit_check_in', ['period_start'], unique=False)

    op.create_table('kit_eligibility_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('criterion', sa.String(length=40), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('evaluated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['referral_id'], ['kit_referral.id'], name=op.f('fk_kit_eligibility_result_referral_id_kit_referral'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_eligibility_result')),
    sa.UniqueConstraint('referral_id', 'criterion', name=op.f('uq_kit_eligibility_result_referral_id_criterion'))
    )
    op.create_table('kit_match_status_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('match_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_kind', sa.String(length=20), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('agency_user_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint("actor_kind IN ('staff', 'agency', 'newcomer', 'system')", name=op.f('ck_kit_match_status_change_actor_kind')),
    sa.CheckConstraint("from_status IN ('proposed', 'mentor_accepted', 'active', 'closed', 'declined')", name=op.f('ck_kit_match_status_change_from_status')),
    sa.CheckConstraint("to_status IN ('proposed', 'mentor_accepted', 'active', 'closed', 'declined')", name=op.f('ck_kit_match_status_change_to_status')),
    sa.ForeignKeyConstraint(['agency_user_id'], ['kit_agency_user.id'], name=op.f('fk_kit_match_status_change_agency_user_id_kit_agency_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['match_id'], ['kit_match.id'], name=op.f('fk_kit_match_status_change_match_id_kit_match'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['kit_staff_member.id'], name=op.f('fk_kit_match_status_change_staff_id_kit_staff_member'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_match_status_change'))
    )
    op.create_index(op.f('ix_kit_match_status_change_match_id'), 'kit_match_status_change', ['match_id'], unique=False)

    op.create_table('kit_outcome',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('newcomer_id', sa.Integer(), nullable=False),
    sa.Column('match_id', sa.Integer(), nullable=True),
    sa.Column('interval', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('employed_since', sa.Date(), nullable=True),
    sa.Column('noc_code', sa.String(length=5), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_kind', sa.String(length=20), nullable=False),
    sa.CheckConstraint("actor_kind IN ('staff', 'agency', 'newcomer', 'system')", name=op.f('ck_kit_outcome_actor_kind')),
    sa.CheckConstraint("status IN ('employed_in_field', 'employed_related', 'employed_outside', 'in_school', 'searching', 'unknown')", name=op.f('ck_kit_outcome_status')),
    sa.CheckConstraint('"interval" IN (\'close\', \'3m\', \'6m\', \'12m\')', name=op.f('ck_kit_outcome_interval')),
    sa.ForeignKeyConstraint(['match_id'], ['kit_match.id'], name=op.f('fk_kit_outcome_match_id_kit_match'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['newcomer_id'], ['kit_newcomer.id'], name=op.f('fk_kit_outcome_newcomer_id_kit_newcomer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['noc_code'], ['kit_occupation.code'], name=op.f('fk_kit_outcome_noc_code_kit_occupation'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_outcome')),
    sa.UniqueConstraint('newcomer_id', 'match_id', 'interval', name=op.f('uq_kit_outcome_newcomer_id_match_id_interval'))
    )
    op.create_index('ix_kit_outcome_interval_status', 'kit_outcome', ['interval', 'status'], unique=False)
    op.create_index(op.f('ix_kit_outcome_match_id'), 'kit_outcome', ['match_id'], unique=False)

    op.create_table('kit_referral_status_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_kind', sa.String(length=20), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('agency_user_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint("actor_kind IN ('staff', 'agency', 'newcomer', 'system')", name=op.f('ck_kit_referral_status_change_actor_kind')),
    sa.CheckConstraint("from_status IN ('draft', 'submitted', 'accepted', 'referred_back', 'withdrawn')", name=op.f('ck_kit_referral_status_change_from_status')),
    sa.CheckConstraint("to_status IN ('draft', 'submitted', 'accepted', 'referred_back', 'withdrawn')", name=op.f('ck_kit_referral_status_change_to_status')),
    sa.ForeignKeyConstraint(['agency_user_id'], ['kit_agency_user.id'], name=op.f('fk_kit_referral_status_change_agency_user_id_kit_agency_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['referral_id'], ['kit_referral.id'], name=op.f('fk_kit_referral_status_change_referral_id_kit_referral'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['kit_staff_member.id'], name=op.f('fk_kit_referral_status_change_staff_id_kit_staff_member'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_referral_status_change'))
    )
    op.create_index(op.f('ix_kit_referral_status_change_referral_id'), 'kit_referral_status_change', ['referral_id'], unique=False)

    op.create_table('kit_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=255), nullable=False),
    sa.Column('sequence', sa.Integer(), server_default='0', nullable=False),
    sa.Column('match_id', sa.Integer(), nullable=True),
    sa.Column('session_type_id', sa.Integer(), nullable=False),
    sa.Column('organizer_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('location_building', sa.String(length=200), nullable=True),
    sa.Column('location_room', sa.String(length=100), nullable=True),
    sa.Column('location_address', sa.String(length=300), nullable=True),
    sa.Column('online_url', sa.String(length=500), nullable=True),
    sa.Column('host_department', sa.String(length=200), nullable=True),
    sa.Column('visitor_instructions', sa.Text(), nullable=True),
    sa.Column('confidentiality_note', sa.Text(), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('cancel_reason', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("status IN ('scheduled', 'confirmed', 'cancelled', 'attended', 'no_show')", name=op.f('ck_kit_session_status')),
    sa.CheckConstraint('capacity > 0', name=op.f('ck_kit_session_capacity')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_kit_session_ends_after_start')),
    sa.ForeignKeyConstraint(['match_id'], ['kit_match.id'], name=op.f('fk_kit_session_match_id_kit_match'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organizer_id'], ['kit_staff_member.id'], name=op.f('fk_kit_session_organizer_id_kit_staff_member'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['session_type_id'], ['kit_session_type.id'], name=op.f('fk_kit_session_session_type_id_kit_session_type'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_session')),
    sa.UniqueConstraint('uid', name=op.f('uq_kit_session_uid'))
    )
    op.create_index('ix_kit_session_match_starts_at', 'kit_session', ['match_id', 'starts_at'], unique=False)
    op.create_index(op.f('ix_kit_session_organizer_id'), 'kit_session', ['organizer_id'], unique=False)
    op.create_index(op.f('ix_kit_session_session_type_id'), 'kit_session', ['session_type_id'], unique=False)
    op.create_index('ix_kit_session_starts_at', 'kit_session', ['starts_at'], unique=False)

    op.create_table('kit_hours_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('match_id', sa.Integer(), nullable=True),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('worked_on', sa.Date(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_by_kind', sa.String(length=20), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("category IN ('session', 'preparation', 'correspondence', 'event', 'other')", name=op.f('ck_kit_hours_entry_category')),
    sa.CheckConstraint("confirmed_by_kind IN ('staff', 'agency', 'newcomer', 'system')", name=op.f('ck_kit_hours_entry_confirmed_by_kind')),
    sa.CheckConstraint("status IN ('pending', 'confirmed', 'rejected')", name=op.f('ck_kit_hours_entry_status')),
    sa.CheckConstraint('hours > 0 AND hours <= 24', name=op.f('ck_kit_hours_entry_hours_range')),
    sa.ForeignKeyConstraint(['match_id'], ['kit_match.id'], name=op.f('fk_kit_hours_entry_match_id_kit_match'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['kit_session.id'], name=op.f('fk_kit_hours_entry_session_id_kit_session'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['staff_id'], ['kit_staff_member.id'], name=op.f('fk_kit_hours_entry_staff_id_kit_staff_member'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_hours_entry')),
    sa.UniqueConstraint('session_id', 'staff_id', name=op.f('uq_kit_hours_entry_session_id_staff_id'))
    )
    op.create_index(op.f('ix_kit_hours_entry_match_id'), 'kit_hours_entry', ['match_id'], unique=False)
    op.create_index('ix_kit_hours_entry_staff_worked_on', 'kit_hours_entry', ['staff_id', 'worked_on'], unique=False)
    op.create_index('ix_kit_hours_entry_worked_on', 'kit_hours_entry', ['worked_on'], unique=False)

    op.create_table('kit_session_attendee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('newcomer_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('response', sa.String(length=20), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.CheckConstraint("response IN ('invited', 'confirmed', 'declined', 'waitlisted')", name=op.f('ck_kit_session_attendee_response')),
    sa.CheckConstraint("role IN ('mentor', 'newcomer', 'colleague')", name=op.f('ck_kit_session_attendee_role')),
    sa.CheckConstraint('(staff_id IS NOT NULL AND newcomer_id IS NULL) OR (staff_id IS NULL AND newcomer_id IS NOT NULL)', name=op.f('ck_kit_session_attendee_one_person')),
    sa.ForeignKeyConstraint(['newcomer_id'], ['kit_newcomer.id'], name=op.f('fk_kit_session_attendee_newcomer_id_kit_newcomer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['kit_session.id'], name=op.f('fk_kit_session_attendee_session_id_kit_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['kit_staff_member.id'], name=op.f('fk_kit_session_attendee_staff_id_kit_staff_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_session_attendee')),
    sa.UniqueConstraint('session_id', 'newcomer_id', name=op.f('uq_kit_session_attendee_session_id_newcomer_id')),
    sa.UniqueConstraint('session_id', 'staff_id', name=op.f('uq_kit_session_attendee_session_id_staff_id'))
    )
    op.create_index(op.f('ix_kit_session_attendee_newcomer_id'), 'kit_session_attendee', ['newcomer_id'], unique=False)
    op.create_index(op.f('ix_kit_session_attendee_staff_id'), 'kit_session_attendee', ['staff_id'], unique=False)

    op.create_table('kit_hours_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('worked_on', sa.Date(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_kind', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.String(length=64), nullable=True),
    sa.CheckConstraint("actor_kind IN ('staff', 'agency', 'newcomer', 'system')", name=op.f('ck_kit_hours_revision_actor_kind')),
    sa.ForeignKeyConstraint(['entry_id'], ['kit_hours_entry.id'], name=op.f('fk_kit_hours_revision_entry_id_kit_hours_entry'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_hours_revision'))
    )
    op.create_index(op.f('ix_kit_hours_revision_entry_id'), 'kit_hours_revision', ['entry_id'], unique=False)



def downgrade() -> None:
    # Tables go in reverse dependency order; their indexes go with them.
    op.drop_table('kit_hours_revision')
    op.drop_table('kit_session_attendee')
    op.drop_table('kit_hours_entry')
    op.drop_table('kit_session')
    op.drop_table('kit_referral_status_change')
    op.drop_table('kit_outcome')
    op.drop_table('kit_match_status_change')
    op.drop_table('kit_eligibility_result')
    op.drop_table('kit_check_in')
    op.drop_table('kit_volunteer_language')
    op.drop_table('kit_referral')
    op.drop_table('kit_newcomer_link')
    op.drop_table('kit_newcomer_language')
    op.drop_table('kit_match')
    op.drop_table('kit_availability_window')
    op.drop_table('kit_volunteer_profile')
    op.drop_table('kit_staff_role')
    op.drop_table('kit_newcomer')
    op.drop_table('kit_agency_user')
    op.drop_table('kit_staff_member')
    op.drop_table('kit_session_type')
    op.drop_table('kit_outbox_message')
    op.drop_table('kit_occupation')
    op.drop_table('kit_cohort')
    op.drop_table('kit_audit_event')
    op.drop_table('kit_agency')
