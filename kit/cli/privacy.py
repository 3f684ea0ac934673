"""``flask kit privacy purge``: remove closed referrals once kept long enough (from cron)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from kit.services.privacy import purge_closed_referrals
from kit.state import get_state


@click.group("privacy")
def privacy() -> None:
    """Privacy jobs: purge referrals referred back or withdrawn long ago."""


@privacy.command("purge")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Purge what closed more than this many days ago (default: "
                   "KIT_PURGE_AFTER_DAYS).")
@with_appcontext
def purge(days: int | None) -> None:
    """Delete referrals referred back or withdrawn long ago, their history and files.

    A newcomer left with no referral and no match is erased too. Running it again, or on
    several hosts at once, is harmless. Prints counts only.
    """
    state = get_state()
    older_than = days or state.config["KIT_PURGE_AFTER_DAYS"]
    report = purge_closed_referrals(state.db.session, older_than)
    click.echo(f"Purged {report.referrals} referrals closed more than {older_than} days ago, "
               f"{report.newcomers} newcomers and {report.files} files.")
