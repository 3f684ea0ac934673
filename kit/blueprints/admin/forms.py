"""Forms of the program admin's pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, RadioField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from kit.i18n import lazy_gettext as _l


class AgencyForm(FlaskForm):
    """Add an agency allowed to refer newcomers."""

    name = StringField(_l("Agency name"), validators=[
        DataRequired(message=_l("Enter the agency's name.")), Length(max=200)])
    email = EmailField(_l("Intake e-mail address"), validators=[
        Optional(), Email(message=_l("Enter a valid e-mail address.")), Length(max=320)])
    region = StringField(_l("Region served"), validators=[Optional(), Length(max=100)])
    submit = SubmitField(_l("Add the agency"))


class InviteForm(FlaskForm):
    """Invite a caseworker of an agency by e-mail."""

    display_name = StringField(_l("Name"), validators=[
        DataRequired(message=_l("Enter the caseworker's name.")), Length(max=200)])
    email = EmailField(_l("E-mail address"), validators=[
        DataRequired(message=_l("Enter your e-mail address.")),
        Email(message=_l("Enter a valid e-mail address.")), Length(max=320)])
    locale = RadioField(_l("Language of the invitation"), default="en",
                        choices={"en": "English", "fr": "Français"})
    submit = SubmitField(_l("Send the invitation"))


class ApiKeyForm(FlaskForm):
    """Issue an API key for an agency's own system."""

    name = StringField(_l("What the key is for"), validators=[
        DataRequired(message=_l("Say what the key is for, e.g. the agency's case system.")),
        Length(max=100)])
    read = BooleanField(_l("Read the agency's referrals"), default=True)
    write = BooleanField(_l("Create and update referrals"))
    submit = SubmitField(_l("Create the key"))


class ButtonForm(FlaskForm):
    """A button that changes something (revoke): a POST with a CSRF token."""
