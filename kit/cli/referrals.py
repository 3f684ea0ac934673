"""``flask kit referrals ...``: jobs about referrals, for cron on any number of hosts."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from kit.services.mail_compose import mail_context
from kit.services.referral_notices import send_digest
from kit.state import get_state


@click.group("referrals")
def referrals() -> None:
    """Jobs about agencies' referrals."""


@referrals.command("digest")
@with_appcontext
def digest() -> None:
    """Queue today's digest of new referrals for each coordinator (with KIT_REFERRAL_DIGEST).

    Run it once a day; running it again, or on several hosts, queues nothing more. The
    e-mails leave with ``flask kit outbox send``. Links in them need SERVER_NAME.
    """
    state = get_state()
    if not state.config["KIT_REFERRAL_DIGEST"]:
        click.echo("KIT_REFERRAL_DIGEST is off: coordinators get one e-mail per referral.")
        return
    db = state.db.session
    with mail_context():
        count = send_digest(db)
    db.commit()
    click.echo(f"Queued {count} digests.")
