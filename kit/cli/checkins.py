"""``flask kit checkins ...``: the monthly check-ins, for cron on any number of hosts."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from kit.cli.followup_links import external_url, newcomer_page_url
from kit.services.checkins import Mailer, send_checkins
from kit.services.mail_compose import mail_context
from kit.state import get_state


@click.group("checkins")
def checkins() -> None:
    """Monthly check-ins of mentors and newcomers."""


@checkins.command("send")
@with_appcontext
def send() -> None:
    """Create this month's check-ins of every active match and e-mail their links.

    Run it daily or monthly: a check-in already created this month is not sent again, even
    from several hosts at once. The e-mails leave with ``flask kit outbox send``; links in them
    need SERVER_NAME.
    """
    db = get_state().db.session
    with mail_context():
        mailer = Mailer(
            newcomer_url=lambda newcomer_id: newcomer_page_url(
                db, current_app.secret_key, newcomer_id, "checkins"),
            mentor_url=lambda: external_url("kit_staff.checkins"))
        count = send_checkins(db, mailer)
    db.commit()
    click.echo(f"Queued {count} check-in e-mails.")
