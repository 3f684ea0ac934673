"""Forms of the match pages (coordinator, mentor, newcomer) and the messages of refused steps."""

from __future__ import annotations

import re
from typing import Any

from flask import abort, flash, redirect, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import HiddenField, IntegerField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from kit.db import db_session
from kit.i18n import gettext as _
from kit.i18n import lazy_gettext as _l
from kit.models.matches import CLOSE_REASONS, MATCH_STATUSES
from kit.services.matches import REASON_LENGTH, MatchError

_PAIR = re.compile(r"^(\d{1,9})-(\d{1,9})$")


def close_reason_label(code: str | None) -> str:
    """The reader's-language name of a close reason."""
    names = {
        "completed": _("Completed"),
        "ended_by_mentor": _("Ended early by the mentor"),
        "ended_by_newcomer": _("Ended early by the newcomer"),
        "ended_by_coordinator": _("Ended early by the coordinator"),
    }
    return names.get(code or "", code or "")


def error_message(code: str) -> str:
    """What a person reads when a step on a match is refused (a :class:`MatchError` code)."""
    messages = {
        "already_accepted": _("This match is already accepted by the mentor."),
        "already_active": _("This match is already active."),
        "already_closed": _("This match is already closed."),
        "already_declined": _("This match was declined."),
        "not_accepted_by_mentor": _("The mentor has not accepted this match yet."),
        "reason_required": _("Say why, in a few words."),
        "note_required": _("Say why the match ends early."),
        "reason_too_long": _("Keep it under 500 characters."),
        "invalid_reason": _("Choose a reason from the list."),
        "mentor_full": _("This mentor has no place left."),
        "mentor_unavailable": _("This mentor is not available for matching (paused, withdrawn "
                                "or not approved)."),
        "newcomer_matched": _("This newcomer already has a mentor proposed or active."),
        "pair_excluded": _("You excluded this pair."),
        "declined_before": _("This pair declined before; it is not proposed again."),
        "invalid_rule": _("Choose pin or exclude."),
        "not_found": _("This match no longer exists."),
        "invalid_link": _("This link is broken or has expired."),
        "already_decided": _("This request was already answered."),
    }
    return messages.get(code, _("This step is not possible now."))


class MatchFilterForm(FlaskForm):
    """The matches list's status filter (GET: no CSRF token)."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), default="")

    def __init__(self, **kwargs: Any) -> None:
        from kit.labels import label

        super().__init__(**kwargs)
        self.status.choices = {"": _("All"), **{code: label("match_status", code)
                                                 for code in MATCH_STATUSES}}

    def value(self) -> str | None:
        """The chosen status, or None for all (an unknown value counts as all)."""
        return self.status.data if self.status.data in MATCH_STATUSES else None


class ProposeForm(FlaskForm):
    """Propose one suggested pair."""

    volunteer_id = IntegerField(validators=[InputRequired(), NumberRange(min=1)])
    newcomer_id = IntegerField(validators=[InputRequired(), NumberRange(min=1)])
    back = HiddenField(default="newcomer")


class RuleForm(FlaskForm):
    """Pin or exclude a pair in a cohort's batch."""

    volunteer_id = IntegerField(validators=[InputRequired(), NumberRange(min=1)])
    newcomer_id = IntegerField(validators=[InputRequired(), NumberRange(min=1)])
    kind = SelectField(choices={"pin": "pin", "exclude": "exclude"},
                       validators=[InputRequired()])


class PublishForm(FlaskForm):
    """The pairs of the assignment the coordinator saw, as "volunteer-newcomer" values."""

    pair = SelectMultipleField(validate_choice=False, validators=[DataRequired()])

    def pairs(self) -> list[tuple[int, int]] | None:
        """The posted pairs, or None when one of them is not a pair of ids."""
        found = [_PAIR.match(value or "") for value in self.pair.data or ()]
        if not found or not all(found):
            return None
        return [(int(m.group(1)), int(m.group(2))) for m in found if m]


class CloseForm(FlaskForm):
    """The coordinator ends a match: completed, or early with a note."""

    reason = SelectField(_l("Why the match ends"), validators=[InputRequired()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=REASON_LENGTH)],
                         description=_l("Needed when the match ends early."))

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.reason.choices = {code: close_reason_label(code) for code in CLOSE_REASONS}


class ReasonForm(FlaskForm):
    """Decline a match, or end it early: the reason is required."""

    reason = TextAreaField(_l("Reason"), validators=[DataRequired(message=_l(
        "Say why, in a few words.")), Length(max=REASON_LENGTH)])


def refused(error: MatchError) -> Response:
    """Undo a refused step and go back to the person's matches with the reason (404: not theirs)."""
    db_session().rollback()
    if error.code == "not_found":
        abort(404)
    flash(error_message(error.code), "error")
    return redirect(url_for(".matches"))
