"""One-time values (OIDC state and nonce) spent once across every app host.

The database's primary key decides: of two hosts that see the same value at once, exactly one
insert succeeds. Expired values are removed by ``purge_used_tokens`` (cron).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from kit.models import UsedToken
from kit.models.base import utcnow


class DatabaseReplayGuard:
    """A replay guard (see ``kit.auth.oidc.ReplayGuard``) backed by ``kit_used_token``."""

    def __init__(self, session: Callable[[], Session]) -> None:
        self._session = session

    def first_use(self, key: str, expires_at: float) -> bool:
        """Record ``key`` and commit; False when another request already spent it."""
        db = self._session()
        insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
        statement = insert(UsedToken).values(
            key=key[:200], expires_at=datetime.fromtimestamp(expires_at, UTC),
        ).on_conflict_do_nothing(index_elements=["key"]).returning(UsedToken.key)
        # RETURNING, not rowcount: psycopg reports -1 for an upsert's rowcount.
        inserted = db.execute(statement).scalar() is not None
        db.commit()
        return inserted


def purge_used_tokens(db: Session, now: datetime | None = None) -> int:
    """Forget spent values whose tokens have expired anyway; returns how many."""
    result = db.execute(delete(UsedToken).where(UsedToken.expires_at < (now or utcnow())))
    db.commit()
    return result.rowcount or 0
