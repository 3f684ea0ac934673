"""What keeps the agencies' API safe to call: idempotent retries, a per-key rate limit, and
reads confined to the calling agency.

Everything lives in the database, not in process memory, so that it holds across app hosts and
worker processes.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Integer, Select, bindparam, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from kit.models import Newcomer, Referral, ReferralStatusChange
from kit.models.base import utcnow
from kit.models.intake import ApiRateWindow, IdempotencyRecord

#: How long a stored answer is replayed; after that the Idempotency-Key may be used again.
IDEMPOTENCY_TTL = timedelta(hours=24)
RATE_WINDOW = timedelta(minutes=1)


class IdempotencyError(Exception):
    """The Idempotency-Key cannot be used for this request; ``code`` is stable for the API."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Replay:
    """The stored first answer to a request that is being retried."""

    status_code: int
    body: Any


def reserve_idempotency_key(db: Session, api_key_id: int, key: str,
                            request_hash: str) -> IdempotencyRecord | Replay:
    """Reserve ``key`` for this request, or return the first answer when it is a retry.

    The reservation is the first write of the caller's transaction: a concurrent request with
    the same key waits on the primary key until this transaction ends, then sees the stored
    answer. Raises :class:`IdempotencyError` ('idempotency_key_reused') when the key was used
    with another request. The caller completes the record and commits, or rolls back (which
    frees the key).
    """
    for _attempt in range(3):
        existing = db.scalar(
            select(IdempotencyRecord).where(IdempotencyRecord.api_key_id == api_key_id,
                                            IdempotencyRecord.key == key)
            .execution_options(populate_existing=True))
        if existing is not None and existing.created_at < utcnow() - IDEMPOTENCY_TTL:
            existing = None  # expired: deleted below, the key is free again
        if existing is not None:
            if existing.request_hash != request_hash:
                raise IdempotencyError("idempotency_key_reused")
            if existing.status_code is None:  # pragma: no cover - never committed incomplete
                raise IdempotencyError("idempotency_in_progress")
            return Replay(existing.status_code, existing.response_body)
        # This key's answers past the replay period go now, so the table stays small.
        db.execute(delete(IdempotencyRecord).where(
            IdempotencyRecord.api_key_id == api_key_id,
            IdempotencyRecord.created_at < utcnow() - IDEMPOTENCY_TTL))
        record = IdempotencyRecord(api_key_id=api_key_id, key=key, request_hash=request_hash,
                                   created_at=utcnow())
        db.add(record)
        try:
            db.flush()
        except IntegrityError:
            # Another request with this key committed first: read its answer on the next turn.
            db.rollback()
            continue
        return record
    raise IdempotencyError("idempotency_in_progress")  # pragma: no cover - a third race


def complete_idempotency_key(record: IdempotencyRecord, status_code: int, body: Any) -> None:
    """Store the answer to replay; the caller commits it with the work it describes."""
    record.status_code = status_code
    record.response_body = body


def purge_idempotency_records(db: Session, now: datetime | None = None) -> int:
    """Delete answers older than the replay period; returns how many went."""
    result = db.execute(delete(IdempotencyRecord).where(
        IdempotencyRecord.created_at < (now or utcnow()) - IDEMPOTENCY_TTL))
    return int(getattr(result, "rowcount", 0) or 0)


def _window_start(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0)


def count_request(db: Session, api_key_id: int, now: datetime | None = None) -> tuple[int, int]:
    """Count one request of an API key; returns (requests in this minute, seconds left in it).

    One row per key and minute, incremented atomically (``INSERT ... ON CONFLICT DO UPDATE``
    on PostgreSQL and SQLite), so two hosts counting at once never lose a request. The caller
    commits at once, to hold the row lock for as short a time as possible.
    """
    now = now or utcnow()
    start = _window_start(now)
    dialect = db.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        count = int(db.execute(_upsert_statement(dialect),
                               {"api_key_id": api_key_id, "window_start": start}).scalar_one())
    else:  # pragma: no cover - other databases: update, else insert
        count = _count_portably(db, api_key_id, start)
    if count == 1:
        # A new minute began for this key: the old windows are of no more use.
        db.execute(delete(ApiRateWindow).where(ApiRateWindow.api_key_id == api_key_id,
                                               ApiRateWindow.window_start < start))
    seconds_left = math.ceil((start + RATE_WINDOW - now).total_seconds())
    return count, max(1, seconds_left)


