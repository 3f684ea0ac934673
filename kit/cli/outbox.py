"""``flask kit outbox ...``: send queued email (from cron, on any number of hosts) and watch it."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from kit.mail import sender_from_config, transport_from_config
from kit.services.outbox import (
    SendReport,
    failed_messages,
    outbox_status,
    requeue_failed,
    send_pending,
)
from kit.state import get_state


@click.group("outbox")
def outbox() -> None:
    """Send queued email and show the state of the queue."""


@outbox.command("send")
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True,
              help="Messages per batch.")
@click.option("--once", is_flag=True,
              help="Send one batch and stop, instead of repeating until nothing is due.")
@with_appcontext
def send(limit: int, once: bool) -> None:
    """Send due messages; failures are retried later. Safe to run on several hosts at once.

    Exits with status 1 when the mail server could not be reached (nothing is lost: the
    messages stay queued for the next run).
    """
    state = get_state()
    config = state.config
    transport = transport_from_config(config)
    total = SendReport()
    try:
        while True:
            report = send_pending(state.db.session, transport, limit=limit,
                                  max_attempts=config["KIT_OUTBOX_MAX_ATTEMPTS"],
                                  sender=sender_from_config(config))
            total += report
            if once or report.interrupted or report.attempted < limit:
                break
    finally:
        transport.close()
    click.echo(f"Sent {total.sent}, to retry later {total.retried}, "
               f"failed for good {total.failed}.")
    if total.interrupted:
        click.echo("The mail server could not be reached; the messages stay queued.", err=True)
        sys.exit(1)


@outbox.command("status")
@with_appcontext
def status() -> None:
    """Show how many messages wait, are due, were sent and failed (with the failed ones)."""
    db = get_state().db.session
    summary = outbox_status(db)
    click.echo(f"pending: {summary.pending} (due now: {summary.due})")
    click.echo(f"sent:    {summary.sent}")
    click.echo(f"failed:  {summary.failed}")
    if summary.oldest_pending is not None:
        click.echo(f"oldest pending since {summary.oldest_pending:%Y-%m-%d %H:%M} UTC, "
                   f"next attempt at {summary.next_attempt:%Y-%m-%d %H:%M} UTC")
    for message in failed_messages(db):
        click.echo(f"  #{message.id} {message.created_at:%Y-%m-%d %H:%M} to {message.recipient} "
                   f"after {message.attempts} attempts: {message.last_error}")


@outbox.command("retry")
@click.argument("ids", nargs=-1, type=int)
@with_appcontext
def retry(ids: tuple[int, ...]) -> None:
    """Queue failed messages again (all of them, or the IDS given) with fresh attempts."""
    db = get_state().db.session
    count = requeue_failed(db, ids=list(ids) or None)
    db.commit()
    click.echo(f"Queued {count} failed messages again.")
