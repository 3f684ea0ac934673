"""What the coordinator reads before deciding: the referral queue and one referral in full.

Reading only; decisions are :func:`kit.services.referrals.decide_referral`. Drafts are the
agency's unfinished work and never appear here, nor do newcomers whose data was erased.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, Select, bindparam, case, exists, func, select
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from kit.models import (
    Agency,
    EligibilityResult,
    Newcomer,
    NewcomerDocument,
    Referral,
    ReferralStatusChange,
)
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


def _verdict() -> Any:
    # is_eligible() in SQL, one number per referral: 0 a criterion fails, 1 one is unknown,
    # 2 all pass, NULL when nothing was evaluated (the smallest wins, as in is_eligible).
    return (select(func.min(case((EligibilityResult.passed.is_(None), 1),
                                 (EligibilityResult.passed.is_(False), 0), else_=2)))
            .where(EligibilityResult.referral_id == Referral.id)
            .correlate(Referral).scalar_subquery())


VERDICTS = {0: False, 1: None, 2: True, None: None}


def _conditions(by_status: bool, by_agency: bool) -> list[Any]:
    conditions: list[Any] = [Referral.status != "draft"]
    if by_status:
        conditions.append(Referral.status == bindparam("status"))
    if by_agency:
        conditions.append(Referral.agency_id == bindparam("agency_id"))
    return conditions


# The queue's statements are built once per process for each combination of filters and order,
# with bound parameters: building and fingerprinting them cost more than running the count.


@functools.cache
def _count_statement(by_status: bool, by_agency: bool) -> Select[Any]:
    # Counted without joining every newcomer: only the erased ones need looking at (an
    # anti-join costs half the join on a queue of thousands).
    erased = exists().where(Newcomer.id == Referral.newcomer_id, Newcomer.erased_at.is_not(None))
    return (select(func.count()).select_from(Referral)
            .where(*_conditions(by_status, by_agency), ~erased))


@functools.cache
def _rows_statement(by_status: bool, by_agency: bool, sort: str,
                    descending: bool) -> Select[Any]:
    later = aliased(Referral)
    # A later referral points at the earlier one; both sides carry the badge. (Saying "not
    # null" lets a partial index of the few duplicates answer; a NULL never matches anyway.)
    flagged = exists().where(later.duplicate_of_id.is_not(None),
                             later.duplicate_of_id == Referral.id)
    order = [column.desc() if descending else column.asc() for column in SORTS[sort]]
    return (
        select(Referral.id, Referral.newcomer_id, Newcomer.preferred_name, Newcomer.given_name,
               Newcomer.family_name, Agency.name.label("agency_name"), Referral.status,
               Referral.submitted_at, _verdict().label("verdict"), Referral.duplicate_of_id,
               flagged.label("has_later"), Newcomer.target_noc_code,
               # Uncorrelated: counted once for the statement, not once per row.
               _count_statement(by_status, by_agency).correlate(None).scalar_subquery()
               .label("total"))
        .join(Newcomer, Newcomer.id == Referral.newcomer_id)
        .join(Agency, Agency.id == Referral.agency_id)
        .where(*_conditions(by_status, by_agency), Newcomer.erased_at.is_(None))
        .order_by(*order, Referral.id)
        .limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer))
    )


def referral_queue(db: Session, *, status: str = "submitted", agency_id: int | None = None,
                   sort: str = "submitted", descending: bool = False, page: int = 1,
                   page_size: int = 25) -> QueuePage:
    """Referrals with ``status`` ('all' for any) from one agency or all, one page of them.

    ``sort`` is a key of :data:`SORTS` (``oldest``/``newest`` still mean by submission date).
    The oldest come first by default: a queue is worked through in the order it filled.
    One statement: the page's rows as columns, with the eligibility verdict, the duplicate
    badge and the total worked out by the database; a page past the end (no row to carry the
    total) costs a count and the last page.
    """
    if sort in ("oldest", "newest"):
        sort, descending = "submitted", sort == "newest"
    if sort not in SORTS:
        sort = "submitted"
    by_status, by_agency = status != "all", agency_id is not None
    values: dict[str, Any] = {"status": status, "agency_id": agency_id}
    statement = _rows_statement(by_status, by_agency, sort, descending)
    page = max(page, 1)
    rows = db.execute(statement, {**values, "limit": page_size,
                                  "offset": (page - 1) * page_size}).all()
    if rows:
        total = rows[0].total
    else:
        total = db.scalar(_count_statement(by_status, by_agency), values) or 0
    pages = max(1, -(-total // page_size))
    if page > pages:  # past the end: the last page instead
        page = pages
        rows = db.execute(statement, {**values, "limit": page_size,
                                      "offset": (page - 1) * page_size}).all()
    return QueuePage(
        [QueueRow(r.id, r.newcomer_id,
                  Newcomer.name_of(r.preferred_name, r.given_name, r.family_name),
                  r.agency_name, r.status, r.submitted_at, VERDICTS[r.verdict],
                  r.duplicate_of_id is not None or bool(r.has_later), r.target_noc_code)
         for r in rows],
        page, pages, total)


def queue_agencies(db: Session) -> list[tuple[int, str]]:
    """The agencies to filter the queue by: every agency, by name."""
    return [(row.id, row.name) for row in db.execute(_agencies_statement())]


@functools.cache
def _agencies_statement() -> Select[Any]:
    return select(Agency.id, Agency.name).order_by(Agency.name)


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
