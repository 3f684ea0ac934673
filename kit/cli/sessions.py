"""``flask kit sessions ...``: reminders, attendance nudges and idle matches, for cron.

Safe to run as often as you like and on several hosts at once: each e-mail has a unique outbox
key, so it is queued once whoever runs first. The e-mails leave with ``flask kit outbox send``;
links in them need SERVER_NAME.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from kit.services.session_notices import (
    check_idle_matches,
    send_attendance_nudges,
    send_reminders,
)
from kit.state import get_state


@click.group("sessions")
def sessions() -> None:
    """Jobs about sessions and the pace of matches."""


@sessions.command("remind")
@with_appcontext
def remind() -> None:
    """Remind attendees of sessions starting within KIT_REMINDER_HOURS (run every hour)."""
    db = get_state().db.session
    count = send_reminders(db)
    db.commit()
    click.echo(f"Queued {count} reminders.")


@sessions.command("nudge")
@with_appcontext
def nudge() -> None:
    """Ask mentors, once, to mark attendance of sessions past KIT_ATTENDANCE_NUDGE_DAYS."""
    db = get_state().db.session
    count = send_attendance_nudges(db)
    db.commit()
    click.echo(f"Queued {count} attendance nudges.")


@sessions.command("pace")
@with_appcontext
def pace() -> None:
    """Warn both sides of idle matches, then propose closing them to the coordinators (daily)."""
    db = get_state().db.session
    report = check_idle_matches(db)
    db.commit()
    click.echo(f"Queued {report.warnings} idle warnings and {report.proposals} closing "
               "proposals.")
