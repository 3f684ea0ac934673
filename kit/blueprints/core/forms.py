"""Forms of the core pages; each carries a CSRF token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp, ValidationError

from kit.i18n import lazy_gettext as _l
from kit.state import get_state


def offered_locale(_form: FlaskForm, field: Field) -> None:
    """Only the languages this host offers (``KIT_LOCALES``)."""
    if field.data not in get_state().config["KIT_LOCALES"]:
        raise ValidationError(_l("This language is not offered."))


class LanguageForm(FlaskForm):
    """The language switch."""

    locale = StringField(_l("Language"), validators=[DataRequired(), offered_locale])
    next = HiddenField()
    submit = SubmitField(_l("Change language"))


class SignOutForm(FlaskForm):
    """A button: signing out changes state, so it is a POST with a CSRF token."""

    submit = SubmitField(_l("Sign out"))


class DevSignInForm(FlaskForm):
    """Pick a demo persona: ``staff:12``, ``agency:3`` or ``newcomer:40``."""

    persona = HiddenField(validators=[
        DataRequired(), Regexp(r"^(staff|agency|newcomer):\d{1,10}$",
                               message=_l("Choose one of the listed people."))])
    next = HiddenField()


class _PasswordForm(FlaskForm):
    """What every password sign-in form has: the password, where to go next, the button."""

    password = PasswordField(_l("Password"), validators=[
        DataRequired(message=_l("Enter your password.")),
        Length(max=1024, message=_l("This password is too long."))])
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class AgencySignInForm(_PasswordForm):
    """A caseworker signs in with the e-mail address the invitation went to."""

    email = StringField(_l("E-mail address"), validators=[
        DataRequired(message=_l("Enter your e-mail address.")),
        Length(max=320, message=_l("This e-mail address is too long."))])


class PasswordSignInForm(_PasswordForm):
    """An employee signs in with their directory user name and password."""

    username = StringField(_l("User name"), validators=[
        DataRequired(message=_l("Enter your user name.")),
        Length(max=256, message=_l("This user name is too long."))])


class ChoosePasswordForm(FlaskForm):
    """A caseworker accepting an invitation chooses a password."""

    password = PasswordField(_l("New password"), validators=[
        DataRequired(message=_l("Choose a password.")),
        Length(min=12, max=1024, message=_l("Use between 12 and 1,024 characters."))])
    confirm = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(message=_l("Repeat the password.")),
        EqualTo("password", message=_l("The two passwords are not the same."))])
    submit = SubmitField(_l("Save my password"))
