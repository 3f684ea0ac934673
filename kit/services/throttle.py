"""Failed sign-ins are throttled per account and per address, in the database.

Counting in the database (not in process memory) makes the limit hold when several app hosts
serve the same employer, and survive a restart.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kit.models import SignInAttempt
from kit.models.base import utcnow


@dataclass(frozen=True)
class ThrottleRules:
    """How many failures, within which window, lock an account or an address out."""

    per_account: int = 5
    per_address: int = 20
    window: timedelta = timedelta(minutes=15)


def account_key(provider: str, username: str) -> str:
    """A stable, non-reversible key for an account: the log never keeps what was typed."""
    normalised = f"{provider}\0{username.strip().casefold()}"
    return hashlib.sha256(normalised.encode("utf-8", "surrogatepass")).hexdigest()


def retry_after(db: Session, key: str, remote_addr: str, rules: ThrottleRules,
                now: datetime | None = None) -> int:
    """Seconds to wait before this account may try again from this address; 0 means go ahead."""
    now = now or utcnow()
    since = now - rules.window
    waits = []
    for column, value, limit in ((SignInAttempt.account_key, key, rules.per_account),
                                 (SignInAttempt.remote_addr, remote_addr, rules.per_address)):
        failures = select(SignInAttempt.occurred_at).where(
            column == value, SignInAttempt.occurred_at > since, ~SignInAttempt.succeeded
        ).order_by(SignInAttempt.occurred_at.desc()).limit(limit).subquery()
        count, oldest = db.execute(select(func.count(), func.min(failures.c.occurred_at))).one()
        if count >= limit:
            waits.append(int((oldest + rules.window - now).total_seconds()) + 1)
    return max(waits, default=0)


def record_attempt(db: Session, key: str, remote_addr: str, succeeded: bool,
                   now: datetime | None = None) -> None:
    """Log an attempt; a success clears the account's earlier failures. The caller commits."""
    now = now or utcnow()
    if succeeded:
        db.execute(delete(SignInAttempt).where(SignInAttempt.account_key == key,
                                               ~SignInAttempt.succeeded))
    db.add(SignInAttempt(occurred_at=now, account_key=key, remote_addr=remote_addr,
                         succeeded=succeeded))


def purge_attempts(db: Session, rules: ThrottleRules, now: datetime | None = None) -> int:
    """Forget attempts older than the window (run from cron); returns how many were removed."""
    cutoff = (now or utcnow()) - rules.window
    result = db.execute(delete(SignInAttempt).where(SignInAttempt.occurred_at < cutoff))
    return result.rowcount or 0
