"""The coordinator's cohorts: the list, a new cohort, changes, closing and reopening; and
moving an accepted newcomer to another cohort from their referral."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kit.auth.identity import actor_of
from kit.auth.permissions import requires, signed_in
from kit.blueprints.coordinator import referrals as referral_pages
from kit.blueprints.coordinator.cohort_forms import CohortForm, MoveCohortForm
from kit.blueprints.coordinator.forms import ButtonForm
from kit.blueprints.coordinator.referral_forms import DecisionForm
from kit.blueprints.followup_forms import UNPROCESSABLE, field_error
from kit.db import db_session
from kit.i18n import gettext as _
from kit.services.cohorts import (
    MAX_TARGET_HOURS,
    CohortError,
    create_cohort,
    default_cohort,
    get_cohort,
    list_cohorts,
    move_referral,
    program_day,
    set_cohort_open,
    update_cohort,
)

LIST = ".cohorts"
CONFLICT = 409


def register(bp: Blueprint) -> None:
    """Add the cohort pages to the coordinator blueprint."""
    bp.add_url_rule("/cohorts", "cohorts", cohorts)
    bp.add_url_rule("/cohorts/new", "new_cohort", new_cohort, methods=["GET", "POST"])
    bp.add_url_rule("/cohorts/<int:cohort_id>/edit", "edit_cohort", edit_cohort,
                    methods=["GET", "POST"])
    bp.add_url_rule("/cohorts/<int:cohort_id>/close", "close_cohort", close_cohort,
                    methods=["POST"])
    bp.add_url_rule("/cohorts/<int:cohort_id>/reopen", "reopen_cohort", reopen_cohort,
                    methods=["POST"])
    bp.add_url_rule("/referrals/<int:referral_id>/cohort", "move_referral", move,
                    methods=["POST"])


@requires("coordinator")
def cohorts() -> str:
    """Every cohort with its dates, target, newcomers and matches, and its batch matching."""
    db = db_session()
    rows = list_cohorts(db)
    default = default_cohort(db, program_day())
    return render_template("kit/coordinator/cohorts.html", rows=rows, button=ButtonForm(),
                           default_id=default.id if default is not None else None)


def _form_page(form: CohortForm, cohort_id: int | None, status: int = 200
               ) -> tuple[str, int]:
    return render_template("kit/coordinator/cohort_form.html", form=form, cohort_id=cohort_id,
                           max_hours=MAX_TARGET_HOURS), status


def _save(form: CohortForm, cohort_id: int | None) -> Response | tuple[str, int]:
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _form_page(form, cohort_id, UNPROCESSABLE)
    db = db_session()
    actor = actor_of(signed_in())
    try:
        if cohort_id is None:
            saved = create_cohort(db, actor, form.cohort())
        else:
            saved = update_cohort(db, actor, cohort_id, form.cohort())
    except CohortError as error:
        db.rollback()
        if error.code == "not_found":
            abort(404)
        field_error(form, error.field, error.message)
        return _form_page(form, cohort_id, UNPROCESSABLE)
    name = saved.name
    db.commit()
    flash(_("The cohort %(name)s is created: accepted newcomers can join it.", name=name)
          if cohort_id is None else _("The cohort %(name)s is saved.", name=name), "info")
    return redirect(url_for(LIST))


@requires("coordinator")
def new_cohort() -> Response | tuple[str, int]:
    """Set up a program cycle: name, first and last day, target hours per match."""
    form = CohortForm()
    if request.method == "POST":
        return _save(form, None)
    return _form_page(form, None)


@requires("coordinator")
def edit_cohort(cohort_id: int) -> Response | tuple[str, int]:
    """Change a cohort's name, dates or target hours."""
    try:
        cohort = get_cohort(db_session(), cohort_id)
    except CohortError:
        abort(404)
    if request.method == "POST":
        return _save(CohortForm(), cohort_id)
    return _form_page(CohortForm(obj=cohort), cohort_id)


def _open_or_close(cohort_id: int, is_open: bool) -> Response:
    if not ButtonForm().validate_on_submit():
        abort(400)
    db = db_session()
    try:
        cohort = set_cohort_open(db, actor_of(signed_in()), cohort_id, is_open)
    except CohortError:
        db.rollback()
        abort(404)
    name = cohort.name
    db.commit()
    flash(_("The cohort %(name)s is open again: accepted newcomers can join it.", name=name)
          if is_open else
          _("The cohort %(name)s is closed: no newcomer joins it any more. Its newcomers and "
            "matches stay as they are.", name=name), "info")
    return redirect(url_for(LIST))


@requires("coordinator")
def close_cohort(cohort_id: int) -> Response:
    """Close a cohort: it is no longer offered when a referral is accepted."""
    return _open_or_close(cohort_id, False)


@requires("coordinator")
def reopen_cohort(cohort_id: int) -> Response:
    """Reopen a closed cohort."""
    return _open_or_close(cohort_id, True)


@requires("coordinator")
def move(referral_id: int) -> Response | tuple[str, int]:
    """Move an accepted newcomer without a mentor to another open cohort, or out of any."""
    form = MoveCohortForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return referral_pages._render_file(referral_id, DecisionForm(formdata=None),
                                          UNPROCESSABLE, move_form=form)
    db = db_session()
    try:
        referral = move_referral(db, actor_of(signed_in()), referral_id, form.cohort_id())
    except CohortError as error:
        db.rollback()
        if error.code == "not_found":
            abort(404)
        if error.code != "cohort_unavailable":
            # A mentor was proposed meanwhile (or the referral is not accepted): no form to
            # correct, the page says why nothing changed.
            return referral_pages._render_file(referral_id, DecisionForm(formdata=None),
                                              CONFLICT, problem=error.message)
        form.cohort.errors = [error.message]
        return referral_pages._render_file(referral_id, DecisionForm(formdata=None),
                                          UNPROCESSABLE, move_form=form)
    name = referral.newcomer.display_name
    cohort = referral.cohort.name if referral.cohort is not None else None
    db.commit()
    flash(_("%(name)s is now in %(cohort)s.", name=name, cohort=cohort) if cohort else
          _("%(name)s is in no cohort now.", name=name), "info")
    return redirect(url_for(".referral", referral_id=referral_id))
