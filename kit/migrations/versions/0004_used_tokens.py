"""One-time values already spent (OIDC state and nonce), shared by every app host.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kit_used_token",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_kit_used_token")),
    )
    op.create_index(op.f("ix_kit_used_token_expires_at"), "kit_used_token", ["expires_at"])


def downgrade() -> None:
    op.drop_table("kit_used_token")
