"""Forms of the connector and group-mentoring pages (staff and coordinator)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
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
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from kit.i18n import lazy_gettext as _l
from kit.models.base import utcnow
from kit.scheduling.errors import SchedulingError
from kit.scheduling.times import session_interval
from kit.services.connectors import Place
from kit.state import get_state

#: Rows of the introductions form beyond the minimum, for connectors who introduce more.
EXTRA_ROWS = 2


class WhenWhereForm(FlaskForm):
    """A date and a start time on the employer's clock, and a place or an online link."""

    day = DateField(_l("Date"), validators=[DataRequired(_l("Give the date."))])
    start = TimeField(_l("Start time"), validators=[DataRequired(_l("Give the start time."))])
    location_building = StringField(_l("Building"), validators=[Optional(), Length(max=200)])
    location_room = StringField(_l("Room"), validators=[Optional(), Length(max=100)])
    online_url = StringField(_l("Online meeting link"), validators=[
        Optional(), Length(max=500), URL(message=_l("Give a full link, https://…"))])

    #: Length of the meeting in minutes when the form has no ``minutes`` field.
    default_minutes = 30

    def interval(self) -> tuple[datetime, datetime] | None:
        """UTC start and end, or None with an error on the field to blame."""
        minutes_field = getattr(self, "minutes", None)
        minutes = minutes_field.data if minutes_field is not None else self.default_minutes
        try:
            starts_at, ends_at = session_interval(self.day.data, self.start.data, minutes,
                                                  get_state().config["KIT_TIMEZONE"],
                                                  ambiguous="refuse")
        except SchedulingError as error:
            message = (_l("The clocks change at that time: choose another start time.")
                       if error.code in ("nonexistent_local_time", "ambiguous_local_time")
                       else _l("Choose another time."))
            self.start.errors = [*self.start.errors, str(message)]
            return None
        if starts_at <= utcnow():
            self.day.errors = [*self.day.errors, str(_l("Choose a time in the future."))]
            return None
        return starts_at, ends_at

    def validate(self, extra_validators: Any = None) -> bool:
        """Fields, then: a place or an online link."""
        valid = super().validate(extra_validators)
        if valid and not any((field.data or "").strip() for field in
                             (self.location_building, self.location_room, self.online_url)):
            self.location_building.errors = [
                str(_l("Give a building or room, or an online link."))]
            valid = False
        return valid

    def place(self) -> Place:
        """Where, as the services take it."""
        return Place(building=self.location_building.data or None,
                     room=self.location_room.data or None,
                     address=getattr(getattr(self, "location_address", None), "data", None)
                     or None, online_url=self.online_url.data or None)


class StartChainForm(WhenWhereForm):
    """The coordinator schedules a newcomer's first connector meeting."""

    newcomer = SelectField(_l("Newcomer"), coerce=int, validators=[
        InputRequired(_l("Choose the newcomer."))])
    connector = SelectField(_l("Connector"), coerce=int, validators=[
        InputRequired(_l("Choose the connector."))])


class IntroductionRow(Form):
    """One colleague: someone from the directory (name or e-mail), or a name and an e-mail."""

    person = StringField(_l("Colleague in the directory (name or e-mail)"),
                         validators=[Optional(), Length(max=320)])
    name = StringField(_l("Or: name"), validators=[Optional(), Length(max=200)])
    email = StringField(_l("and e-mail"), validators=[
        Optional(), Length(max=320),
        Email(_l("Give a valid e-mail address."), check_deliverability=False)])

    @property
    def is_empty(self) -> bool:
        """Nothing was entered in this row."""
        return not any((f.data or "").strip() for f in (self.person, self.name, self.email))

    def check_complete(self) -> bool:
        """Someone outside the directory needs both a name and an e-mail."""
        if (self.person.data or "").strip():
            return True
        name, email = ((f.data or "").strip() for f in (self.name, self.email))
        if bool(name) == bool(email):
            return True
        field = self.email if name else self.name
        field.errors = [*field.errors, str(_l("Give both the name and the e-mail."))]
        return False


class IntroductionsForm(FlaskForm):
    """The colleagues a connector introduces the newcomer to at a meeting."""

    rows = FieldList(FormField(IntroductionRow))
    note = TextAreaField(_l("Note for the colleagues (optional)"),
                         validators=[Optional(), Length(max=2000)])

    def validate(self, extra_validators: Any = None) -> bool:
        """Fields, then: each row names someone completely."""
        valid = super().validate(extra_validators)
        return all([row.check_complete() for row in self.filled()]) and valid

    def filled(self) -> list[IntroductionRow]:
        """The rows with something in them."""
        return [entry.form for entry in self.rows if not entry.form.is_empty]


def introductions_form(minimum: int, **kwargs: Any) -> IntroductionsForm:
    """The form with ``minimum`` rows and a few more."""
    form = IntroductionsForm(**kwargs)
    while len(form.rows) < minimum + EXTRA_ROWS:
        form.rows.append_entry()
    return form


class GroupEventForm(WhenWhereForm):
    """A group mentoring event: title, time, mentors, seats and place."""

    title = StringField(_l("Title"), validators=[
        DataRequired(_l("Give the event a title.")), Length(max=200)])
    minutes = IntegerField(_l("Length in minutes"), default=120, validators=[
        InputRequired(_l("Give the length in minutes.")),
        NumberRange(15, 480, _l("From 15 to 480 minutes."))])
    mentors = SelectMultipleField(_l("Mentors leading the event"), coerce=int,
                                  widget=ListWidget(prefix_label=False),
                                  option_widget=CheckboxInput())
    capacity = IntegerField(_l("Seats for newcomers"), validators=[
        InputRequired(_l("Give the number of seats."))])
    location_address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    visitor_instructions = TextAreaField(
        _l("Visitor instructions (badge pick-up, ID, dress code, safety gear)"),
        validators=[Optional(), Length(max=4000)])

    def validate_capacity(self, field: Field) -> None:
        """From one seat to the program's maximum."""
        most = get_state().config["KIT_GROUP_MAX_NEWCOMERS"]
        if field.data is not None and not 1 <= field.data <= most:
            raise ValidationError(str(_l("From 1 to %(max)d seats.", max=most)))

    def validate_mentors(self, field: Field) -> None:
        """Two or three mentors (the program's maximum)."""
        most = get_state().config["KIT_GROUP_MAX_MENTORS"]
        least = min(2, most)
        if not least <= len(field.data or []) <= most:
            raise ValidationError(str(_l("Choose from %(min)d to %(max)d mentors.", min=least,
                                    max=most)))


class AttendanceForm(FlaskForm):
    """Who came: the ids of the attendees present, as checkboxes."""

    present = SelectMultipleField(_l("Present"), coerce=int, validate_choice=False)
