"""What the caseworker's pages show of a referral: profile facts and messages, translated."""

from __future__ import annotations

from babel import Locale
from flask_babel import format_date, format_decimal

from kit.i18n import current_locale
from kit.i18n import gettext as _
from kit.models import Newcomer
from kit.reference.naics import naics_sector_title
from kit.reference.noc import load_noc_index
from kit.schemas.referral import IMMIGRATION_LABELS
from kit.state import get_state

LOCALE_NAMES = {"en": "English", "fr": "Français"}


def occupation_title(code: str | None, locale: str | None = None) -> str:
    """'Civil engineers (21300)' in the reader's language, or '' for an unknown code."""
    found = load_noc_index().get((code or "").strip())
    if found is None or not found.is_unit_group:
        return ""
    return f"{found.title(locale or current_locale())} ({found.code})"


def _language_names(codes: list[str], locale: Locale) -> str:
    return ", ".join(locale.languages.get(code, code) for code in codes)


def profile_facts(newcomer: Newcomer) -> list[tuple[str, str]]:
    """The newcomer's profile as (label, value) rows, empty values left out."""
    locale = Locale.parse(current_locale())
    levels = [f"{skill} {value}" for skill, value in (
        (_("Listening"), newcomer.clb_listening), (_("Speaking"), newcomer.clb_speaking),
        (_("Reading"), newcomer.clb_reading), (_("Writing"), newcomer.clb_writing))
        if value is not None]
    sector = newcomer.naics_sector
    facts = [
        (_("Given name"), newcomer.given_name),
        (_("Family name"), newcomer.family_name),
        (_("Preferred name"), newcomer.preferred_name),
        (_("Date of birth"), format_date(newcomer.birth_date, "long")
         if newcomer.birth_date else None),
        (_("E-mail address"), newcomer.email),
        (_("Phone"), newcomer.phone),
        (_("Preferred language for the program"),
         LOCALE_NAMES.get(newcomer.preferred_locale, newcomer.preferred_locale)),
        (_("Other languages"), _language_names(newcomer.language_codes, locale)),
        (_("Language benchmark"), f"{newcomer.language_test or ''} {', '.join(levels)}".strip()),
        (_("Immigration status"), str(IMMIGRATION_LABELS.get(newcomer.immigration_status,
                                                               newcomer.immigration_status))),
        (_("Country of education"), locale.territories.get(newcomer.country_of_education or "",
                                                           newcomer.country_of_education)),
        (_("Highest credential"), newcomer.highest_credential),
        (_("Target occupation (NOC 2021)"), occupation_title(newcomer.target_noc_code)),
        (_("Years of experience in the occupation"), None if newcomer.years_experience is None
         else str(newcomer.years_experience)),
        (_("Industry (NAICS sector)"), f"{sector} · {naics_sector_title(sector)}"
         if sector else None),
        (_("Career goal"), newcomer.career_goal),
        (_("Area of residence"), newcomer.residence_area),
        (_("Availability"), newcomer.availability_note),
        (_("Job-search workshop completed"), _("Yes") if newcomer.job_search_workshop_completed
         else _("No")),
        (_("Consent"), _("Given on %(date)s (consent text %(version)s)",
                         date=format_date(newcomer.consent_given_at, "long"),
                         version=newcomer.consent_version)
         if newcomer.consent_given_at else None),
    ]
    return [(label, value) for label, value in facts if value]


def upload_limit_text() -> str:
    """The résumé size limit in megabytes, as the reader writes numbers."""
    megabytes = get_state().config["KIT_UPLOAD_MAX_BYTES"] / (1024 * 1024)
    return _("%(size)s MB", size=format_decimal(round(megabytes, 1)))


def document_message(code: str) -> str:
    """Why a file was refused, and what to do instead."""
    if code == "too_large":
        return _("The file is larger than %(limit)s: choose a smaller PDF or DOCX file.",
                 limit=upload_limit_text())
    if code == "empty":
        return _("The file is empty: choose the résumé again.")
    return _("Choose a PDF or Word (DOCX) file: this file is neither, whatever its name says.")
