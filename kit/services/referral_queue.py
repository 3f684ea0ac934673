"""What the coordinator reads before deciding: the referral queue and one referral in full.

Reading only; decisions are :func:`kit.services.referrals.decide_referral`. Drafts are the
agency's unfinished work and never appear here, nor do newcomers whose data was erased.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from kit.eligibility import is_eligible
from kit.models import Agency, Newcomer, NewcomerDocument, Referral, ReferralStatusChange
from kit.models.referrals import REFERRAL_STATUSES
from kit.services.documents import resume_of
from kit.services.referrals import find_duplicates

#: Statuses a coordinator can filter the queue by ("all" shows every one of them).
QUEUE_STATUSES = tuple(status for status in REFERRAL_STATUSES if status != "draft")
#: Columns the queue can be sorted by, each an ORDER BY of its own (never text from a request).
SORTS = {
    "newcomer": (Newcomer.given_name, Newcomer.family_name),
    "agency": (Agency.name,),
    "submitted": (Referral.submitted_at,),
    "status": (Referral.status,),
}


@dataclass(frozen=True)
class QueueRow:
    """One referral in the coordinator's queue."""

    id: int
    newcomer_id: int
    newcomer_name: str
    agency_name: str
    status: str
    submitted_at: datetime | None
    eligible: bool | None
    possible_duplicate: bool
    noc_code: str | None


@dataclass(frozen=True)
class QueuePage:
    """A page of the queue with what the pager needs."""

    rows: list[QueueRow]
    page: int
    pages: int
    total: int


def _visible() -> list[object]:
    return [Referral.status != "draft", Newcomer.erased_at.is_(None)]


def referral_queue(db: Session, *, status: str = "submitted", agency_id: int | None = None,
                   sort: str = "submitted", descending: bool = False, page: int = 1,
                   page_size: int = 25) -> QueuePage:
    """Referrals with ``status`` ('all' for any) from one agency or all, one page of them.

    ``sort`` is a key of :data:`SORTS` (``oldest``/``newest`` still mean by submission date).
    The oldest come first by default: a queue is worked through in the order it filled.
    """
    if sort in ("oldest", "newest"):
        sort, descending = "submitted", sort == "newest"
    later = aliased(Referral)
    conditions = _visible()
    if status != "all":
        conditions.append(Referral.status == status)
    if agency_id is not None:
        conditions.append(Referral.agency_id == agency_id)
    base = (select(Referral).join(Newcomer, Newcomer.id == Referral.newcomer_id)
            .join(Agency, Agency.id == Referral.agency_id).where(*conditions))
    total = db.scalar(select(func.count()).select_from(base.subquery())) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(page, 1), pages)
    columns = SORTS.get(sort, SORTS["submitted"])
    order = [column.desc() if descending else column.asc() for column in columns]
    # A later referral points at the earlier one; both sides carry the badge.
    flagged = exists().where(later.duplicate_of_id == Referral.id)
    rows = db.execute(
        base.add_columns(flagged)
        .options(selectinload(Referral.newcomer), selectinload(Referral.agency),
                 selectinload(Referral.eligibility_results))
        .order_by(*order, Referral.id).limit(page_size).offset((page - 1) * page_size)
    ).all()
    return QueuePage(
        [QueueRow(r.id, r.newcomer_id, r.newcomer.display_name, r.agency.name, r.status,
                  r.submitted_at,
                  is_eligible(r.eligibility_results) if r.eligibility_results else None,
                  r.duplicate_of_id is not None or bool(has_later), r.newcomer.target_noc_code)
         for r, has_later in rows],
        page, pages, total)


def queue_agencies(db: Session) -> list[tuple[int, str]]:
    """The agencies to filter the queue by: every agency, by name."""
    return [(row.id, row.name) for row in db.execute(
        select(Agency.id, Agency.name).order_by(Agency.name))]


@dataclass(frozen=True)
class ReferralFile:
    """One referral as the coordinator reads it, with what looks like the same person."""

    referral: Referral
    duplicates: list[Referral]
    resume: NewcomerDocument | None


def referral_file(db: Session, referral_id: int) -> ReferralFile | None:
    """The referral with its duplicates and résumé; None when the coordinator may not see it."""
    # The history names who made each change: one query for all of them, not one per row.
    referral = db.scalar(
        select(Referral).join(Newcomer, Newcomer.id == Referral.newcomer_id)
        .where(Referral.id == referral_id, *_visible())
        .options(selectinload(Referral.status_changes).options(
            joinedload(ReferralStatusChange.staff), joinedload(ReferralStatusChange.agency_user))))
    if referral is None:
        return None
    duplicates = [other for other in find_duplicates(db, referral.newcomer)
                  if other.status != "draft"]
    return ReferralFile(referral, duplicates, resume_of(db, referral.newcomer_id))
