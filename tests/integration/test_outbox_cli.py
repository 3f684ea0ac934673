"""``flask kit outbox send|status|retry`` as an operator or a cron job runs them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import make_app
from flask import Flask
from sqlalchemy import select

from kit import get_state
from kit.models import Base, OutboxMessage
from kit.services.outbox import enqueue
from servers.smtp import SMTPServer


@pytest.fixture
def smtp() -> Iterator[SMTPServer]:
    with SMTPServer() as server:
        yield server


@pytest.fixture
def smtp_app(db_url: str, smtp: SMTPServer) -> Iterator[Flask]:
    app = make_app(db_url, KIT_MAIL_BACKEND="smtp", KIT_SMTP_HOST=smtp.host,
                   KIT_SMTP_PORT=smtp.port, KIT_SMTP_TIMEOUT=2, KIT_OUTBOX_MAX_ATTEMPTS=2,
                   KIT_MAIL_SENDER="careers@city.example", KIT_PROGRAM_NAME="City Connector")
    with app.app_context():
        Base.metadata.create_all(get_state().db.engine)
    yield app
    with app.app_context():
        get_state().db.session.remove()
        get_state().db.engine.dispose()


def queue(app: Flask, count: int) -> None:
    with app.app_context():
        db = get_state().db.session
        for n in range(count):
            enqueue(db, recipient=f"caseworker{n}@agency.example", subject=f"Referral {n}",
                    body_text="Accepted.", locale="en")
        db.commit()


def statuses(app: Flask) -> list[str]:
    with app.app_context():
        return list(get_state().db.session.scalars(select(OutboxMessage.status)))


def test_send_delivers_everything_due_in_batches(smtp_app, smtp) -> None:
    queue(smtp_app, 5)
    result = smtp_app.test_cli_runner().invoke(args=["kit", "outbox", "send", "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert "Sent 5" in result.output
    assert len(smtp.messages) == 5
    assert str(smtp.messages[0].message["From"]) == "City Connector <careers@city.example>"


def test_send_once_sends_one_batch(smtp_app, smtp) -> None:
    queue(smtp_app, 5)
    result = smtp_app.test_cli_runner().invoke(
        args=["kit", "outbox", "send", "--limit", "2", "--once"])
    assert result.exit_code == 0, result.output
    assert len(smtp.messages) == 2
    assert sorted(statuses(smtp_app)) == ["pending"] * 3 + ["sent"] * 2


def test_server_down_fails_the_run_and_status_shows_the_queue(smtp_app, smtp) -> None:
    queue(smtp_app, 3)
    smtp.stop()
    runner = smtp_app.test_cli_runner()
    result = runner.invoke(args=["kit", "outbox", "send"])
    assert result.exit_code == 1
    assert "could not be reached" in result.output
    assert statuses(smtp_app) == ["pending"] * 3

    result = runner.invoke(args=["kit", "outbox", "status"])
    assert result.exit_code == 0, result.output
    assert "pending: 3 (due now: 2)" in result.output
    assert "failed:  0" in result.output


def test_failed_messages_are_listed_and_can_be_retried(smtp_app, smtp) -> None:
    queue(smtp_app, 1)
    with smtp_app.app_context():
        db = get_state().db.session
        message = db.scalars(select(OutboxMessage)).one()
        message.attempts, message.status = 2, "failed"
        message.last_error = "SMTPRecipientsRefused: 550 No such user here"
        db.commit()
    runner = smtp_app.test_cli_runner()
    result = runner.invoke(args=["kit", "outbox", "status"])
    assert "failed:  1" in result.output
    assert "caseworker0@agency.example after 2 attempts: SMTPRecipientsRefused" in result.output

    assert "Queued 1" in runner.invoke(args=["kit", "outbox", "retry"]).output
    assert runner.invoke(args=["kit", "outbox", "send"]).exit_code == 0
    assert statuses(smtp_app) == ["sent"]
    assert len(smtp.messages) == 1


def test_the_console_backend_prints_messages(app, db, runner) -> None:
    enqueue(db, recipient="Nguyễn Thị Lan <lan@example.org>", subject="Bienvenue, Lan",
            body_text="Votre jumelage est confirmé.", locale="fr")
    db.commit()
    result = runner.invoke(args=["kit", "outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "Subject: Bienvenue, Lan" in result.output
    assert "To: Nguyễn Thị Lan <lan@example.org>" in result.output
    assert "Votre jumelage est confirmé." in result.output
    assert "Sent 1" in result.output
