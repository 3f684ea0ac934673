"""Agency API keys: hashed, scoped, revocable.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kit_agency_api_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("prefix", sa.String(length=8), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("length(prefix) = 8",
                           name=op.f("ck_kit_agency_api_key_prefix_length")),
        sa.ForeignKeyConstraint(["agency_id"], ["kit_agency.id"],
                                name=op.f("fk_kit_agency_api_key_agency_id_kit_agency"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["kit_staff_member.id"],
            name=op.f("fk_kit_agency_api_key_created_by_id_kit_staff_member"),
            ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kit_agency_api_key")),
        sa.UniqueConstraint("prefix", name=op.f("uq_kit_agency_api_key_prefix")),
    )
    op.create_index("ix_kit_agency_api_key_agency", "kit_agency_api_key", ["agency_id"])


def downgrade() -> None:
    op.drop_table("kit_agency_api_key")
