"""Forms of the coordinator's cohort pages, and the cohort choice of a referral."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import format_date
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

from kit.i18n import gettext as _
from kit.i18n import lazy_gettext as _l
from kit.models import Cohort
from kit.services.cohorts import DEFAULT_COHORT, NAME_MAX, CohortChoice, CohortInput


class CohortForm(FlaskForm):
    """A cohort's name, dates and target hours (the service checks them again)."""

    name = StringField(_l("Name"), validators=[
        InputRequired(_l("Enter the cohort's name, such as Fall 2027.")),
        Length(max=NAME_MAX, message=_l("A cohort's name has at most 100 characters."))],
        description=_l("Such as Fall 2027: coordinators and reports show it."))
    starts_on = DateField(_l("First day"), validators=[
        InputRequired(_l("Enter the cohort's first day."))])
    ends_on = DateField(_l("Last day"), validators=[
        InputRequired(_l("Enter the cohort's last day."))])
    target_hours = DecimalField(_l("Target hours per match"), places=2, validators=[
        InputRequired(_l("Enter the hours each match aims at, such as 24."))])

    def cohort(self) -> CohortInput:
        """The typed cohort for the service."""
        return CohortInput(name=self.name.data or "", starts_on=self.starts_on.data,
                           ends_on=self.ends_on.data, target_hours=self.target_hours.data)


def cohort_label(cohort: Cohort) -> str:
    """A cohort as a choice: its name and dates (and whether it is closed)."""
    dates = {"name": cohort.name, "start": format_date(cohort.starts_on, "medium"),
             "end": format_date(cohort.ends_on, "medium")}
    if cohort.is_open:
        return _("%(name)s (%(start)s to %(end)s)", **dates)
    return _("%(name)s (%(start)s to %(end)s, closed)", **dates)


def cohort_choices(cohorts: Sequence[Cohort]) -> list[SelectChoice]:
    """'No cohort yet', then each cohort offered."""
    return [SelectChoice("", _("No cohort yet")),
            *(SelectChoice(str(c.id), cohort_label(c)) for c in cohorts)]


def check_cohort_value(field: SelectField) -> None:
    """A cohort's number (as a database id can be) or nothing; the service checks the rest."""
    value = field.raw_data[0] if field.raw_data else ""
    if value and not (value.isascii() and value.isdigit() and len(value) <= 9):
        raise ValidationError(_("Choose one of the open cohorts."))


def chosen_cohort(field: SelectField) -> CohortChoice:
    """The cohort a select says: an id, None for 'No cohort yet', the default when not sent.

    The form's ``validate_cohort`` has refused anything but digits or nothing.
    """
    if not field.raw_data:
        return DEFAULT_COHORT
    value = field.raw_data[0]
    return int(value) if value else None


class MoveCohortForm(FlaskForm):
    """Move an accepted newcomer to another open cohort, or take them out of any."""

    cohort = SelectField(_l("Cohort"), validate_choice=False)

    def set_cohorts(self, cohorts: Sequence[Cohort], current: Cohort | None) -> None:
        """Offer the open cohorts and the newcomer's own (chosen until the coordinator acts)."""
        offered = list(cohorts)
        if current is not None and current.id not in {c.id for c in offered}:
            offered.append(current)  # closed: shown as it is, not offered to others
        self.cohort.choices = cohort_choices(offered)
        if not self.cohort.raw_data:
            self.cohort.data = str(current.id) if current is not None else ""

    def validate_cohort(self, field: SelectField) -> None:
        """A number or nothing: the service checks that the cohort is open."""
        check_cohort_value(field)

    def cohort_id(self) -> int | None:
        """The cohort chosen, None for 'No cohort yet'."""
        value = self.cohort.data or ""
        return int(value) if value else None
