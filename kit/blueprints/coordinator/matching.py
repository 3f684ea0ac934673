"""The coordinator's matching pages: matches, suggestions, a cohort's batch, a match's detail."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kit.auth.identity import actor_of
from kit.auth.permissions import requires, signed_in
from kit.blueprints.coordinator.forms import ButtonForm
from kit.blueprints.coordinator.match_forms import (
    CloseForm,
    MatchFilterForm,
    ProposeForm,
    PublishForm,
    RuleForm,
    close_reason_label,
    error_message,
)
from kit.db import db_session
from kit.i18n import gettext as _
from kit.i18n import ngettext
from kit.models import Cohort, Newcomer
from kit.services.audit import record_view, record_views
from kit.services.explanations import occupation_label, reason_texts
from kit.services.match_proposals import propose, publish, remove_pair_rule, set_pair_rule
from kit.services.match_queries import list_matches, open_cohorts
from kit.services.matches import MatchError, close_match, match_detail
from kit.services.matching import explain_pairs, run_batch, suggest_mentors, suggest_newcomers
from kit.state import get_state
from kit.web import page_number


def register(bp: Blueprint) -> None:
    """Add the matching pages to the coordinator blueprint."""
    bp.add_url_rule("/matches", "matches", matches)
    bp.add_url_rule("/matches/<int:match_id>", "match", match)
    bp.add_url_rule("/matches/<int:match_id>/close", "close_match", close, methods=["POST"])
    bp.add_url_rule("/matches/propose", "propose_match", propose_pair, methods=["POST"])
    bp.add_url_rule("/newcomers/<int:newcomer_id>/mentors", "newcomer_suggestions",
                    newcomer_suggestions)
    bp.add_url_rule("/volunteers/<int:volunteer_id>/newcomers", "mentor_suggestions",
                    mentor_suggestions)
    bp.add_url_rule("/cohorts/<int:cohort_id>/matching", "batch", batch)
    bp.add_url_rule("/cohorts/<int:cohort_id>/matching/rules", "add_pair_rule", add_rule,
                    methods=["POST"])
    bp.add_url_rule("/cohorts/<int:cohort_id>/matching/rules/<int:rule_id>/remove",
                    "remove_pair_rule", remove_rule, methods=["POST"])
    bp.add_url_rule("/cohorts/<int:cohort_id>/matching/publish", "publish_matches",
                    publish_pairs, methods=["POST"])


@requires("coordinator")
def matches() -> str:
    """Every match, newest first, filtered by status, a page at a time."""
    db = db_session()
    form = MatchFilterForm(formdata=request.args)
    status = form.value()
    rows, pages = list_matches(db, status, page_number(), get_state().config["KIT_PAGE_SIZE"])
    record_views(db, actor_of(signed_in()), (row.newcomer_id for row in rows), "list")
    cohorts = open_cohorts(db)
    # Rendered before the commit, which would expire the cohorts: one reload each.
    html = render_template("kit/coordinator/matches.html", rows=rows, pages=pages,
                           page=min(page_number(), pages), form=form, status=status or "",
                           cohorts=cohorts)
    db.commit()
    return html


def _render_match(match_id: int, form: CloseForm, code: int = 200) -> tuple[str, int]:
    db = db_session()
    try:
        found = match_detail(db, match_id)
    except MatchError:
        abort(404)
    reasons = explain_pairs(db, [(found.volunteer_id, found.newcomer_id)])
    record_view(db, actor_of(signed_in()), found.newcomer_id, "match")
    # Rendered before the commit, which would expire the loaded history.
    html = render_template(
        "kit/coordinator/match.html", match=found, form=form, close_reason_label=close_reason_label,
        reasons=reason_texts(reasons.get((found.volunteer_id, found.newcomer_id), [])),
        occupation=occupation_label(found.volunteer.noc_code))
    db.commit()
    return html, code


@requires("coordinator")
def match(match_id: int) -> tuple[str, int]:
    """One match: the pair, why, the agreement, the history, and the form to close it."""
    return _render_match(match_id, CloseForm(formdata=None))


@requires("coordinator")
def close(match_id: int) -> Response | tuple[str, int]:
    """Close a match (completed, or ended early with a note)."""
    form = CloseForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _render_match(match_id, form, 422)
    db = db_session()
    try:
        close_match(db, actor_of(signed_in()), match_id, form.reason.data, form.note.data)
    except MatchError as error:
        db.rollback()
        if error.code == "not_found":
            abort(404)
        if error.code in ("note_required", "reason_too_long"):
            form.note.errors = [error_message(error.code)]
            return _render_match(match_id, form, 422)
        flash(error_message(error.code), "error")
        return redirect(url_for(".match", match_id=match_id))
    db.commit()
    flash(_("The match is closed; both sides are told."), "info")
    return redirect(url_for(".match", match_id=match_id))


@requires("coordinator")
def newcomer_suggestions(newcomer_id: int) -> str:
    """The ten best mentors for one newcomer, each with the score and why, and "propose"."""
    db = db_session()
    newcomer = db.get(Newcomer, newcomer_id)
    if newcomer is None or newcomer.is_erased:
        abort(404)
    pairs = suggest_mentors(db, newcomer_id)
    record_view(db, actor_of(signed_in()), newcomer_id, "suggestions")
    html = render_template("kit/coordinator/match_suggestions.html", pairs=pairs,
                           mode="newcomer", newcomer=newcomer, mentor=None, why=reason_texts,
                           occupation=occupation_label, form=ProposeForm(formdata=None),
                           ngettext=ngettext)
    db.commit()
    return html


@requires("coordinator")
def mentor_suggestions(volunteer_id: int) -> str:
    """The ten best unmatched newcomers for one mentor (none when the mentor is full)."""
    db = db_session()
    try:
        mentor, pairs = suggest_newcomers(db, volunteer_id)
    except MatchError:
        abort(404)
    record_views(db, actor_of(signed_in()), (p.newcomer.newcomer_id for p in pairs), "list")
    db.commit()
    return render_template("kit/coordinator/match_suggestions.html", pairs=pairs, mode="mentor",
                           newcomer=None, mentor=mentor, why=reason_texts,
                           occupation=occupation_label, form=ProposeForm(formdata=None),
                           ngettext=ngettext)


@requires("coordinator")
def propose_pair() -> Response:
    """Propose one suggested pair; the mentor is asked by e-mail."""
    form = ProposeForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        abort(422)
    db = db_session()
    back = (url_for(".mentor_suggestions", volunteer_id=form.volunteer_id.data)
            if form.back.data == "mentor"
            else url_for(".newcomer_suggestions", newcomer_id=form.newcomer_id.data))
    try:
        created = propose(db, actor_of(signed_in()), form.volunteer_id.data,
                          form.newcomer_id.data)
    except MatchError as error:
        db.rollback()
        flash(error_message(error.code), "error")
        return redirect(back)
    db.commit()
    flash(_("The match is proposed; the mentor is asked by e-mail."), "info")
    return redirect(url_for(".match", match_id=created.id))


def _render_batch(cohort_id: int, code: int = 200, error: str | None = None
                  ) -> tuple[str, int]:
    db = db_session()
    cohort = db.get(Cohort, cohort_id)
    if cohort is None:
        abort(404)
    result = run_batch(db, cohort_id)
    record_views(db, actor_of(signed_in()),
                 [p.newcomer.newcomer_id for p in result.pairs]
                 + [n.newcomer_id for n in result.unmatched], "list")
    html = render_template("kit/coordinator/match_batch.html", cohort=cohort, result=result,
                           why=reason_texts, occupation=occupation_label, button=ButtonForm(),
                           rule_form=RuleForm(formdata=None),
                           publish_form=PublishForm(formdata=None), error=error,
                           ngettext=ngettext)
    db.commit()
    return html, code


@requires("coordinator")
def batch(cohort_id: int) -> tuple[str, int]:
    """The cohort's best assignment under places, minimum score and the coordinator's rules."""
    return _render_batch(cohort_id)


@requires("coordinator")
def add_rule(cohort_id: int) -> Response | tuple[str, int]:
    """Pin a pair (always assigned) or exclude it (never proposed), then run again."""
    form = RuleForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _render_batch(cohort_id, 422, _("Choose pin or exclude for a pair of the table."))
    db = db_session()
    if db.get(Cohort, cohort_id) is None:
        abort(404)
    try:
        set_pair_rule(db, actor_of(signed_in()), form.volunteer_id.data, form.newcomer_id.data,
                      form.kind.data, cohort_id)
    except MatchError as error:
        db.rollback()
        return _render_batch(cohort_id, 422, error_message(error.code))
    db.commit()
    flash(_("The pair is pinned.") if form.kind.data == "pin" else _("The pair is excluded."),
          "info")
    return redirect(url_for(".batch", cohort_id=cohort_id))


@requires("coordinator")
def remove_rule(cohort_id: int, rule_id: int) -> Response:
    """Drop a pin or an exclusion."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    db = db_session()
    try:
        remove_pair_rule(db, actor_of(signed_in()), rule_id)
    except MatchError:
        db.rollback()
        abort(404)
    db.commit()
    flash(_("The rule is removed."), "info")
    return redirect(url_for(".batch", cohort_id=cohort_id))


@requires("coordinator")
def publish_pairs(cohort_id: int) -> Response | tuple[str, int]:
    """Propose the pairs of the assignment the coordinator saw; each is checked again."""
    form = PublishForm()
    pairs = form.pairs() if form.validate_on_submit() else None
    if form.csrf_token.errors:
        abort(400)
    if pairs is None:
        return _render_batch(cohort_id, 422, _("There is no pair to publish."))
    db = db_session()
    if db.get(Cohort, cohort_id) is None:
        abort(404)
    result = publish(db, actor_of(signed_in()), pairs, cohort_id)
    db.commit()
    if result.created:
        flash(ngettext("%(num)d match proposed; the mentor is asked by e-mail.",
                       "%(num)d matches proposed; each mentor is asked by e-mail.",
                       len(result.created)), "info")
    if result.refused:
        flash(ngettext("%(num)d pair was not proposed: it changed since you ran the matching.",
                       "%(num)d pairs were not proposed: they changed since you ran the "
                       "matching.", len(result.refused)), "error")
    return redirect(url_for(".batch", cohort_id=cohort_id))
