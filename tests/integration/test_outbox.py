"""The outbox against a real SMTP server: nothing lost, nothing sent twice, retries back off."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kit.mail import SMTPTransport
from kit.models import OutboxMessage
from kit.services.outbox import enqueue, retry_delay, send_pending
from servers.smtp import SilentServer, SMTPServer

SENDER = "Mentoring program <mentoring@city.example>"
T0 = datetime(2027, 10, 5, 16, 0, tzinfo=UTC)
INVITE = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//City//Mentoring//EN\r\nMETHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\nUID:session-7@city.example\r\nDTSTAMP:20271005T160000Z\r\n"
    "DTSTART:20271012T170000Z\r\nDTEND:20271012T180000Z\r\nSUMMARY:Job shadowing with Zoë\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


@pytest.fixture
def smtp() -> Iterator[SMTPServer]:
    with SMTPServer() as server:
        yield server


@pytest.fixture
def transport(smtp: SMTPServer) -> Iterator[SMTPTransport]:
    sender = SMTPTransport(smtp.host, smtp.port, timeout=2)
    yield sender
    sender.close()


def queue(db: Session, count: int = 1, **values) -> list[OutboxMessage]:
    messages = [
        enqueue(db, recipient=values.get("recipient", f"person{n}@example.org"),
                subject=values.get("subject", f"Referral update {n}"),
                body_text=values.get("body_text", f"Hello {n}"), locale="en",
                dedupe_key=values.get("dedupe_key"))
        for n in range(count)
    ]
    db.commit()
    return messages


def send(db: Session, transport, at: datetime = T0, **options):
    return send_pending(db, transport, now=at, sender=SENDER, **options)


def count(db: Session, status: str | None = None) -> int:
    query = select(func.count()).select_from(OutboxMessage)
    if status:
        query = query.where(OutboxMessage.status == status)
    return db.scalar(query)


def test_a_sent_message_arrives_with_its_names_subject_body_and_invitation(db, smtp,
                                                                           transport) -> None:
    enqueue(db, recipient="lan@example.org", recipient_name="Nguyễn Thị Lan",
            subject="Séance avec Zoë O'Brien : confirmée", body_text="Bonjour Lan,\nÀ mardi !",
            body_html="<p>Bonjour Lan,<br>À mardi !</p>", locale="fr", ical=INVITE)
    db.commit()

    report = send(db, transport)

    assert (report.sent, report.retried, report.failed) == (1, 0, 0)
    [received] = smtp.messages
    mail = received.message
    assert received.rcpt_tos == ("lan@example.org",)
    assert received.mail_from == "mentoring@city.example"
    assert mail["Subject"] == "Séance avec Zoë O'Brien : confirmée"
    assert mail["To"].addresses[0].display_name == "Nguyễn Thị Lan"
    assert mail["From"].addresses[0].display_name == "Mentoring program"
    assert received.raw.isascii(), "7-bit clean: any relay can carry it"
    assert mail["Message-ID"].endswith("@city.example>")
    assert mail["Date"].datetime == T0
    assert mail["Content-Language"] == "fr"
    assert mail.get_content_type() == "multipart/alternative"
    assert mail.get_body(("plain",)).get_content().replace("\r\n", "\n") == (
        "Bonjour Lan,\nÀ mardi !\n")
    assert "À mardi" in mail.get_body(("html",)).get_content()
    [calendar] = [p for p in mail.iter_parts() if p.get_content_type() == "text/calendar"]
    assert calendar.get_param("method") == "REQUEST"
    assert calendar.get_content_charset() == "utf-8"
    assert "SUMMARY:Job shadowing with Zoë" in calendar.get_content()
    stored = db.scalars(select(OutboxMessage)).one()
    assert (stored.status, stored.attempts, stored.sent_at) == ("sent", 1, T0)


def test_a_cancellation_carries_the_cancel_method(db, smtp, transport) -> None:
    enqueue(db, recipient="zoe@example.org", subject="Cancelled", body_text="Cancelled.",
            locale="en", ical=INVITE.replace("METHOD:REQUEST", "METHOD:CANCEL"))
    db.commit()
    send(db, transport)
    [calendar] = [p for p in smtp.messages[0].message.iter_parts()
                  if p.get_content_type() == "text/calendar"]
    assert calendar.get_param("method") == "CANCEL"


@pytest.mark.parametrize("dedupe_key", [None, "referral:7:accepted"])
def test_a_message_queued_in_a_rolled_back_transaction_is_never_sent(db, smtp, transport,
                                                                      dedupe_key) -> None:
    enqueue(db, recipient="agency@example.org", subject="Accepted", body_text="Accepted.",
            locale="en", dedupe_key=dedupe_key)
    db.rollback()

    assert send(db, transport).attempted == 0
    assert count(db) == 0
    assert smtp.messages == []


def test_a_dedupe_key_queues_a_message_once(db, smtp, transport) -> None:
    first = enqueue(db, recipient="mentor@example.org", subject="Check-in", body_text="How?",
                    locale="en", dedupe_key="checkin:12:2027-10:mentor")
    again = enqueue(db, recipient="mentor@example.org", subject="Check-in", body_text="How?",
                    locale="en", dedupe_key="checkin:12:2027-10:mentor")
    db.commit()
    assert first is not None and first.id is not None
    assert again is None
    send(db, transport)
    later = enqueue(db, recipient="mentor@example.org", subject="Check-in", body_text="How?",
                    locale="en", dedupe_key="checkin:12:2027-10:mentor")
    other = enqueue(db, recipient="mentor@example.org", subject="Check-in", body_text="How?",
                    locale="en", dedupe_key="checkin:12:2027-11:mentor")
    db.commit()
    assert later is None and other is not None
    assert count(db) == 2
    assert len(smtp.messages) == 1


def test_a_duplicate_does_not_spoil_the_callers_transaction(db) -> None:
    queue(db, dedupe_key="decision:3")
    enqueue(db, recipient="a@example.org", subject="Again", body_text="-", locale="en",
            dedupe_key="decision:3")
    enqueue(db, recipient="b@example.org", subject="Other", body_text="-", locale="en")
    db.commit()
    assert count(db) == 2


def test_smtp_down_keeps_messages_queued_and_backs_off(db, smtp, transport) -> None:
    [message] = queue(db)
    smtp.stop()

    report = send(db, transport)
    assert (report.sent, report.retried, report.interrupted) == (0, 1, True)
    db.refresh(message)
    assert (message.status, message.attempts) == ("pending", 1)
    assert "ConnectionRefusedError" in message.last_error
    assert message.next_attempt_at == T0 + timedelta(minutes=1)

    assert send(db, transport, T0 + timedelta(seconds=30)).attempted == 0
    second = T0 + timedelta(minutes=1)
    send(db, transport, second)
    db.refresh(message)
    assert message.attempts == 2
    assert message.next_attempt_at == second + timedelta(minutes=2)

    smtp.start()
    assert send(db, transport, second + timedelta(seconds=119)).attempted == 0
    assert send(db, transport, second + timedelta(minutes=2)).sent == 1
    db.refresh(message)
    assert (message.status, message.attempts) == ("sent", 3)
    assert len(smtp.messages) == 1


def test_back_off_doubles_up_to_an_hour() -> None:
    waits = [retry_delay(n) for n in range(1, 10)]
    assert waits[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert waits[-1] == timedelta(hours=1)
    assert retry_delay(500) == timedelta(hours=1)


def test_every_message_is_delivered_exactly_once_after_an_outage(db, smtp, transport) -> None:
    queue(db, 20)
    smtp.stop()
    down = send(db, transport)
    assert down.interrupted and down.sent == 0
    assert count(db, "pending") == 20

    smtp.start()
    up = send(db, transport, T0 + timedelta(minutes=5))
    assert (up.sent, up.failed, up.retried) == (20, 0, 0)
    assert send(db, transport, T0 + timedelta(hours=2)).attempted == 0

    received = smtp.messages
    assert len(received) == 20
    assert len({r.message["Message-ID"] for r in received}) == 20
    assert sorted(r.rcpt_tos[0] for r in received) == sorted(
        f"person{n}@example.org" for n in range(20))
    assert count(db, "sent") == 20


def test_a_server_that_never_answers_times_out_quickly(db) -> None:
    queue(db, 3)
    with SilentServer() as silent:
        hanging = SMTPTransport("127.0.0.1", silent.port, timeout=0.3)
        started = time.monotonic()
        report = send(db, hanging)
        hanging.close()
    assert time.monotonic() - started < 1
    assert (report.retried, report.interrupted) == (1, True)
    assert count(db, "pending") == 3
    assert "timed out" in db.scalar(select(OutboxMessage.last_error).where(
        OutboxMessage.attempts == 1))


def test_after_max_attempts_a_message_is_failed_and_kept(db, smtp, transport) -> None:
    [message] = queue(db)
    smtp.stop()
    at = T0
    for _ in range(3):
        report = send(db, transport, at, max_attempts=3)
        at += timedelta(hours=1)
    assert report.failed == 1
    db.refresh(message)
    assert (message.status, message.attempts) == ("failed", 3)
    assert message.last_error

    smtp.start()
    assert send(db, transport, at + timedelta(days=1), max_attempts=3).attempted == 0
    assert count(db, "failed") == 1
    assert smtp.messages == []


def test_a_refused_recipient_does_not_hold_up_the_others(db, smtp, transport) -> None:
    smtp.refuse("person1@example.org")
    queue(db, 3)
    report = send(db, transport)
    assert (report.sent, report.retried, report.interrupted) == (2, 1, False)
    refused = db.scalars(select(OutboxMessage).where(OutboxMessage.status == "pending")).one()
    assert refused.recipient == "person1@example.org"
    assert "550" in refused.last_error
    assert len(smtp.messages) == 2


def test_a_crash_mid_batch_loses_nothing_and_resends_nothing(db, smtp, transport) -> None:
    queue(db, 5)

    class CrashOnThird:
        def __init__(self) -> None:
            self.calls = 0

        def send(self, message: EmailMessage) -> None:
            self.calls += 1
            if self.calls == 3:
                raise SystemExit("killed")
            transport.send(message)

        def close(self) -> None:
            transport.close()

    with pytest.raises(SystemExit):
        send(db, CrashOnThird())
    db.rollback()  # what the database does when the process dies
    assert count(db, "sent") == 2

    assert send(db, transport).sent == 3
    received = [r.message["Message-ID"] for r in smtp.messages]
    assert len(received) == len(set(received)) == 5


def test_limit_caps_one_run(db, smtp, transport) -> None:
    queue(db, 5)
    assert send(db, transport, limit=2).sent == 2
    assert count(db, "pending") == 3


def test_concurrent_senders_never_send_a_message_twice(app, db, smtp) -> None:
    queue(db, 30)
    engine = db.get_bind()
    start = threading.Barrier(2)
    reports: list = []
    errors: list[BaseException] = []

    class Slow(SMTPTransport):
        def send(self, message: EmailMessage) -> None:
            time.sleep(0.01)  # keeps both senders busy at the same time
            super().send(message)

    def run() -> None:
        sender = Slow(smtp.host, smtp.port, timeout=5)
        try:
            with Session(engine) as session:
                start.wait()
                reports.append(send(session, sender))
        except BaseException as exc:  # surfaced in the main thread
            errors.append(exc)
        finally:
            sender.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert sum(report.sent for report in reports) == 30
    ids = [r.message["Message-ID"] for r in smtp.messages]
    assert len(ids) == len(set(ids)) == 30
    if engine.dialect.name == "postgresql":
        assert all(report.sent > 0 for report in reports), "SKIP LOCKED shares the work"
    db.expire_all()
    assert count(db, "sent") == 30
    assert db.scalar(select(func.max(OutboxMessage.attempts))) == 1
