"""``flask kit outcomes ...``: follow-ups of employment outcomes, for cron."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from kit.cli.followup_links import newcomer_page_url
from kit.services.mail_compose import mail_context
from kit.services.outcomes import request_outcomes
from kit.state import get_state


@click.group("outcomes")
def outcomes() -> None:
    """Employment outcomes of newcomers after their match."""


@outcomes.command("request")
@with_appcontext
def request_command() -> None:
    """E-mail each newcomer whose follow-up (close, 3, 6 or 12 months) is due, once.

    Safe to run daily and on several hosts: each follow-up is asked once. The e-mails leave
    with ``flask kit outbox send``; links in them need SERVER_NAME.
    """
    db = get_state().db.session
    with mail_context():
        count = request_outcomes(db, lambda newcomer_id: newcomer_page_url(
            db, current_app.secret_key, newcomer_id, "outcomes"))
    db.commit()
    click.echo(f"Queued {count} follow-up e-mails.")
