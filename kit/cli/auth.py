"""``flask kit auth purge``: forget old sign-in attempts and spent one-time values (cron)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from kit.services.replay import purge_used_tokens
from kit.services.throttle import purge_attempts
from kit.state import get_state


@click.group("auth")
def auth() -> None:
    """Housekeeping of sign-in records."""


@auth.command("purge")
@with_appcontext
def purge() -> None:
    """Remove sign-in attempts older than the lockout window and expired one-time values."""
    state = get_state()
    db = state.db.session
    attempts = purge_attempts(db, state.throttle_rules)
    db.commit()
    tokens = purge_used_tokens(db)
    click.echo(f"Removed {attempts} old sign-in attempts and {tokens} expired one-time values.")
