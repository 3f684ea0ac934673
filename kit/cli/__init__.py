"""``flask kit ...``: the kit's commands for operators and cron jobs."""

from __future__ import annotations

from flask.cli import AppGroup

from kit.cli.auth import auth
from kit.cli.checkins import checkins
from kit.cli.db import db_group
from kit.cli.demo import demo
from kit.cli.directory import directory
from kit.cli.occupations import occupations
from kit.cli.outbox import outbox
from kit.cli.outcomes import outcomes
from kit.cli.privacy import privacy
from kit.cli.referrals import referrals
from kit.cli.reports import reports
from kit.cli.sessions import sessions

kit_cli = AppGroup("kit", help="Mentoring kit: database, reference data, demo and jobs.")
for command in (db_group, occupations, demo, outbox, directory, auth, referrals, privacy,
                sessions):
    kit_cli.add_command(command)
for command in (checkins, outcomes, reports):
    kit_cli.add_command(command)
