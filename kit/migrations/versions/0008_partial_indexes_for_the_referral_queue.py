"""Partial indexes for the referral queue: referrals that others duplicate, erased newcomers.

Each holds only the few rows a query asks about (``IS NOT NULL``), so the queue's duplicate
badge and its count without erased people no longer scan every referral and newcomer.

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_kit_referral_duplicate_of", "kit_referral", ["duplicate_of_id"],
                    postgresql_where=sa.text("duplicate_of_id IS NOT NULL"),
                    sqlite_where=sa.text("duplicate_of_id IS NOT NULL"))
    op.create_index("ix_kit_newcomer_erased", "kit_newcomer", ["id"],
                    postgresql_where=sa.text("erased_at IS NOT NULL"),
                    sqlite_where=sa.text("erased_at IS NOT NULL"))


def downgrade() -> None:
    op.drop_index("ix_kit_newcomer_erased", table_name="kit_newcomer")
    op.drop_index("ix_kit_referral_duplicate_of", table_name="kit_referral")
