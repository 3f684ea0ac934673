"""Forms of the core pages; each carries a CSRF token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, StringField, SubmitField
from wtforms.validators import DataRequired, Regexp, ValidationError

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
