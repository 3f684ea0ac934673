"""The yearly volunteer recognition list: a page and a CSV for the recognition event."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, render_template, request

from kit.auth.identity import actor_of
from kit.auth.permissions import requires, signed_in
from kit.db import db_session
from kit.i18n import gettext as _
from kit.services.audit import record
from kit.services.recognition import RecognitionRow, recognition_csv, recognition_list
from kit.state import get_state


def register(bp: Blueprint) -> None:
    """Add the recognition pages to the coordinator blueprint."""
    bp.add_url_rule("/recognition", "recognition", recognition)
    bp.add_url_rule("/recognition.csv", "recognition_csv", recognition_download)


def _year() -> int:
    value = request.args.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else date.today().year


def _rows(year: int) -> list[RecognitionRow]:
    return recognition_list(db_session(), year,
                            get_state().config["KIT_RECOGNITION_THRESHOLDS"])


@requires("coordinator")
def recognition() -> str:
    """Volunteers whose confirmed hours of the year reach a threshold, by level."""
    year = _year()
    return render_template("kit/coordinator/recognition.html", year=year, rows=_rows(year),
                           thresholds=get_state().config["KIT_RECOGNITION_THRESHOLDS"])


@requires("coordinator")
def recognition_download() -> Response:
    """The list as CSV, headings in the reader's language."""
    year = _year()
    rows = _rows(year)
    db = db_session()
    record(db, actor_of(signed_in()), "recognition.exported", "year", year,
           {"rows": len(rows)})
    db.commit()
    body = recognition_csv(rows, [_("Name"), _("Department"), _("E-mail"), _("Hours"),
                                  _("Level (hours)")])
    response = Response("\ufeff" + body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="recognition-{year}.csv"'
    return response
