"""The reports' filter form: read from the query string, so that a filtered report has a URL."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Optional, Regexp

from kit.i18n import gettext as _
from kit.i18n import lazy_gettext as _l
from kit.labels import label
from kit.reporting.filters import FILTER_NAMES, NOC_PREFIX, ReportFilters
from kit.reporting.queries import FilterChoices


class ReportFilterForm(FlaskForm):
    """Period, cohort, department, occupation, agency and session type (a GET form)."""

    class Meta:
        csrf = False

    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    cohort_id = SelectField(_l("Cohort"), default="")
    department = SelectField(_l("Department"), default="")
    noc = StringField(
        _l("Occupation (NOC code)"), filters=[lambda value: value.strip() if value else value],
        validators=[Optional(), Regexp(NOC_PREFIX, message=_l(
            "Enter a NOC code of 1 to 5 digits: 2 is a broad category, 21 a major group, 213 a "
            "sub-major group, 2131 a minor group, 21310 an occupation."))],
        description=_l("A code at any level keeps every occupation within it."))
    agency_id = SelectField(_l("Agency"), default="")
    session_type = SelectField(_l("Session type"), default="")

    def __init__(self, choices: FilterChoices, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Choices in the reader's language, built for each request.
        self.cohort_id.choices = {"": _("All cohorts"),
                                  **{str(i): name for i, name in choices.cohorts}}
        self.department.choices = {"": _("All departments"),
                                   **{name: name for name in choices.departments}}
        self.agency_id.choices = {"": _("All agencies"),
                                  **{str(i): name for i, name in choices.agencies}}
        self.session_type.choices = {"": _("All session types"),
                                     **{code: label("session_type", code)
                                        for code in choices.session_types}}

    def validate(self, extra_validators: Any = None) -> bool:
        """Each field, then a period that does not end before it starts."""
        valid = super().validate(extra_validators)
        if self.date_from.data and self.date_to.data and self.date_to.data < self.date_from.data:
            self.date_to.errors = [*self.date_to.errors,
                                   _("The period cannot end before it starts.")]
            return False
        return valid

    def filters(self) -> ReportFilters:
        """The valid form's values as report filters (call after ``validate``)."""
        def text(name: str) -> str | None:
            return self[name].data or None

        cohort, agency = text("cohort_id"), text("agency_id")
        return ReportFilters(
            date_from=self.date_from.data, date_to=self.date_to.data,
            cohort_id=int(cohort) if cohort else None, department=text("department"),
            noc=text("noc"), agency_id=int(agency) if agency else None,
            session_type=text("session_type"))

    def described(self, applies: frozenset[str]) -> list[tuple[str, str]]:
        """The filters in words, as written above an exported report: (filter, value)."""
        rows = []
        for name in FILTER_NAMES:
            if name not in applies:
                continue
            field = self[name]
            data = field.data
            if not data:
                value = _("All")
            elif isinstance(field, SelectField):
                value = str(dict(field.choices).get(data, data))  # type: ignore[arg-type]
            elif hasattr(data, "isoformat"):
                value = data.isoformat()
            else:
                value = str(data)
            rows.append((str(field.label.text), value))
        return rows
