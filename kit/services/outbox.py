"""The outbox: email is queued in the caller's transaction and sent afterwards, with retries.

A change and the email that announces it commit together or not at all. ``send_pending`` then
delivers due messages one transaction per message: the row stays locked while it is sent
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL, the database write lock on SQLite), so senders on
several hosts never send one message twice, and a crash mid-batch loses nothing and does not
resend what was already committed as sent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from kit.mail import (
    Transport,
    TransportUnavailable,
    compose,
    format_mailbox,
    parse_mailbox,
    sender_from_config,
)
from kit.models import OutboxMessage
from kit.models.base import utcnow
from kit.state import get_state

DEFAULT_MAX_ATTEMPTS = 12
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
_ERROR_LENGTH = 2000
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SendReport:
    """What one run did: messages sent, given up on, and left for a later attempt.

    ``interrupted`` says the mail server could not be reached, so the run stopped early.
    """

    sent: int = 0
    failed: int = 0
    retried: int = 0
    interrupted: bool = False

    @property
    def attempted(self) -> int:
        """Messages this run tried to send."""
        return self.sent + self.failed + self.retried

    def __add__(self, other: SendReport) -> SendReport:
        return SendReport(self.sent + other.sent, self.failed + other.failed,
                          self.retried + other.retried, self.interrupted or other.interrupted)


def retry_delay(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failure: 1 minute, doubling each time, at most an hour."""
    return min(FIRST_RETRY * 2 ** min(max(attempts - 1, 0), 16), LONGEST_RETRY)


def enqueue(db: Session, *, recipient: str, subject: str, body_text: str,
            body_html: str | None = None, locale: str, ical: str | None = None,
            dedupe_key: str | None = None, recipient_name: str | None = None,
            ) -> OutboxMessage | None:
    """Queue one email in the caller's transaction (the caller commits; a rollback unqueues it).

    ``recipient`` is an address, optionally with a name (``Zoë O'Brien <zoe@example.org>``) or
    named by ``recipient_name``. With a ``dedupe_key`` that is already queued (or sent), nothing
    is added and None is returned. Raises ValueError for an unusable address or subject.
    """
    to = format_mailbox(recipient, recipient_name)
    if len(to) > OutboxMessage.recipient.type.length:
        to = parse_mailbox(recipient).addr_spec  # a very long name is dropped, never the mail
    if "\r" in subject or "\n" in subject:
        raise ValueError("an email subject is one line")
    values = {"recipient": to, "subject": subject, "body_text": body_text,
              "body_html": body_html, "locale": locale, "ical": ical, "dedupe_key": dedupe_key}
    if dedupe_key is None:
        message = OutboxMessage(**values)
        db.add(message)
        return message
    dialect = db.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        # ON CONFLICT DO NOTHING is atomic against a concurrent insert and, unlike a failed
        # INSERT, leaves the caller's transaction usable on PostgreSQL.
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        new_id = db.execute(
            insert(OutboxMessage).values(**values)
            .on_conflict_do_nothing(index_elements=[OutboxMessage.dedupe_key])
            .returning(OutboxMessage.id)
        ).scalar_one_or_none()
        return None if new_id is None else db.get(OutboxMessage, new_id)
    if db.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)):
        return None
    message = OutboxMessage(**values)
    db.add(message)
    return message


def _due(now: datetime) -> ColumnElement[bool]:
    return (OutboxMessage.status == "pending") & (OutboxMessage.next_attempt_at <= now)


def _claim(db: Session, now: datetime) -> OutboxMessage | None:
    """Lock the next due message for this transaction and count the attempt; None when none."""
    while True:
        message = db.scalars(
            select(OutboxMessage).where(_due(now))
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(1).with_for_update(skip_locked=True)
        ).first()
        if message is None:
            return None
        # SQLite ignores FOR UPDATE: this conditional UPDATE takes its write lock and proves
        # that no other sender handled the message between our read and now.
        attempts = db.execute(
            update(OutboxMessage).where(OutboxMessage.id == message.id, _due(now))
            .values(attempts=OutboxMessage.attempts + 1).returning(OutboxMessage.attempts)
            .execution_options(synchronize_session=False)
        ).scalar_one_or_none()
        if attempts is not None:
            set_committed_value(message, "attempts", attempts)
            return message
        db.rollback()


