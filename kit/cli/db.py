"""``flask kit db ...``: the kit's own schema migrations (the host's tables are left alone)."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from kit import migrations
from kit.state import get_state


@click.group("db")
def db_group() -> None:
    """Upgrade, downgrade or inspect the kit's tables."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def upgrade(revision: str) -> None:
    """Apply the kit's migrations up to REVISION (default: the newest)."""
    migrations.upgrade(get_state().db.engine, revision)
    click.echo(f"Kit schema at {migrations.current(get_state().db.engine) or 'base'}.")


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def downgrade(revision: str) -> None:
    """Revert the kit's migrations down to REVISION ('base' removes every kit table)."""
    migrations.downgrade(get_state().db.engine, revision)
    click.echo(f"Kit schema at {migrations.current(get_state().db.engine) or 'base'}.")


@db_group.command("current")
@with_appcontext
def current() -> None:
    """Print the kit's schema revision."""
    click.echo(migrations.current(get_state().db.engine) or "base")


@db_group.command("check")
@with_appcontext
def check() -> None:
    """Exit 1 when the database differs from the kit's models (a migration is missing)."""
    differences = migrations.check(get_state().db.engine)
    for difference in differences:
        click.echo(str(difference))
    sys.exit(1 if differences else 0)
