"""``flask kit occupations ...``: manage the NOC 2021 reference table."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from kit.i18n import gettext as _
from kit.services.occupations import load_occupations
from kit.state import get_state


@click.group("occupations")
def occupations() -> None:
    """Manage the NOC 2021 occupations table."""


@occupations.command("load")
@with_appcontext
def load() -> None:
    """Insert or update all NOC 2021 classes (safe to run again)."""
    count = load_occupations(get_state().db.session)
    click.echo(_("Loaded %(count)d NOC 2021 classes.", count=count))
