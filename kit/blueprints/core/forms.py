"""Forms of the core pages; each carries a CSRF token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SubmitField
from wtforms.validators import DataRequired, Regexp

from kit.i18n import lazy_gettext as _l


class LanguageForm(FlaskForm):
    """The language switch."""

    locale = SelectField(_l("Language"), choices=[("en", "English"), ("fr", "Français")],
                         validators=[DataRequired()])
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
