"""The coordinator's view of the connector format: chains per newcomer, starting a chain."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from kit.auth.identity import actor_of
from kit.auth.permissions import requires, signed_in
from kit.blueprints.staff.connector import INTRODUCTION_STATUS_LABELS, error_message
from kit.blueprints.staff.format_forms import StartChainForm
from kit.db import db_session
from kit.i18n import gettext as _
from kit.models import Newcomer
from kit.services.audit import record_view, record_views
from kit.services.connector_chains import (
    chain_rows,
    chain_summary,
    connectors,
    newcomer_chain,
    newcomers_to_connect,
)
from kit.services.connectors import ConnectorError, schedule_connector_meeting
from kit.services.session_conflicts import SessionConflict
from kit.state import get_state
from kit.web import page_number


def register(bp: Blueprint) -> None:
    """Add the connector chains' pages to the coordinator blueprint."""
    bp.add_url_rule("/connectors", "connectors", chains)
    bp.add_url_rule("/connectors/start", "start_chain", start, methods=["POST"])
    bp.add_url_rule("/connectors/newcomers/<int:newcomer_id>", "connector_chain", chain)


def _chains_page(form: StartChainForm | None = None, status: int = 200) -> tuple[str, int]:
    db = db_session()
    rows, pages = chain_rows(db, page_number(), get_state().config["KIT_PAGE_SIZE"])
    form = form or StartChainForm(formdata=None)
    _choices(form)
    record_views(db, actor_of(signed_in()),
                 [row.newcomer_id for row in rows] + [value for value, _n in
                                                      form.newcomer.choices], "list")
    db.commit()
    return render_template("kit/coordinator/connectors.html", rows=rows, pages=pages,
                           page=min(page_number(), pages), summary=chain_summary(db),
                           form=form), status


def _choices(form: StartChainForm) -> None:
    db = db_session()
    form.newcomer.choices = [(n.id, n.display_name) for n in newcomers_to_connect(db)]
    form.connector.choices = [(s.id, s.display_name) for s in connectors(db)]


@requires("coordinator")
def chains() -> tuple[str, int]:
    """Every newcomer's chain in figures, the program's totals, and a first meeting to start."""
    return _chains_page()


@requires("coordinator")
def start() -> Response | tuple[str, int]:
    """Schedule a newcomer's first 30-minute connector meeting with a connector."""
    form = StartChainForm()
    _choices(form)
    valid = form.validate()
    if form.csrf_token.errors:
        abort(400)
    interval = form.interval() if valid else None
    if interval is None:
        return _chains_page(form, 422)
    db = db_session()
    try:
        session = schedule_connector_meeting(
            db, actor_of(signed_in()), connector_id=form.connector.data,
            newcomer_id=form.newcomer.data, starts_at=interval[0], place=form.place())
    except SessionConflict as conflict:
        db.rollback()
        form.start.errors = [conflict.message()]
        return _chains_page(form, 422)
    except ConnectorError as error:
        db.rollback()
        form.connector.errors = [error_message(error)]
        return _chains_page(form, 422)
    db.commit()
    flash(_("The connector meeting is scheduled; the connector and the newcomer receive the "
            "invitation."), "info")
    return redirect(url_for(".connector_chain", newcomer_id=form.newcomer.data,
                            _anchor=f"meeting-{session.id}"))


@requires("coordinator")
def chain(newcomer_id: int) -> str:
    """One newcomer's chain as a tree: each meeting, who was introduced, where it led."""
    db = db_session()
    newcomer = db.get(Newcomer, newcomer_id)
    if newcomer is None or newcomer.is_erased:
        abort(404)
    record_view(db, actor_of(signed_in()), newcomer.id, "connector_chain")
    db.commit()
    return render_template("kit/coordinator/connector_chain.html", newcomer=newcomer,
                           tree=newcomer_chain(db, newcomer_id),
                           labels=INTRODUCTION_STATUS_LABELS)