@functools.cache
def _upsert_statement(dialect: str) -> Any:
    # Built once per database kind: every API call runs it.
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(ApiRateWindow).values(
        api_key_id=bindparam("api_key_id"), window_start=bindparam("window_start"), count=1,
    ).on_conflict_do_update(
        index_elements=[ApiRateWindow.api_key_id, ApiRateWindow.window_start],
        set_={"count": ApiRateWindow.count + 1},
    ).returning(ApiRateWindow.count)


def _count_portably(db: Session, api_key_id: int, start: datetime) -> int:  # pragma: no cover
    where = (ApiRateWindow.api_key_id == api_key_id, ApiRateWindow.window_start == start)
    if db.execute(update(ApiRateWindow).where(*where)
                  .values(count=ApiRateWindow.count + 1)).rowcount == 0:
        try:
            with db.begin_nested():
                db.add(ApiRateWindow(api_key_id=api_key_id, window_start=start, count=1))
        except IntegrityError:
            db.execute(update(ApiRateWindow).where(*where).values(count=ApiRateWindow.count + 1))
    return int(db.scalar(select(ApiRateWindow.count).where(*where)) or 0)


def agency_referral(db: Session, referral_id: int, agency_id: int) -> Referral | None:
    """The agency's own referral with this id; another agency's is None, like a missing one.

    Its history comes with the caseworker of each change (one query, whatever its length).
    """
    referral = db.scalar(select(Referral).where(Referral.id == referral_id).options(
        selectinload(Referral.status_changes).joinedload(ReferralStatusChange.agency_user)))
    return referral if referral is not None and referral.agency_id == agency_id else None


@dataclass(frozen=True)
class ReferralSummary:
    """A referral in the API's list: enough to find it again."""

    id: int
    newcomer_id: int
    status: str
    submitted_at: datetime | None
    decided_at: datetime | None
    newcomer_name: str
    target_noc: str | None


@dataclass(frozen=True)
class ReferralPage:
    """One page of an agency's referrals, newest first."""

    referrals: list[ReferralSummary]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages there are (at least one, even when empty)."""
        return max(1, math.ceil(self.total / self.per_page))


def agency_referral_page(db: Session, agency_id: int, *, page: int, per_page: int,
                         status: str | None = None) -> ReferralPage:
    """The agency's referrals (only its own), optionally of one status, one page at a time.

    One statement: the page's rows as columns, each carrying the total (counted once); only a
    page past the end, which has no row to carry it, costs a second one.
    """
    values = {"agency_id": agency_id, "status": status,
              "limit": per_page, "offset": (page - 1) * per_page}
    rows = db.execute(_page_statement(bool(status)), values).all()
    total = rows[0].total if rows else db.scalar(_count_statement(bool(status)), values) or 0
    summaries = [
        ReferralSummary(r.id, r.newcomer_id, r.status, r.submitted_at, r.decided_at,
                        Newcomer.name_of(r.preferred_name, r.given_name, r.family_name),
                        r.target_noc_code)
        for r in rows
    ]
    return ReferralPage(summaries, int(total), page, per_page)


# Built once per process with bound parameters: every API list call runs them.


def _conditions(by_status: bool) -> list[Any]:
    conditions = [Referral.agency_id == bindparam("agency_id")]
    if by_status:
        conditions.append(Referral.status == bindparam("status"))
    return conditions


@functools.cache
def _count_statement(by_status: bool) -> Select[tuple[int]]:
    return select(func.count(Referral.id)).where(*_conditions(by_status))


@functools.cache
def _page_statement(by_status: bool) -> Select[Any]:
    return (
        select(Referral.id, Referral.newcomer_id, Referral.status, Referral.submitted_at,
               Referral.decided_at, Newcomer.preferred_name, Newcomer.given_name,
               Newcomer.family_name, Newcomer.target_noc_code,
               # Uncorrelated: counted once for the statement, not once per row.
               _count_statement(by_status).correlate(None).scalar_subquery().label("total"))
        .join(Newcomer, Newcomer.id == Referral.newcomer_id)
        .where(*_conditions(by_status))
        .order_by(Referral.id.desc())
        .limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer))
    )
