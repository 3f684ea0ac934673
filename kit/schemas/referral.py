"""The referral schema: one WTForms form for both doors, the web page and the JSON API.

The API turns a JSON object into form data (``formdata_from_json``) and validates it with this
same form, so a rule and its translated message exist once. Cross-field and reference checks
(NOC codes, NAICS sectors, languages, countries) live here too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from babel import Locale
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Field,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from kit.i18n import lazy_gettext as _l
from kit.models.newcomers import IMMIGRATION_STATUSES
from kit.reference.naics import naics_sector_code
from kit.reference.noc import convert_noc2016, load_noc_index

#: Every field of the schema, in the order of the web form; the API accepts exactly these.
FIELDS = (
    "given_name", "family_name", "preferred_name", "email", "phone", "birth_date",
    "preferred_locale", "languages", "language_test", "clb_listening", "clb_speaking",
    "clb_reading", "clb_writing", "immigration_status", "country_of_education",
    "highest_credential", "target_noc", "years_experience", "naics_sector", "career_goal",
    "residence_area", "availability_note", "job_search_workshop_completed", "consent",
)
PHONE = re.compile(r"^\+?[0-9 ().-]{7,25}$")

IMMIGRATION_LABELS = {
    "permanent_resident": _l("Permanent resident"),
    "convention_refugee": _l("Convention refugee"),
    "protected_person": _l("Protected person"),
    "citizen": _l("Canadian citizen"),
    "work_permit": _l("Work permit holder"),
    "other": _l("Other"),
}


def _language_codes() -> frozenset[str]:
    return frozenset(code for code in Locale("en").languages if len(code) == 2)


def _country_codes() -> frozenset[str]:
    return frozenset(code for code in Locale("en").territories
                     if len(code) == 2 and code.isalpha() and code not in ("ZZ", "EU", "UN"))


def resolve_noc(value: str) -> str | None:
    """A NOC 2021 unit group from a 2021 code or a 2016 code with one 2021 equivalent."""
    code = value.strip()
    index = load_noc_index()
    found = index.get(code)
    if found is not None and found.level == "unit":
        return code
    if len(code) == 4 and code.isdigit():
        converted = convert_noc2016(code)
        if len(converted) == 1:
            return converted[0]
    return None


def _noc(_form: FlaskForm, field: Field) -> None:
    value = (field.data or "").strip()
    if not value:
        return
    if resolve_noc(value) is not None:
        return
    if len(value) == 4 and value.isdigit() and len(convert_noc2016(value)) > 1:
        raise ValidationError(_l("This NOC 2016 code became several NOC 2021 occupations; "
                                 "choose the 2021 one."))
    raise ValidationError(_l("Choose an occupation (a NOC 2021 unit group of five digits)."))


def _languages(_form: FlaskForm, field: Field) -> None:
    codes = [c.strip().lower() for c in (field.data or "").replace(";", ",").split(",")]
    unknown = [c for c in codes if c and c not in _language_codes()]
    if unknown:
        raise ValidationError(_l("Use two-letter language codes such as en, fr, ar, pa, zh."))


def _country(_form: FlaskForm, field: Field) -> None:
    if field.data and field.data.strip().upper() not in _country_codes():
        raise ValidationError(_l("Use a two-letter country code such as IN, NG, PH or UA."))


def _naics(_form: FlaskForm, field: Field) -> None:
    if field.data and naics_sector_code(field.data.strip()) is None:
        raise ValidationError(_l("Choose an industry sector (NAICS), such as 54."))


def _phone(_form: FlaskForm, field: Field) -> None:
    if field.data and not PHONE.match(field.data.strip()):
        raise ValidationError(_l("Enter a phone number with digits, spaces, +, - or brackets."))


def _clb(label: Any) -> IntegerField:
    return IntegerField(label, validators=[
        Optional(), NumberRange(1, 12, message=_l("Levels go from 1 to 12."))])


class ReferralForm(FlaskForm):
    """A newcomer's profile as an agency refers them; collects only what the program needs."""

    given_name = StringField(_l("Given name"), validators=[
        DataRequired(message=_l("Enter the newcomer's given name.")), Length(max=200)])
    family_name = StringField(_l("Family name"), validators=[Optional(), Length(max=200)],
                              description=_l("Leave empty for people with a single name."))
    preferred_name = StringField(_l("Preferred name"), validators=[Optional(), Length(max=200)])
    email = EmailField(_l("E-mail address"), validators=[
        DataRequired(message=_l("Enter the newcomer's e-mail address.")),
        Email(message=_l("Enter a valid e-mail address.")), Length(max=320)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40), _phone])
    birth_date = DateField(_l("Date of birth"), validators=[Optional()],
                           description=_l("Used only to recognise a person referred twice."))
    preferred_locale = SelectField(_l("Preferred language for the program"), default="en",
                                   choices={"en": "English", "fr": "Français"},
                                   validators=[InputRequired()])
    languages = StringField(_l("Other languages"), validators=[Optional(), Length(max=100),
                                                              _languages],
                            description=_l("Two-letter codes separated by commas: ar, pa, zh."))
    language_test = SelectField(_l("Language benchmark"), default="",
                                choices={"": "—", "CLB": "CLB", "NCLC": "NCLC"},
                                validators=[Optional()])
    clb_listening = _clb(_l("Listening"))
    clb_speaking = _clb(_l("Speaking"))
    clb_reading = _clb(_l("Reading"))
    clb_writing = _clb(_l("Writing"))
    immigration_status = SelectField(
        _l("Immigration status"),
        # SelectChoice: a dict of lazy labels would be read as option groups by WTForms 3.3.
        choices=[SelectChoice(code, IMMIGRATION_LABELS[code]) for code in IMMIGRATION_STATUSES],
        validators=[InputRequired(message=_l("Choose the newcomer's immigration status."))])
    country_of_education = StringField(_l("Country of education"), validators=[
        Optional(), Length(max=2), _country])
    highest_credential = StringField(_l("Highest credential"), validators=[
        Optional(), Length(max=200)])
    target_noc = StringField(_l("Target occupation (NOC 2021)"), validators=[
        DataRequired(message=_l("Choose the occupation the newcomer aims for.")),
        Length(max=5), _noc])
    years_experience = IntegerField(_l("Years of experience in the occupation"), validators=[
        Optional(), NumberRange(0, 60, message=_l("Enter a number of years from 0 to 60."))])
    naics_sector = StringField(_l("Industry (NAICS sector)"), validators=[
        Optional(), Length(max=5), _naics])
    career_goal = TextAreaField(_l("Career goal"), validators=[
        DataRequired(message=_l("Describe the newcomer's career goal in a sentence or two.")),
        Length(max=2000)])
    residence_area = StringField(_l("Area of residence"), validators=[
        Optional(), Length(max=100)])
    availability_note = StringField(_l("Availability"), validators=[Optional(), Length(max=500)])
    job_search_workshop_completed = BooleanField(_l("Job-search workshop completed"))
    consent = BooleanField(_l("The newcomer agreed to share this information with the "
                              "employer's mentoring program"),
                           validators=[DataRequired(message=_l(
                               "The newcomer's consent is needed to refer them."))])


