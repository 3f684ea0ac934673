"""Forms of the caseworker's pages: the referral schema plus what only the web page has."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from kit.i18n import lazy_gettext as _l
from kit.schemas.referral import ReferralForm

#: The web form's sections, in order: (legend, field names). Every schema field appears once.
SECTIONS = (
    (_l("Identity"), ("given_name", "family_name", "preferred_name", "birth_date")),
    (_l("Contact"), ("email", "phone")),
    (_l("Languages"), ("preferred_locale", "languages", "language_test", "clb_listening",
                       "clb_speaking", "clb_reading", "clb_writing")),
    (_l("Immigration and education"), ("immigration_status", "country_of_education",
                                       "highest_credential")),
    (_l("Occupation and industry"), ("target_noc", "years_experience", "naics_sector")),
    (_l("Goals and availability"), ("career_goal", "residence_area", "availability_note",
                                    "job_search_workshop_completed")),
)
#: Extra help shown under fields whose label alone leaves a question open.
HINTS = {
    "email": _l("The coordinator writes to the newcomer at this address."),
    "country_of_education": _l("Two-letter code of the country of the highest credential, "
                               "such as IN, NG, PH or UA."),
    "target_noc": _l("Type a five-digit NOC 2021 code, or words of the occupation's title to "
                     "search. A four-digit NOC 2016 code is converted."),
    "naics_sector": _l("Two-digit NAICS sector, such as 23 (construction) or 54 "
                       "(professional, scientific and technical services)."),
    "residence_area": _l("The city or area where the newcomer lives."),
    "availability_note": _l("When the newcomer can meet a mentor, such as \"weekday "
                            "afternoons\"."),
    "language_test": _l("Levels go from 1 to 12; leave a skill empty if it was not tested."),
}


def _with_placeholder(unbound: Any) -> Any:
    """The schema's select field with an empty first choice and SelectChoice objects.

    The empty choice makes the caseworker pick a value rather than keep the first by accident.
    WTForms 3.3 reads a dict of lazy labels as option groups (and warns), so choices are
    passed as SelectChoice objects; label, validators and values still come from the schema.
    """
    choices = unbound.kwargs.get("choices") or ()
    items = choices.items() if isinstance(choices, dict) else (
        (choice.value, choice.label) if isinstance(choice, SelectChoice) else tuple(choice)[:2]
        for choice in choices)
    return SelectField(*unbound.args, **{**unbound.kwargs, "default": "", "choices": [
        SelectChoice("", "—"), *(SelectChoice(value, label) for value, label in items)]})


class ReferralPageForm(ReferralForm):
    """The referral schema with the résumé, which only the web page receives as a file."""

    immigration_status = _with_placeholder(ReferralForm.immigration_status)
    resume = FileField(_l("Résumé (PDF or DOCX)"), validators=[Optional()])


class WithdrawForm(FlaskForm):
    """Withdraw a referral, with an optional note for the coordinator."""

    note = TextAreaField(_l("Note for the program coordinator (optional)"),
                         validators=[Optional(), Length(max=2000)])


class ResumeForm(FlaskForm):
    """Attach or replace the newcomer's résumé from the referral's page."""

    resume = FileField(_l("Résumé (PDF or DOCX)"))
