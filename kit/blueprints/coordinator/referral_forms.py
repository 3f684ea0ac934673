"""Forms of the coordinator's referral pages: the queue's filters and the decision."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from kit.blueprints.coordinator.cohort_forms import (
    check_cohort_value,
    chosen_cohort,
    cohort_choices,
)
from kit.i18n import gettext as _
from kit.i18n import lazy_gettext as _l
from kit.labels import label
from kit.models import Cohort
from kit.services.cohorts import CohortChoice
from kit.services.referral_queue import QUEUE_STATUSES
from kit.services.referrals import REASON_CODES
from kit.web import QuickSelect


class QueueFilterForm(FlaskForm):
    """The queue's filters, read from the query string (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), default="submitted")
    # Every agency is an option: drawn by the cheaper widget (same HTML) on each queue page.
    agency = SelectField(_l("Agency"), default="", widget=QuickSelect())
    sort = SelectField(_l("Order"), default="oldest")

    def __init__(self, agencies: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Choices in the reader's language, built for each request.
        self.status.choices = {**{code: label("referral_status", code)
                                  for code in QUEUE_STATUSES}, "all": _("All")}
        self.agency.choices = {"": _("All agencies"), **{str(i): n for i, n in agencies}}
        self.sort.choices = {"oldest": _("Oldest first"), "newest": _("Newest first")}

    def value(self, name: str) -> str:
        """The field's value when it is one of its choices, else its default."""
        field = self[name]
        return field.data if field.data in field.choices else field.default


class DecisionForm(FlaskForm):
    """Accept a referral, or refer it back with at least one reason and a note."""

    reasons = SelectMultipleField(
        _l("Reasons for referring back"), option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False), validate_choice=False)
    cohort = SelectField(_l("Cohort"), validate_choice=False, description=_l(
        "When you accept, the newcomer joins this cohort's batch matching; you can move them "
        "until a mentor is proposed."))
    note = TextAreaField(_l("Note to the agency"), validators=[Optional(), Length(max=2000)],
                         description=_l("The agency reads it with the decision."))
    accept = SubmitField(_l("Accept"))
    refer_back = SubmitField(_l("Refer back"))

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Labels in the reader's language, resolved when the form is built for a request.
        self.reasons.choices = {code: label("reason", code) for code in REASON_CODES}

    def set_cohorts(self, cohorts: Sequence[Cohort], default: Cohort | None) -> None:
        """Offer the open cohorts, ``default`` chosen until the coordinator picks another."""
        self.cohort.choices = cohort_choices(cohorts)
        if not self.cohort.raw_data:
            self.cohort.data = str(default.id) if default is not None else ""

    def validate_cohort(self, field: SelectField) -> None:
        """A cohort's number or nothing; the service checks that it is open."""
        check_cohort_value(field)

    def cohort_choice(self) -> CohortChoice:
        """The cohort chosen; the day's default when the form did not send one."""
        return chosen_cohort(self.cohort)

    def validate(self, extra_validators: Any = None) -> bool:
        """One of the two buttons, and a reason when referring back."""
        valid = super().validate(extra_validators)
        if not self.accept.data and not self.refer_back.data:
            self.form_errors.append(_l("Choose Accept or Refer back."))
            return False
        if self.refer_back.data and not self.reasons.data:
            self.reasons.errors = [*self.reasons.errors,
                                   _l("Choose at least one reason to refer the newcomer back.")]
            return False
        return valid
