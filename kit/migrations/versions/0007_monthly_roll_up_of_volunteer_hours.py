"""Monthly roll-up of volunteer hours (kit_hours_month), filled from the existing entries.

The first-day-of-the-month CHECK is written for each database by hand (autogenerate renders
both); the backfill is one INSERT ... SELECT over kit_hours_entry, the same sum as
``flask kit reports rebuild-rollup``.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 07:47:30.276741
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIRST_DAY = {
    'postgresql': 'EXTRACT(DAY FROM month) = 1',
    'sqlite': "strftime('%d', month) = '01'",
}
MONTH = {
    'postgresql': "CAST(date_trunc('month', e.worked_on) AS DATE)",
    'sqlite': "date(e.worked_on, 'start of month')",
}
# Pending and confirmed entries count; rejected ones count nowhere. 0 stands for no match and
# for no session. Hours are summed in hundredths, each entry rounded first (on SQLite, whose
# NUMERIC is floating point, 0.29 * 100 is 28.999...).
BACKFILL = """
    INSERT INTO kit_hours_month (staff_id, month, match_id, session_type_id,
                                 confirmed_hundredths, confirmed_entries, pending_hundredths,
                                 pending_entries)
    SELECT e.staff_id, {month}, COALESCE(e.match_id, 0), COALESCE(s.session_type_id, 0),
           COALESCE(SUM(CASE WHEN e.status = 'confirmed'
                             THEN CAST(ROUND(e.hours * 100) AS INTEGER) END), 0),
           COUNT(CASE WHEN e.status = 'confirmed' THEN 1 END),
           COALESCE(SUM(CASE WHEN e.status = 'pending'
                             THEN CAST(ROUND(e.hours * 100) AS INTEGER) END), 0),
           COUNT(CASE WHEN e.status = 'pending' THEN 1 END)
    FROM kit_hours_entry e LEFT JOIN kit_session s ON s.id = e.session_id
    WHERE e.status IN ('confirmed', 'pending')
    GROUP BY e.staff_id, {month}, COALESCE(e.match_id, 0), COALESCE(s.session_type_id, 0)
"""


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table('kit_hours_month',
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('match_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('session_type_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('confirmed_hundredths', sa.Integer(), nullable=False),
    sa.Column('confirmed_entries', sa.Integer(), nullable=False),
    sa.Column('pending_hundredths', sa.Integer(), nullable=False),
    sa.Column('pending_entries', sa.Integer(), nullable=False),
    sa.CheckConstraint(FIRST_DAY[dialect], name=op.f('ck_kit_hours_month_first_day')),
    sa.CheckConstraint('confirmed_entries >= 0 AND pending_entries >= 0', name=op.f('ck_kit_hours_month_entries')),
    sa.CheckConstraint('confirmed_hundredths BETWEEN confirmed_entries AND 2400 * confirmed_entries', name=op.f('ck_kit_hours_month_confirmed_hours')),
    sa.CheckConstraint('match_id >= 0 AND session_type_id >= 0', name=op.f('ck_kit_hours_month_keys')),
    sa.CheckConstraint('pending_hundredths BETWEEN pending_entries AND 2400 * pending_entries', name=op.f('ck_kit_hours_month_pending_hours')),
    sa.ForeignKeyConstraint(['staff_id'], ['kit_staff_member.id'], name=op.f('fk_kit_hours_month_staff_id_kit_staff_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('staff_id', 'month', 'match_id', 'session_type_id', name=op.f('pk_kit_hours_month'))
    )
    op.execute(BACKFILL.format(month=MONTH[dialect]))


def downgrade() -> None:
    op.drop_table('kit_hours_month')
