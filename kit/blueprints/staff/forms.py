"""Forms of the staff pages: the offer to mentor and its buttons."""

from __future__ import annotations

from typing import Any

from babel import Locale
from babel.dates import get_day_names
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Field,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from kit.i18n import current_locale
from kit.i18n import lazy_gettext as _l
from kit.models.people import MAX_CAPACITY
from kit.reference.naics import naics_sector_code
from kit.schemas.referral import resolve_noc
from kit.services.volunteers import FORMATS, Offer, Window
from kit.state import get_state

#: How many availability rows the form offers; empty rows are ignored.
WINDOW_ROWS = 5
FORMAT_LABELS = {
    "one_on_one": _l("One-on-one mentoring"),
    "connector": _l("Connector (short meetings to introduce colleagues)"),
    "group": _l("Group mentoring events"),
}


def _noc(_form: Any, field: Field) -> None:
    if field.data and resolve_noc(field.data) is None:
        raise ValidationError(_l("Choose your profession: a NOC 2021 unit group of five "
                                 "digits, or words of its title to search."))


def _naics(_form: Any, field: Field) -> None:
    if field.data and naics_sector_code(field.data.strip()) is None:
        raise ValidationError(_l("Choose an industry sector (NAICS), such as 54."))


def language_codes(text: str | None) -> list[str]:
    """The distinct two-letter codes of a comma-separated list, lower-case, sorted."""
    return sorted({c.strip().lower() for c in (text or "").replace(";", ",").split(",")
                   if c.strip()})


def _languages(_form: Any, field: Field) -> None:
    known = {code for code in Locale("en").languages if len(code) == 2}
    codes = language_codes(field.data)
    if not codes:
        raise ValidationError(_l("Enter at least one language you can mentor in."))
    if any(code not in known for code in codes):
        raise ValidationError(_l("Use two-letter language codes such as en, fr, ar, pa, zh."))


def _eligible_years(_form: Any, field: Field) -> None:
    minimum = get_state().config["KIT_MENTOR_MIN_YEARS"]
    if field.data is not None and field.data < minimum:
        raise ValidationError(_l(
            "Mentors need at least %(years)d years of experience in their profession.",
            years=minimum))


def _minutes(value: Any) -> int:
    return value.hour * 60 + value.minute


class TimeOfDay(TimeField):
    """A time of day (HH:MM); empty is None, so that a row can say which part is missing."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Read the time; an empty value leaves ``data`` None without an error."""
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(_l("Enter a time such as 09:30."))) from error


class WindowForm(Form):
    """One weekly availability window; a row left empty is ignored."""

    weekday = SelectField(_l("Day"), default="")
    start = TimeOfDay(_l("From"))
    end = TimeOfDay(_l("To"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        days = get_day_names("wide", locale=current_locale())
        self.weekday.choices = [SelectChoice("", "—"),
                                *(SelectChoice(str(day), days[day]) for day in range(7))]

    @property
    def is_empty(self) -> bool:
        """Nothing was entered in this row."""
        return not self.weekday.data and self.start.data is None and self.end.data is None

    def validate_weekday(self, field: Field) -> None:
        """A row with times needs its day."""
        if not field.data and (self.start.data or self.end.data):
            raise ValidationError(_l("Choose the day."))

    def validate_start(self, field: Field) -> None:
        """A row with a day needs its start time."""
        if field.data is None and not field.errors and not self.is_empty:
            raise ValidationError(_l("Enter the start time."))

    def validate_end(self, field: Field) -> None:
        """A row needs its end time, after the start."""
        if field.data is None and not field.errors and not self.is_empty:
            raise ValidationError(_l("Enter the end time."))
        if field.data is not None and self.start.data is not None and \
                _minutes(field.data) <= _minutes(self.start.data):
            raise ValidationError(_l("The end must be after the start."))


class VolunteerForm(FlaskForm):
    """An employee's offer to mentor: profession, experience and what they can give."""

    noc = StringField(_l("Profession (NOC 2021)"), validators=[
        DataRequired(message=_l("Choose your profession.")), Length(max=100), _noc])
    naics_sector = StringField(_l("Industry (NAICS sector, optional)"), validators=[
        Optional(), Length(max=5), _naics])
    years_experience = IntegerField(_l("Years of experience in this profession"), validators=[
        InputRequired(message=_l("Enter your years of experience in this profession.")),
        NumberRange(max=60, message=_l("Enter a number of years from 0 to 60.")),
        _eligible_years])
    languages = StringField(_l("Languages you can mentor in"), validators=[
        Length(max=100), _languages])
    capacity = IntegerField(_l("Newcomers at a time"), default=1, validators=[
        InputRequired(message=_l("Choose how many newcomers you can mentor at a time.")),
        NumberRange(1, MAX_CAPACITY, message=_l("Choose from 1 to %(max)d newcomers.",
                                                max=MAX_CAPACITY))])
    formats = SelectMultipleField(
        _l("What you offer"),
        choices=[SelectChoice(code, FORMAT_LABELS[code]) for code in FORMATS],
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
        validators=[DataRequired(message=_l("Choose at least one way to mentor."))])
    windows = FieldList(FormField(WindowForm), min_entries=WINDOW_ROWS, max_entries=WINDOW_ROWS)
    goals_text = TextAreaField(_l("What you can help with"), validators=[
        DataRequired(message=_l("Say in a sentence or two what you can help a newcomer with.")),
        Length(max=2000)])
    orientation_on = DateField(_l("Orientation session attended on (optional)"),
                               validators=[Optional()])
    commitment = BooleanField(
        _l("I commit to about 24 hours over four months, at work, and to the program's "
           "code of conduct"),
        validators=[DataRequired(message=_l("Acknowledge the commitment to volunteer."))])

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields' own checks, then at least one availability window."""
        valid = super().validate(extra_validators)
        if all(entry.form.is_empty for entry in self.windows):
            self.form_errors.append(str(_l("Add at least one weekly time when you are "
                                           "available.")))
            valid = False
        return valid

    def offer(self) -> Offer:
        """The validated form as an offer for the service."""
        sector = (self.naics_sector.data or "").strip()
        return Offer(
            noc_code=resolve_noc(self.noc.data) or "",
            years_experience=self.years_experience.data,
            capacity=self.capacity.data,
            languages=tuple(language_codes(self.languages.data)),
            formats=frozenset(self.formats.data),
            windows=tuple(
                Window(int(e.form.weekday.data), _minutes(e.form.start.data),
                       _minutes(e.form.end.data))
                for e in self.windows if not e.form.is_empty),
            goals_text=self.goals_text.data.strip(),
            naics_sector=naics_sector_code(sector) if sector else None,
            orientation_on=self.orientation_on.data,
        )


class ButtonForm(FlaskForm):
    """A button that changes the offer (pause, resume, withdraw): a POST with a CSRF token."""
