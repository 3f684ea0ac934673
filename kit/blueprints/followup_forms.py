"""Forms shared by the areas' hours, check-in, outcome and recognition pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import render_template
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    Field,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from kit.i18n import gettext as _
from kit.i18n import lazy_gettext as _l
from kit.services import hours as hours_service
from kit.services import outcomes as outcome_service
from kit.services.checkins import CheckInAnswer, Question

UNPROCESSABLE = 422


class ButtonForm(FlaskForm):
    """A button that changes something: a POST with a CSRF token."""


class HoursForm(FlaskForm):
    """One hours entry typed by a mentor."""

    worked_on = DateField(_l("Day"), validators=[InputRequired(_l("Enter the day."))])
    hours = DecimalField(_l("Hours"), places=2, validators=[
        InputRequired(_l("Enter the hours, such as 1.5.")),
        NumberRange(min=0.01, max=24, message=_l("Enter more than 0 and at most 24 hours."))])
    category = SelectField(_l("Category"), choices=[
        SelectChoice(c, hours_service.CATEGORY_LABELS[c])
        for c in hours_service.MANUAL_CATEGORIES])
    match_id = SelectField(_l("Match"), choices=[], validate_choice=True)
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=1000)])

    def set_matches(self, matches: Sequence[Any]) -> None:
        """Offer the mentor's matches (and 'none')."""
        self.match_id.choices = [SelectChoice("", _("No particular match"))] + [
            SelectChoice(str(m.id), m.newcomer.display_name) for m in matches]

    def entry(self) -> hours_service.HoursInput:
        """The typed entry for the service."""
        return hours_service.HoursInput(
            worked_on=self.worked_on.data, hours=self.hours.data, category=self.category.data,
            note=(self.note.data or "").strip() or None,
            match_id=int(self.match_id.data) if self.match_id.data else None)


class ReasonForm(FlaskForm):
    """Why hours are rejected."""

    reason = TextAreaField(_l("Why are these hours not right?"), validators=[
        InputRequired(_l("Say why these hours are not right.")), Length(max=1000)])


SATISFACTION = [SelectChoice("5", _l("5 · Very satisfied")),
                SelectChoice("4", _l("4 · Satisfied")), SelectChoice("3", _l("3 · Neutral")),
                SelectChoice("2", _l("2 · Dissatisfied")),
                SelectChoice("1", _l("1 · Very dissatisfied"))]


class CheckInForm(FlaskForm):
    """The monthly check-in; the program's extra questions are added by :func:`checkin_form`."""

    satisfaction = RadioField(_l("How satisfied are you with the mentoring this month?"),
                              choices=SATISFACTION,
                              validators=[InputRequired(_l("Choose from 1 to 5."))])
    went_well = TextAreaField(_l("What went well?"), validators=[Optional(), Length(max=2000)])
    concerns = TextAreaField(_l("Any concerns? The program coordinator reads them."),
                             validators=[Optional(), Length(max=2000)])

    def extra_fields(self) -> list[Field]:
        """The fields of the program's extra questions, in order."""
        return [field for name, field in self._fields.items() if name.startswith("q_")]

    def answer(self, extra: Sequence[Question]) -> CheckInAnswer:
        """The answer for the service."""
        answers = {q.key: self[f"q_{q.key}"].data for q in extra
                   if self[f"q_{q.key}"].data not in (None, "")}
        return CheckInAnswer(int(self.satisfaction.data), self.went_well.data,
                             self.concerns.data, answers)


def checkin_form(extra: Sequence[Question], prefix: str = "") -> CheckInForm:
    """A check-in form with the program's extra questions."""

    class Form(CheckInForm):
        pass

    for question in extra:
        field: Field
        if question.kind == "scale":
            field = IntegerField(question.text, validators=[
                Optional(), NumberRange(min=1, max=5, message=_l("Choose from 1 to 5."))])
        else:
            field = TextAreaField(question.text, validators=[Optional(), Length(max=2000)])
        setattr(Form, f"q_{question.key}", field)
    return Form(prefix=prefix)


class OutcomeForm(FlaskForm):
    """A newcomer's employment status at one interval of one match."""

    interval = SelectField(_l("Follow-up"), choices=[], validate_choice=True)
    status = SelectField(_l("Employment status"), choices=[
        SelectChoice(code, label) for code, label in outcome_service.STATUS_LABELS.items()])
    employed_since = DateField(_l("Working there since"), validators=[Optional()])
    noc_code = StringField(_l("Occupation (NOC 2021 code)"),
                           validators=[Optional(), Length(max=5)])

    def set_intervals(self, rows: Sequence[outcome_service.IntervalRow], today: Any) -> None:
        """Offer the due intervals as 'match:interval'."""
        self.interval.choices = [
            SelectChoice(f"{row.match.id}:{row.interval}",
                         f"{row.match.volunteer.staff.display_name} · "
                         f"{outcome_service.INTERVAL_LABELS[row.interval]}")
            for row in rows if row.due_on <= today]

    def target(self) -> tuple[int, str]:
        """(match id, interval) chosen."""
        match_id, _sep, interval = self.interval.data.partition(":")
        return int(match_id), interval

    def outcome(self) -> outcome_service.OutcomeInput:
        """The reported outcome for the service."""
        return outcome_service.OutcomeInput(self.status.data, self.employed_since.data,
                                            (self.noc_code.data or "").strip() or None)


def field_error(form: FlaskForm, field: str | None, message: str) -> None:
    """Show a service's refusal on the field it names (or above the form)."""
    if field and field in form:
        form[field].errors = [*form[field].errors, message]
    else:
        form.form_errors.append(message)


def unprocessable(template: str, **context: Any) -> tuple[str, int]:
    """Re-render a form with its errors: HTTP 422."""
    return render_template(template, **context), UNPROCESSABLE