def formdata_from_json(payload: Mapping[str, Any]) -> tuple[MultiDict, list[str]]:
    """Form data for :class:`ReferralForm` from a JSON object, and the unknown field names.

    Lists become comma-separated text (languages), booleans the checkbox convention.
    """
    data: MultiDict = MultiDict()
    unknown = sorted(key for key in payload if key not in FIELDS)
    for key in FIELDS:
        value = payload.get(key)
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[key] = "y"
        elif isinstance(value, list):
            data[key] = ",".join(str(item) for item in value)
        else:
            data[key] = str(value)
    return data, unknown


def profile_from_form(form: ReferralForm) -> dict[str, Any]:
    """The validated form as the newcomer's profile values (model column names)."""
    languages = sorted({c.strip().lower() for c in (form.languages.data or "").split(",")
                        if c.strip()})
    return {
        "given_name": form.given_name.data.strip(),
        "family_name": (form.family_name.data or "").strip() or None,
        "preferred_name": (form.preferred_name.data or "").strip() or None,
        "email": form.email.data.strip().lower(),
        "phone": (form.phone.data or "").strip() or None,
        "birth_date": form.birth_date.data,
        "preferred_locale": form.preferred_locale.data,
        "languages": languages,
        "language_test": form.language_test.data or None,
        "clb_listening": form.clb_listening.data,
        "clb_speaking": form.clb_speaking.data,
        "clb_reading": form.clb_reading.data,
        "clb_writing": form.clb_writing.data,
        "immigration_status": form.immigration_status.data,
        "country_of_education": (form.country_of_education.data or "").strip().upper() or None,
        "highest_credential": (form.highest_credential.data or "").strip() or None,
        "target_noc_code": resolve_noc(form.target_noc.data),
        "years_experience": form.years_experience.data,
        "naics_sector": naics_sector_code((form.naics_sector.data or "").strip())
        if form.naics_sector.data else None,
        "career_goal": form.career_goal.data.strip(),
        "residence_area": (form.residence_area.data or "").strip() or None,
        "availability_note": (form.availability_note.data or "").strip() or None,
        "job_search_workshop_completed": bool(form.job_search_workshop_completed.data),
    }
