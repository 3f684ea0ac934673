"""``flask kit reports ...``: the monthly roll-up of hours behind the hours reports."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from kit.models.hours_month import hours_of
from kit.services.hours_rollup import differences, rebuild
from kit.state import get_state


@click.group("reports")
def reports() -> None:
    """Check or rebuild the monthly roll-up of volunteer hours the reports read."""


@reports.command("rebuild-rollup")
@with_appcontext
def rebuild_rollup() -> None:
    """Recompute the monthly roll-up (kit_hours_month) from every hours entry.

    Needed only after hours entries were changed by SQL outside the kit (a bulk load, a
    correction made in the database); the kit keeps the roll-up by itself otherwise. Safe
    while the program runs: on PostgreSQL, hours being logged meanwhile wait a moment.
    """
    db = get_state().db.session
    rows = rebuild(db)
    db.commit()
    click.echo(f"Rebuilt the monthly roll-up of hours: {rows} rows.")


@reports.command("check-rollup")
@with_appcontext
def check_rollup() -> None:
    """Exit 1 when the monthly roll-up differs from the hours entries (lists the rows)."""
    found = differences(get_state().db.session)
    for difference in found[:20]:
        staff_id, month, match_id, session_type_id = difference.key
        click.echo(f"staff {staff_id}, {month:%Y-%m}, match {match_id}, session type "
                   f"{session_type_id}: roll-up {_sums(difference.stored)}; "
                   f"entries {_sums(difference.expected)}")
    if found:
        click.echo(f"{len(found)} rows of the roll-up differ from the entries; "
                   "run 'flask kit reports rebuild-rollup'.")
        sys.exit(1)
    click.echo("The monthly roll-up of hours matches the entries.")


def _sums(values: tuple[int, int, int, int] | None) -> str:
    if values is None:
        return "none"
    confirmed, confirmed_entries, pending, pending_entries = values
    return (f"{hours_of(confirmed)} h confirmed in {confirmed_entries} entries, "
            f"{hours_of(pending)} h pending in {pending_entries}")
