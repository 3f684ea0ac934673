"""What every reports view needs: the report context and the filter form."""

from __future__ import annotations

from flask import request

from kit.blueprints.reports.build import Context
from kit.blueprints.reports.forms import ReportFilterForm
from kit.db import db_session
from kit.models.base import utcnow
from kit.reporting.filters import FILTER_NAMES
from kit.reporting.queries import filter_choices
from kit.state import get_state

#: Filters offered on the overview, the printable page and the funders' export: every one.
ALL_FILTERS = frozenset(FILTER_NAMES)


def context() -> Context:
    """The database, time zone, clock and stall threshold a report runs with."""
    config = get_state().config
    return Context(db_session(), config["KIT_TIMEZONE"], utcnow(),
                   int(config.get("KIT_STALL_DAYS", 21)))


def filter_form() -> ReportFilterForm:
    """The filter form filled from the query string (validate it before use)."""
    return ReportFilterForm(filter_choices(db_session()), formdata=request.args)
