"""Forms of the mentor's session pages: schedule or change, cancel, attendance."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import URL, DataRequired, Email, Length, NumberRange, Optional

from kit.i18n import lazy_gettext as _l
from kit.labels import label
from kit.models import MentoringSession, SessionType
from kit.scheduling.times import to_local
from kit.services.invitations import session_zone
from kit.services.scheduling import SessionDetails

_TEXTS = ("title", "location_building", "location_room", "location_address", "online_url",
          "host_department", "visitor_instructions", "confidentiality_note")


class SessionForm(FlaskForm):
    """When, how long, where and what to know: the mentor's session form."""

    match_id = SelectField(_l("With"), coerce=int, validate_choice=True)
    type_code = SelectField(_l("Type of session"), validators=[DataRequired()])
    day = DateField(_l("Date"), validators=[DataRequired(_l("Give the date."))])
    start = TimeField(_l("Start time"), validators=[DataRequired(_l("Give the start time."))])
    minutes = IntegerField(_l("Length in minutes (leave empty for the type's usual length)"),
                           validators=[Optional(), NumberRange(1, 1440)])
    title = StringField(_l("Title (optional)"), validators=[Optional(), Length(max=200)])
    location_building = StringField(_l("Building"), validators=[Optional(), Length(max=200)])
    location_room = StringField(_l("Room"), validators=[Optional(), Length(max=100)])
    location_address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    online_url = StringField(_l("Online meeting link"),
                             validators=[Optional(), Length(max=500),
                                         URL(message=_l("Give a full link, https://…"))])
    host_department = StringField(_l("Host department"), validators=[Optional(),
                                                                     Length(max=200)])
    visitor_instructions = TextAreaField(
        _l("Visitor instructions (badge pick-up, ID, dress code, safety gear)"),
        validators=[Optional(), Length(max=4000)])
    confidentiality_note = TextAreaField(_l("Confidentiality note"),
                                         validators=[Optional(), Length(max=4000)])
    approver_email = StringField(
        _l("E-mail of the host department's manager (job shadowing)"),
        validators=[Optional(), Length(max=320), Email(_l("Give a valid e-mail address."),
                                                       check_deliverability=False)])
    accept_warnings = BooleanField(_l("I know, schedule it anyway"))

    def set_types(self, types: list[SessionType]) -> None:
        """Offer these session types, by their translated names."""
        self.type_code.choices = [(t.code, label("session_type", t.code)) for t in types]

    def validate(self, extra_validators: Any = None) -> bool:
        """Fields, then: a place or an online link."""
        valid = super().validate(extra_validators)
        places = (self.location_building, self.location_room, self.location_address,
                  self.online_url)
        if valid and not any((field.data or "").strip() for field in places):
            self.location_building.errors = [
                str(_l("Give a building, room or address, or an online link."))]
            valid = False
        return valid

    def details(self) -> SessionDetails:
        """The validated form as the scheduling service takes it."""
        return SessionDetails(
            type_code=self.type_code.data, day=self.day.data, start=self.start.data,
            minutes=self.minutes.data, approver_email=self.approver_email.data or None,
            **{name: getattr(self, name).data or None for name in _TEXTS})

    @staticmethod
    def data_of(session: MentoringSession) -> dict[str, Any]:
        """The form's values for an existing session, on its zone's wall clock."""
        start = to_local(session.starts_at, session_zone(session))
        data: dict[str, Any] = {name: getattr(session, name) or "" for name in _TEXTS}
        data.update(type_code=session.session_type.code, day=start.date(),
                    start=start.time().replace(tzinfo=None),
                    minutes=session.duration_minutes,
                    approver_email=session.approver_email or "")
        return data


class CancelForm(FlaskForm):
    """Call a session off, with the reason everyone reads."""

    reason = TextAreaField(_l("Why is the session cancelled?"),
                           validators=[DataRequired(_l("Say why the session is cancelled.")),
                                       Length(max=500)])


class ButtonForm(FlaskForm):
    """A POST with a CSRF token only (attendance reads its checkboxes itself)."""


class ApprovalForm(FlaskForm):
    """The host manager's answer, with an optional note to the mentor."""

    note = TextAreaField(_l("Note to the mentor (optional)"),
                         validators=[Optional(), Length(max=500)])
