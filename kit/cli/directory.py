"""``flask kit directory sync``: deactivate staff who left the employer or the program's group."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from kit.auth.providers import ProviderUnavailable
from kit.services.staff_accounts import SyncAborted, sync_directory
from kit.state import get_state


@click.group("directory")
def directory() -> None:
    """Keep staff accounts in step with the employer's directory."""


@directory.command("sync")
@click.option("--provider", "name", help="The LDAP provider to ask (default: the first one).")
@click.option("--accept-mass-deactivation", is_flag=True,
              help="Deactivate even when more than KIT_DIRECTORY_MAX_DEACTIVATION of the "
                   "staff would go.")
@with_appcontext
def sync(name: str | None, accept_mass_deactivation: bool) -> None:
    """Check every active staff member against the directory; safe to run from cron.

    Exits 2 without changing anything when the directory does not answer, and 3 when more than
    ``KIT_DIRECTORY_MAX_DEACTIVATION`` of the staff (a fifth by default) would be deactivated,
    so that an outage or a renamed group never switches the whole program off.
    """
    state = get_state()
    providers = [entry for entry in state.providers
                 if entry.type == "ldap" and name in (None, entry.name)]
    if not providers:
        raise click.UsageError("No LDAP provider is configured under that name in "
                               "KIT_AUTH_PROVIDERS.")
    provider = providers[0].provider
    try:
        report = sync_directory(state.db.session, provider.lookup, state.role_groups,
                                max_share=1.0 if accept_mass_deactivation
                                else state.config["KIT_DIRECTORY_MAX_DEACTIVATION"])
    except SyncAborted as exc:
        click.echo(f"Stopped: {len(exc.report.deactivated)} of {exc.report.checked} staff members "
                   "would be deactivated, which looks like a directory or configuration "
                   "problem; nothing was changed. Check the group and base DN, or run again "
                   "with --accept-mass-deactivation.", err=True)
        sys.exit(3)
    except ProviderUnavailable as exc:
        state.db.session.rollback()
        click.echo(f"The directory did not answer ({exc.code}); nothing was changed.", err=True)
        sys.exit(2)
    click.echo(f"Checked {report.checked} staff members: {report.updated} up to date, "
               f"{len(report.deactivated)} deactivated.")
    for directory_id in report.deactivated:
        click.echo(f"  deactivated {directory_id}")
