"""``flask bank ...``: the intranet's own commands (the kit brings ``flask kit ...``)."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from northshore.extensions import db
from northshore.models import Announcement, Branch

bank_cli = AppGroup("bank", help="Northshore intranet commands.")

SAMPLE_BRANCHES = [
    ("00120", "Main Street", "770 Main Street", "Moncton", "NB", "506-555-0120", date(1961, 5, 2)),
    ("00214", "Dieppe Centre", "41 Champlain Street", "Dieppe", "NB", "506-555-0214",
     date(1988, 9, 12)),
    ("00305", "Shediac Bay", "9 Pleasant Street", "Shediac", "NB", "506-555-0305",
     date(1974, 6, 1)),
    ("00418", "Caraquet Harbour", "150 Saint-Pierre Boulevard West", "Caraquet", "NB",
     "506-555-0418", date(1992, 3, 16)),
    ("00522", "Riverview", "1 Coverdale Road", "Riverview", "NB", "506-555-0522",
     date(2004, 11, 8)),
]
SAMPLE_ANNOUNCEMENTS = [
    ("Newcomer Career Mentoring opens for volunteers",
     "Share your profession with a skilled newcomer for about 24 hours over four months. "
     "Find the program under Community in the menu.", date(2026, 10, 14), None, "en"),
    ("Collecte pour la banque alimentaire de Dieppe",
     "Déposez vos dons à l'accueil de la succursale jusqu'au 31 octobre. Merci!",
     date(2026, 10, 12), "00214", "fr"),
    ("Mortgage renewal season",
     "Rate holds for renewals in January open on Monday; see the lending bulletin.",
     date(2026, 10, 9), None, "en"),
    ("Caraquet Harbour opens on Saturdays",
     "From November, the branch opens from 9:00 to 13:00 on Saturdays.",
     date(2026, 10, 2), "00418", "en"),
]


@bank_cli.command("init-db")
@click.option("--sample-data", is_flag=True, help="Add a few branches and announcements.")
def init_db(sample_data: bool) -> None:
    """Create the intranet's own tables (the kit's come from 'flask kit db upgrade')."""
    db.create_all()  # the intranet's metadata only: no kit_* table is created here
    click.echo("Created the intranet's tables.")
    if not sample_data:
        return
    if db.session.scalar(select(func.count()).select_from(Branch)):
        click.echo("Branches exist already: no sample data added.")
        return
    branches = {row[0]: Branch(transit=row[0], name=row[1], street=row[2], city=row[3],
                               province=row[4], phone=row[5], opened_on=row[6])
                for row in SAMPLE_BRANCHES}
    db.session.add_all(branches.values())
    db.session.add_all(Announcement(title=title, body=body, published_on=day, language=language,
                                    branch=branches.get(transit) if transit else None)
                       for title, body, day, transit, language in SAMPLE_ANNOUNCEMENTS)
    db.session.commit()
    click.echo(f"Added {len(SAMPLE_BRANCHES)} branches and "
               f"{len(SAMPLE_ANNOUNCEMENTS)} announcements.")
