"""The newcomer's mentor: who is proposed and why, accept or decline; the agreement."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from kit.auth.identity import actor_of
from kit.auth.permissions import requires, signed_in
from kit.blueprints.coordinator.forms import ButtonForm
from kit.blueprints.coordinator.match_forms import (
    ReasonForm,
    close_reason_label,
    error_message,
    refused,
)
from kit.db import db_session
from kit.i18n import gettext as _
from kit.services.explanations import occupation_label, reason_texts
from kit.services.match_queries import newcomer_matches
from kit.services.matches import MatchError, close_match, newcomer_accept, newcomer_decline
from kit.services.matching import explain_pairs


def register(bp: Blueprint) -> None:
    """Add the newcomer's match pages to the newcomer blueprint."""
    bp.add_url_rule("/mentor", "matches", matches)
    bp.add_url_rule("/mentor/<int:match_id>/accept", "accept_match", accept, methods=["POST"])
    bp.add_url_rule("/mentor/<int:match_id>/decline", "decline_match", decline,
                    methods=["POST"])
    bp.add_url_rule("/mentor/<int:match_id>/end", "end_match", end, methods=["POST"])


def _render(forms: dict[int, ReasonForm] | None = None, code: int = 200) -> tuple[str, int]:
    db = db_session()
    found = newcomer_matches(db, signed_in().id)
    waiting = [(m.volunteer_id, m.newcomer_id) for m in found if m.status == "mentor_accepted"]
    reasons = explain_pairs(db, waiting)
    return render_template(
        "kit/newcomer/matches.html", matches=found, forms=forms or {},
        blank=ReasonForm(formdata=None), button=ButtonForm(), occupation=occupation_label,
        close_reason_label=close_reason_label,
        why={pair: reason_texts(r) for pair, r in reasons.items()}), code


@requires("newcomer")
def matches() -> tuple[str, int]:
    """The mentor proposed to me (with why) and my active agreement."""
    return _render()


@requires("newcomer")
def accept(match_id: int) -> Response:
    """Accept the proposed mentor: the mentoring starts today."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    db = db_session()
    try:
        newcomer_accept(db, actor_of(signed_in()), match_id, signed_in().id)
    except MatchError as error:
        return refused(error)
    db.commit()
    flash(_("Welcome to the program! Your mentor will contact you to plan your first "
            "meeting."), "info")
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
            newcomer_decline(db, actor_of(signed_in()), match_id, signed_in().id,
                             form.reason.data)
        else:
            close_match(db, actor_of(signed_in()), match_id, "ended_by_newcomer",
                        form.reason.data, newcomer_id=signed_in().id)
    except MatchError as error:
        if error.code in ("reason_required", "note_required", "reason_too_long"):
            db.rollback()
            form.reason.errors = [error_message(error.code)]
            return _render({match_id: form}, 422)
        return refused(error)
    db.commit()
    flash(_("Your answer is recorded; the program coordinator will contact you.")
          if step == "decline" else _("Your mentoring has ended; your mentor is told."), "info")
    return redirect(url_for(".matches"))


@requires("newcomer")
def decline(match_id: int) -> Response | tuple[str, int]:
    """Decline the proposed mentor, saying why."""
    return _with_reason(match_id, "decline")


@requires("newcomer")
def end(match_id: int) -> Response | tuple[str, int]:
    """End the mentoring early, saying why."""
    return _with_reason(match_id, "end")
