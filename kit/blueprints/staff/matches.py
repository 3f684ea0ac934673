"""A mentor's matches (accept, decline, the agreement, end early) and the manager's approval."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response

from kit.auth.identity import actor_of
from kit.auth.permissions import public, requires, signed_in
from kit.blueprints.coordinator.match_forms import (
    ReasonForm,
    close_reason_label,
    error_message,
    refused,
)
from kit.blueprints.staff.forms import ButtonForm
from kit.db import db_session
from kit.i18n import gettext as _
from kit.services.audit import record_views
from kit.services.explanations import occupation_label, reason_texts
from kit.services.manager_approval import decide, open_request
from kit.services.match_queries import mentor_matches
from kit.services.matches import (
    MatchError,
    close_match,
    mentor_accept,
    mentor_decline,
)
from kit.services.matching import explain_pairs
from kit.services.pace import match_paces


def register(bp: Blueprint) -> None:
    """Add the mentor's match pages and the manager's approval page to the staff blueprint."""
    bp.add_url_rule("/matches", "matches", matches)
    bp.add_url_rule("/matches/<int:match_id>/accept", "accept_match", accept, methods=["POST"])
    bp.add_url_rule("/matches/<int:match_id>/decline", "decline_match", decline,
                    methods=["POST"])
    bp.add_url_rule("/matches/<int:match_id>/end", "end_match", end, methods=["POST"])
    bp.add_url_rule("/manager-approval/<token>", "manager_approval", manager_approval,
                    methods=["GET", "POST"])


def _render(forms: dict[int, ReasonForm] | None = None, code: int = 200) -> tuple[str, int]:
    db = db_session()
    staff_id = signed_in().id
    found = mentor_matches(db, staff_id)
    record_views(db, actor_of(signed_in()), (m.newcomer_id for m in found), "match")
    waiting = [(m.volunteer_id, m.newcomer_id) for m in found if m.status == "proposed"]
    reasons = explain_pairs(db, waiting)
    paces = {p.match_id: p for p in match_paces(db, staff_id=staff_id)}
    html = render_template(
        "kit/staff/matches.html", matches=found, forms=forms or {}, blank=ReasonForm(formdata=None),
        button=ButtonForm(), occupation=occupation_label, paces=paces,
        close_reason_label=close_reason_label,
        why={pair: reason_texts(r) for pair, r in reasons.items()})
    db.commit()
    return html, code


@requires("staff")
def matches() -> tuple[str, int]:
    """My matches: proposals to answer first, then the active ones with their agreement."""
    return _render()


@requires("staff")
def accept(match_id: int) -> Response:
    """Accept a proposed newcomer; they are asked next."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    db = db_session()
    try:
        mentor_accept(db, actor_of(signed_in()), match_id, signed_in().id)
    except MatchError as error:
        return refused(error)
    db.commit()
    flash(_("Thank you! The newcomer is asked to accept; you will get an e-mail."), "info")
    return redirect(url_for(".matches"))


def _with_reason(match_id: int, step: str) -> Response | tuple[str, int]:
    form = ReasonForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _render({match_id: form}, 422)
    db = db_session()
    try:
        if step == "decline":
            mentor_decline(db, actor_of(signed_in()), match_id, signed_in().id, form.reason.data)
        else:
            close_match(db, actor_of(signed_in()), match_id, "ended_by_mentor",
                        form.reason.data, staff_id=signed_in().id)
    except MatchError as error:
        if error.code in ("reason_required", "note_required", "reason_too_long"):
            db_session().rollback()
            form.reason.errors = [error_message(error.code)]
            return _render({match_id: form}, 422)
        return refused(error)
    db.commit()
    flash(_("The match is declined; the coordinator is told.") if step == "decline" else
          _("The match has ended; the newcomer and the coordinator are told."), "info")
    return redirect(url_for(".matches"))


@requires("staff")
def decline(match_id: int) -> Response | tuple[str, int]:
    """Decline a proposed newcomer, saying why."""
    return _with_reason(match_id, "decline")


@requires("staff")
def end(match_id: int) -> Response | tuple[str, int]:
    """End an active match early, saying why."""
    return _with_reason(match_id, "end")


@public
def manager_approval(token: str) -> Response | tuple[str, int]:
    """The manager approves or declines mentoring on work hours, through a signed link."""
    db = db_session()
    found = open_request(db, current_app.secret_key, token)
    if found is None:
        return render_template("kit/staff/match_manager.html", found=None, form=None), 404
    form = ButtonForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        choice = request.form.get("decision")
        if choice not in ("approve", "decline"):
            abort(422)
        try:
            decide(db, current_app.secret_key, token, choice == "approve", request.remote_addr)
        except MatchError as error:
            db.rollback()
            flash(error_message(error.code), "error")
        else:
            db.commit()
            flash(_("Thank you: your answer is recorded and the program coordinator sees it."),
                  "info")
        return redirect(url_for(".manager_approval", token=token))
    return render_template("kit/staff/match_manager.html", found=found, form=form), 200
