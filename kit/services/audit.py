"""The audit log: who did what to which record, written in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from kit.models import AuditEvent
from kit.models.base import utcnow


@dataclass(frozen=True)
class Actor:
    """Who acts: a staff member, an agency user, a newcomer, or the system itself."""

    kind: str
    id: int | None = None
    remote_addr: str | None = None


SYSTEM = Actor("system")


def record(db: Session, actor: Actor, action: str, subject_type: str, subject_id: object,
           details: dict[str, Any] | None = None) -> AuditEvent:
    """Add an audit event to the session; the caller's commit makes it permanent."""
    event = AuditEvent(
        occurred_at=utcnow(),
        actor_kind=actor.kind,
        actor_id=None if actor.id is None else str(actor.id),
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        details=details,
        remote_addr=actor.remote_addr,
    )
    db.add(event)
    return event


def record_view(db: Session, actor: Actor, newcomer_id: int, what: str) -> None:
    """Log that ``actor`` saw a newcomer's personal data (``what``: 'profile', 'resume', ...).

    Every page, file or API answer that shows personal data calls this; the caller commits.
    """
    record(db, actor, "newcomer.viewed", "newcomer", newcomer_id, {"what": what})


def record_views(db: Session, actor: Actor, newcomer_ids: Iterable[int], what: str) -> None:
    """``record_view`` for every newcomer a list shows (their names are personal data too)."""
    now = utcnow()
    rows = [
        {"occurred_at": now, "actor_kind": actor.kind,
         "actor_id": None if actor.id is None else str(actor.id), "action": "newcomer.viewed",
         "subject_type": "newcomer", "subject_id": str(newcomer_id), "details": {"what": what},
         "remote_addr": actor.remote_addr}
        for newcomer_id in dict.fromkeys(newcomer_ids)
    ]
    if rows:
        # One statement for the whole list: added one by one, SQLite inserts them one by one.
        db.execute(insert(AuditEvent), rows)