def _message_id(message: OutboxMessage, sender: str) -> str:
    # Stable across retries, so a message resent after a crash is recognised as the same one.
    domain = parse_mailbox(sender).domain
    return f"<kit.outbox.{message.id}.{message.created_at:%Y%m%d%H%M%S%f}@{domain}>"


def send_pending(db: Session, transport: Transport, *, now: datetime | None = None,
                 limit: int = 100, max_attempts: int = DEFAULT_MAX_ATTEMPTS,
                 sender: str | None = None) -> SendReport:
    """Send up to ``limit`` due messages, committing after each one.

    ``sender`` is the From address (default: the current app's ``KIT_MAIL_SENDER``).
    A failure is stored on the message and retried after :func:`retry_delay`; after
    ``max_attempts`` the message is marked 'failed' and kept. When the mail server cannot be
    reached the run stops after that one attempt, leaving the rest queued for the next run.
    """
    now = now or utcnow()
    sender = sender or sender_from_config(get_state().config)
    sent = failed = retried = 0
    interrupted = False
    while sent + failed + retried < limit and not interrupted:
        try:
            message = _claim(db, now)
        except OperationalError:
            # SQLite: another sender holds the write lock for longer than the busy timeout.
            db.rollback()
            if db.get_bind().dialect.name != "sqlite":
                raise
            log.info("outbox: another sender is busy; stopping this run")
            break
        if message is None:
            break
        try:
            transport.send(compose(
                sender=sender, recipient=message.recipient, subject=message.subject,
                body_text=message.body_text, body_html=message.body_html, ical=message.ical,
                locale=message.locale, message_id=_message_id(message, sender), date=now,
            ))
        except Exception as exc:
            interrupted = isinstance(exc, TransportUnavailable)
            message.last_error = f"{type(exc).__name__}: {exc}"[:_ERROR_LENGTH]
            if message.attempts >= max_attempts:
                message.status = "failed"
                failed += 1
            else:
                message.next_attempt_at = now + retry_delay(message.attempts)
                retried += 1
            log.warning("outbox: message %s attempt %s failed: %s", message.id,
                        message.attempts, message.last_error)
        else:
            message.status = "sent"
            message.sent_at = now
            sent += 1
        db.commit()
    return SendReport(sent, failed, retried, interrupted)


def requeue_failed(db: Session, *, ids: list[int] | None = None,
                   now: datetime | None = None) -> int:
    """Give failed messages (all, or those in ``ids``) a fresh set of attempts; caller commits."""
    statement = update(OutboxMessage).where(OutboxMessage.status == "failed")
    if ids:
        statement = statement.where(OutboxMessage.id.in_(ids))
    result = db.execute(statement.values(status="pending", attempts=0,
                                         next_attempt_at=now or utcnow())
                        .execution_options(synchronize_session=False))
    return result.rowcount or 0


@dataclass(frozen=True)
class OutboxStatus:
    """Counts per status and when the queue will next be worked on."""

    pending: int
    due: int
    sent: int
    failed: int
    oldest_pending: datetime | None
    next_attempt: datetime | None


def outbox_status(db: Session, now: datetime | None = None) -> OutboxStatus:
    """How many messages wait, are due now, were sent and were given up on."""
    now = now or utcnow()
    counts = dict(db.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all())
    due = db.scalar(select(func.count()).select_from(OutboxMessage).where(_due(now))) or 0
    oldest, upcoming = db.execute(
        select(func.min(OutboxMessage.created_at), func.min(OutboxMessage.next_attempt_at))
        .where(OutboxMessage.status == "pending")
    ).one()
    return OutboxStatus(counts.get("pending", 0), due, counts.get("sent", 0),
                        counts.get("failed", 0), oldest, upcoming)


def failed_messages(db: Session, limit: int = 20) -> list[OutboxMessage]:
    """The most recent messages given up on, newest first."""
    return list(db.scalars(select(OutboxMessage).where(OutboxMessage.status == "failed")
                           .order_by(OutboxMessage.id.desc()).limit(limit)))

