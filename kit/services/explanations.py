"""Why a pair fits, in the reader's language: the engine's reason codes turned into sentences.

:mod:`kit.matching.explain` gives each reason a code and parameters ("same_unit_group",
noc_code "21300"); this module phrases it ("Same occupation: Civil engineers (21300)",
« Même profession : Ingénieurs civils/ingénieures civiles (21300) ») with occupation titles,
language names and numbers in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from babel import Locale
from flask_babel import format_decimal

from kit.i18n import current_locale, gettext, ngettext
from kit.matching import Reason
from kit.reference.naics import naics_sector_title
from kit.reference.noc import load_noc_index


def occupation_label(code: str | None, locale: str | None = None) -> str:
    """'Civil engineers (21300)' at any NOC level, or the bare code when it is unknown."""
    if not code:
        return ""
    found = load_noc_index().get(code)
    if found is None:
        return code
    return f"{found.title(locale or current_locale())} ({code})"


def language_name(code: str, locale: str | None = None) -> str:
    """The name of a language in the reader's language ('vi' -> 'Vietnamese', 'vietnamien')."""
    try:
        names = Locale.parse(locale or current_locale()).languages
    except (ValueError, TypeError):  # pragma: no cover - the kit's locales all parse
        return code
    return names.get(code, code)


def _number(value: object) -> str:
    return format_decimal(float(value), format="#,##0.#")  # type: ignore[arg-type]


def _occupation(level: str) -> Callable[[Mapping[str, object], str], str]:
    def phrase(params: Mapping[str, object], locale: str) -> str:
        occupation = occupation_label(str(params.get("noc_code", "")), locale)
        texts = {
            "unit": gettext("Same occupation: %(occupation)s", occupation=occupation),
            "minor": gettext("Same minor group of occupations: %(occupation)s",
                             occupation=occupation),
            "submajor": gettext("Same sub-major group of occupations: %(occupation)s",
                                occupation=occupation),
            "major": gettext("Same major group of occupations: %(occupation)s",
                             occupation=occupation),
            "broad": gettext("Same broad occupational category: %(occupation)s",
                             occupation=occupation),
        }
        return texts[level]
    return phrase


def _teer(params: Mapping[str, object], _locale: str) -> str:
    return gettext("Similar training and duties (TEER %(newcomer)s and %(mentor)s)",
                   newcomer=params.get("newcomer_teer"), mentor=params.get("mentor_teer"))


def _industry(params: Mapping[str, object], locale: str) -> str:
    code = str(params.get("naics", ""))
    title = naics_sector_title(code) if locale.startswith("en") else None  # English only
    if title:
        return gettext("Same industry: %(industry)s (NAICS %(code)s)", industry=title, code=code)
    return gettext("Same industry (NAICS %(code)s)", code=code)


def _languages(params: Mapping[str, object], locale: str) -> str:
    codes = params.get("languages") or [params.get("language")]
    names = [language_name(str(code), locale) for code in codes]  # type: ignore[union-attr]
    return gettext("Both speak %(languages)s", languages=", ".join(names))


def _french(_params: Mapping[str, object], _locale: str) -> str:
    return gettext("Both speak French")


def _goals(params: Mapping[str, object], _locale: str) -> str:
    goals = ", ".join(str(goal) for goal in params.get("goals", ()))  # type: ignore[attr-defined]
    return gettext("Shared career goals: %(goals)s", goals=goals)


def _location(params: Mapping[str, object], _locale: str) -> str:
    return gettext("Same area: %(location)s", location=params.get("location"))


def _availability(params: Mapping[str, object], _locale: str) -> str:
    return gettext("Availability overlaps %(hours)s h a week",
                   hours=_number(params.get("hours_per_week", 0)))


def _experience(params: Mapping[str, object], _locale: str) -> str:
    years = int(float(params.get("years", 0)))  # type: ignore[arg-type]
    return ngettext("Experienced mentor: %(num)d year in the profession",
                    "Experienced mentor: %(num)d years in the profession", years)


_PHRASES: dict[str, Callable[[Mapping[str, object], str], str]] = {
    "same_unit_group": _occupation("unit"),
    "same_minor_group": _occupation("minor"),
    "same_submajor_group": _occupation("submajor"),
    "same_major_group": _occupation("major"),
    "same_broad_category": _occupation("broad"),
    "similar_teer": _teer,
    "same_industry": _industry,
    "shared_language": _languages,
    "both_french": _french,
    "goals_overlap": _goals,
    "same_location": _location,
    "availability_overlap": _availability,
    "experienced_mentor": _experience,
}


def reason_text(reason: Reason, locale: str | None = None) -> str:
    """One reason as a sentence in the reader's language (the current request's by default).

    ``locale`` only picks occupation titles and language names; the sentence itself follows
    the request's language, as every translated string does.
    """
    phrase = _PHRASES.get(reason.code)
    if phrase is None:
        return reason.english()
    return phrase(reason.params, locale or current_locale())


def reason_texts(reasons: Iterable[Reason], locale: str | None = None) -> list[str]:
    """Every reason of a pair as sentences, in the order given (largest contribution first)."""
    return [reason_text(reason, locale) for reason in reasons]
