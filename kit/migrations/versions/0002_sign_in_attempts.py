"""Sign-in attempts, for throttling failed sign-ins across app hosts.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kit_sign_in_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("account_key", sa.String(length=64), nullable=False),
        sa.Column("remote_addr", sa.String(length=45), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kit_sign_in_attempt")),
    )
    op.create_index("ix_kit_sign_in_attempt_account", "kit_sign_in_attempt",
                    ["account_key", "occurred_at"])
    op.create_index("ix_kit_sign_in_attempt_address", "kit_sign_in_attempt",
                    ["remote_addr", "occurred_at"])


def downgrade() -> None:
    op.drop_table("kit_sign_in_attempt")
