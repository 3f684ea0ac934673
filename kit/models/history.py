"""What every status history row records: the step, when, and who took it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from kit.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from kit.models.agencies import AgencyUser
    from kit.models.people import StaffMember


class StatusChangeMixin:
    """Columns shared by the referral and match histories (the subject's FK is the table's own)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_kind: Mapped[str] = mapped_column(String(20))
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("kit_staff_member.id", ondelete="SET NULL")
    )
    agency_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("kit_agency_user.id", ondelete="SET NULL")
    )
    note: Mapped[str | None] = mapped_column(Text)

    @declared_attr
    def staff(cls) -> Mapped[StaffMember | None]:
        return relationship("StaffMember")

    @declared_attr
    def agency_user(cls) -> Mapped[AgencyUser | None]:
        return relationship("AgencyUser")
