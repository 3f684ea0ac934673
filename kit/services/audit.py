"""The audit log: who did what to which record, written in the same transaction."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, String, bindparam, func, insert, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from kit.models import AuditEvent
from kit.models.base import utcnow


@dataclass(frozen=True)
class Actor:
    """Who acts: a staff member, an agency user, a newcomer, or the system itself."""

    kind: str
    id: int | None = None
    remote_addr: str | None = None
    #: The agency's API key that made the request, written into each event's details.
    api_key_id: int | None = None

    def details(self, details: dict[str, Any] | None) -> dict[str, Any] | None:
        """``details`` with the API key that acted, when one did."""
        if self.api_key_id is None:
            return details
        return {**(details or {}), "api_key": self.api_key_id}


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
        details=actor.details(details),
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
    """``record_view`` for every newcomer a list shows (their names are personal data too).

    One statement for the whole list. On PostgreSQL and SQLite the rows are made by the
    database from the list of ids (``unnest``, ``json_each``): sending 8 values per row made
    this insert the costliest statement of a list page.
    """
    subject_ids = [str(newcomer_id) for newcomer_id in dict.fromkeys(newcomer_ids)]
    if not subject_ids:
        return
    shared = {"occurred_at": utcnow(), "actor_kind": actor.kind,
              "actor_id": None if actor.id is None else str(actor.id),
              "action": "newcomer.viewed", "subject_type": "newcomer",
              "details": actor.details({"what": what}),
              "remote_addr": actor.remote_addr}
    statement = _views_statement(db.get_bind().dialect.name)
    if statement is not None:
        # On the session's connection (same transaction): no object is made, none is needed.
        db.connection().execute(statement, {**shared, "subject_ids": subject_ids})
        return
    # Other databases: a list of rows.
    db.execute(insert(AuditEvent.__table__),
               [{**shared, "subject_id": subject_id} for subject_id in subject_ids])


_SHARED_COLUMNS = ("occurred_at", "actor_kind", "actor_id", "action", "subject_type", "details",
                   "remote_addr")


@functools.cache
def _views_statement(dialect: str) -> Any:
    # INSERT ... SELECT the shared values beside each id of the list; built once per database.
    table = AuditEvent.__table__
    shared = [bindparam(name, type_=table.c[name].type) for name in _SHARED_COLUMNS]
    if dialect == "postgresql":
        ids = func.unnest(bindparam("subject_ids", type_=postgresql.ARRAY(String)))
        source = select(*shared, ids)
    elif dialect == "sqlite":
        each = func.json_each(bindparam("subject_ids", type_=JSON)).table_valued("value")
        source = select(*shared, each.c.value).select_from(each)
    else:
        return None
    return insert(table).from_select([*_SHARED_COLUMNS, "subject_id"], source)
