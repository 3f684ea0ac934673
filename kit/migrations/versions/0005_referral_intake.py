"""Referral intake: résumés, eligibility rules, API idempotency and rate windows.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 00:34:54.666754
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('kit_eligibility_rule',
    sa.Column('criterion', sa.String(length=40), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("criterion IN ('immigration_status', 'education_abroad', 'language_level', 'residence', 'job_search_workshop')", name=op.f('ck_kit_eligibility_rule_criterion')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['kit_staff_member.id'], name=op.f('fk_kit_eligibility_rule_updated_by_id_kit_staff_member'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('criterion', name=op.f('pk_kit_eligibility_rule'))
    )
    op.create_table('kit_api_rate_window',
    sa.Column('api_key_id', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['api_key_id'], ['kit_agency_api_key.id'], name=op.f('fk_kit_api_rate_window_api_key_id_kit_agency_api_key'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('api_key_id', 'window_start', name=op.f('pk_kit_api_rate_window'))
    )
    op.create_table('kit_idempotency_record',
    sa.Column('api_key_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('response_body', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['api_key_id'], ['kit_agency_api_key.id'], name=op.f('fk_kit_idempotency_record_api_key_id_kit_agency_api_key'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('api_key_id', 'key', name=op.f('pk_kit_idempotency_record'))
    )
    with op.batch_alter_table('kit_idempotency_record', schema=None) as batch_op:
        batch_op.create_index('ix_kit_idempotency_record_created_at', ['created_at'], unique=False)

    op.create_table('kit_newcomer_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('newcomer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=100), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('resume')", name=op.f('ck_kit_newcomer_document_kind')),
    sa.CheckConstraint('size > 0', name=op.f('ck_kit_newcomer_document_size_positive')),
    sa.ForeignKeyConstraint(['newcomer_id'], ['kit_newcomer.id'], name=op.f('fk_kit_newcomer_document_newcomer_id_kit_newcomer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_newcomer_document')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_kit_newcomer_document_storage_key'))
    )
    with op.batch_alter_table('kit_newcomer_document', schema=None) as batch_op:
        batch_op.create_index('ix_kit_newcomer_document_newcomer', ['newcomer_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('kit_newcomer_document', schema=None) as batch_op:
        batch_op.drop_index('ix_kit_newcomer_document_newcomer')

    op.drop_table('kit_newcomer_document')
    with op.batch_alter_table('kit_idempotency_record', schema=None) as batch_op:
        batch_op.drop_index('ix_kit_idempotency_record_created_at')

    op.drop_table('kit_idempotency_record')
    op.drop_table('kit_api_rate_window')
    op.drop_table('kit_eligibility_rule')
