"""Demo newcomers and their referrals by the partner agencies, with history and eligibility."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from kit.demo.context import DemoContext, Person
from kit.demo.people import (
    ADOPTED_NAMES,
    CAREER_GOALS,
    CREDENTIALS,
    CULTURES_BY_KEY,
    FEATURED_PEOPLE,
    NEIGHBOURHOODS,
    NEWCOMER_CULTURE_WEIGHTS,
    PROFESSIONS,
)
from kit.demo.staff import StaffData
from kit.models import (
    AgencyUser,
    AvailabilityWindow,
    Cohort,
    EligibilityResult,
    Newcomer,
    NewcomerLanguage,
    Referral,
    ReferralStatusChange,
    StaffMember,
)

#: What happens to each newcomer in the demo, and how many newcomers meet that fate.
#: "past_*" belong to the previous cohort, the others to the current one.
FATES: dict[str, int] = {
    "active": 18,
    "proposed": 4,
    "mentor_accepted": 3,
    "declined": 2,          # a match was declined; the newcomer waits for another mentor
    "closed_early": 2,      # the current cohort's match already ended
    "past_closed": 12,
    "accepted": 3,          # accepted, not matched yet
    "submitted": 5,
    "draft": 2,
    "referred_back": 3,
    "withdrawn": 2,
}
#: Fates whose referral was accepted into a cohort.
ACCEPTED_FATES = ("active", "proposed", "mentor_accepted", "declined", "closed_early",
                  "past_closed", "accepted")
#: Minimum language benchmark the demo's eligibility rules ask for.
MIN_LANGUAGE_LEVEL = 6
PERSONAL_EMAIL_DOMAINS = ("mail.example", "inbox.example", "courriel.example")


@dataclass
class Referred:
    """A newcomer, the referral that matters now, and what the demo does with them."""

    newcomer: Newcomer
    referral: Referral
    fate: str
    agency_user: AgencyUser


def seed_newcomers(session: Session, ctx: DemoContext, staff: StaffData,
                   cohorts: dict[str, Cohort]) -> list[Referred]:
    """Create newcomers in every referral status; the order of the result is reproducible."""
    rng = ctx.rng
    featured = [Person(CULTURES_BY_KEY[c], g, f) for c, g, f, role in FEATURED_PEOPLE
                if role == "newcomer"]
    # Featured newcomers (their names were reserved first) get fates that put them on the
    # first screens of the demo; everyone else's fate is shuffled.
    featured_fates = ["active", "active", "submitted", "active", "past_closed"][: len(featured)]
    fates = [fate for fate, count in FATES.items() for _n in range(count)]
    for fate in featured_fates:
        fates.remove(fate)
    rng.shuffle(fates)
    fates = featured_fates + fates
    people = featured + [ctx.person(NEWCOMER_CULTURE_WEIGHTS)
                         for _n in range(len(fates) - len(featured))]
    referred = []
    for index, (person, fate) in enumerate(zip(people, fates, strict=True)):
        cohort = cohorts["past" if fate.startswith("past") else "current"]
        newcomer = _newcomer(ctx, person, fate, index, cohort.starts_on)
        agency = _agency_for(ctx, staff, newcomer)
        user = rng.choice(staff.agency_users[agency])
        referral = _referral(ctx, staff, newcomer, user, fate, cohort)
        session.add(newcomer)
        referred.append(Referred(newcomer, referral, fate, user))
    # One newcomer was referred back once before being accepted: the history shows both.
    first_active = next(item for item in referred if item.fate == "active")
    session.add(_earlier_referral(ctx, staff, first_active))
    session.flush()
    return referred


def _agency_for(ctx: DemoContext, staff: StaffData, newcomer: Newcomer) -> int:
    french = [a.id for a in staff.agencies if a.users and a.users[0].preferred_locale == "fr"]
    if newcomer.preferred_locale == "fr" and french and ctx.rng.random() < 0.8:
        return french[0]
    return ctx.rng.choice([agency.id for agency in staff.agencies])


def _newcomer(ctx: DemoContext, person: Person, fate: str, index: int,
              cohort_start: date) -> Newcomer:
    rng = ctx.rng
    culture = person.culture
    noc = rng.choice(PROFESSIONS).noc_code
    french = culture.prefers_french
    level = rng.randint(MIN_LANGUAGE_LEVEL, 10)
    newcomer = Newcomer(
        given_name=person.given,
        family_name=person.family or None,
        email=ctx.email(person, rng.choice(PERSONAL_EMAIL_DOMAINS)),
        phone=f"+1 236 555 {200 + index:04d}",
        birth_date=date(rng.randint(1972, 1998), rng.randint(1, 12), rng.randint(1, 28)),
        preferred_locale="fr" if french else "en",
        immigration_status=rng.choice(("permanent_resident",) * 6 + (
            "convention_refugee", "protected_person", "citizen")),
        country_of_education=rng.choice(culture.countries),
        highest_credential=CREDENTIALS[noc],
        target_noc_code=noc,
        years_experience=rng.randint(2, 18),
        naics_sector="913",
        career_goal=CAREER_GOALS[-1] if french else rng.choice(CAREER_GOALS[:-1]),
        residence_area=rng.choice(NEIGHBOURHOODS),
        language_test="NCLC" if french else "CLB",
        clb_listening=min(12, level + rng.randint(0, 2)),
        clb_speaking=level,
        clb_reading=min(12, level + rng.randint(0, 2)),
        clb_writing=max(1, level - rng.randint(0, 1)),
        job_search_workshop_completed=True,
        consent_version="2026-01",
        consent_given_at=ctx.at(cohort_start - timedelta(days=rng.randint(45, 70)), 11),
        created_at=ctx.at(cohort_start - timedelta(days=rng.randint(45, 70)), 11),
    )
    if culture.family_first:
        # The kit writes given then family name; these people write the family name first.
        newcomer.preferred_name = person.full_name
    elif culture.key in ADOPTED_NAMES and rng.random() < 0.4:
        newcomer.preferred_name = f"{rng.choice(ADOPTED_NAMES[culture.key])} {person.family}"
    newcomer.languages = [NewcomerLanguage(language=code)
                          for code in sorted({"en", *culture.languages[:2]})]
    for day in sorted(rng.sample(range(5), rng.randint(2, 4))):
        start = rng.choice((9, 10, 13))
        newcomer.availability.append(AvailabilityWindow(
            weekday=day, start_minute=start * 60, end_minute=(start + 3) * 60))
    if fate == "referred_back":
        # Each referred-back newcomer misses a different rule.
        _miss_rule(newcomer, ("language_level", "immigration_status", "job_search_workshop")
                   [index % 3])
    elif fate == "submitted" and index % 2 == 0:
        newcomer.language_test = None  # results not on file yet: the rule cannot be decided
        for skill in ("listening", "speaking", "reading", "writing"):
            setattr(newcomer, f"clb_{skill}", None)
    return newcomer


def _miss_rule(newcomer: Newcomer, rule: str) -> None:
    if rule == "language_level":
        newcomer.clb_speaking = newcomer.clb_writing = MIN_LANGUAGE_LEVEL - 2
    elif rule == "immigration_status":
        newcomer.immigration_status = "work_permit"
    else:
        newcomer.job_search_workshop_completed = False


def eligibility(newcomer: Newcomer, when: datetime) -> list[EligibilityResult]:
    """The demo's eligibility rules, evaluated for one newcomer."""
    levels = [value for value in newcomer.clb_levels.values() if value is not None]
    test = newcomer.language_test or "CLB"
    results = [
        ("immigration_status", newcomer.immigration_status != "work_permit",
         f"Status: {newcomer.immigration_status.replace('_', ' ')}"),
        ("education_abroad", newcomer.country_of_education not in (None, "CA"),
         f"Highest credential earned in {newcomer.country_of_education}"),
        ("language_level", min(levels) >= MIN_LANGUAGE_LEVEL if levels else None,
         f"Lowest {test} level {min(levels)} (minimum {MIN_LANGUAGE_LEVEL})" if levels
         else "No language test results on file"),
        ("residence", True, f"Lives in {newcomer.residence_area}"),
        ("job_search_workshop", newcomer.job_search_workshop_completed,
         "Workshop completed" if newcomer.job_search_workshop_completed
         else "Workshop not completed yet"),
    ]
    return [EligibilityResult(criterion=name, passed=passed, detail=detail, evaluated_at=when)
            for name, passed, detail in results]


def _referral(ctx: DemoContext, staff: StaffData, newcomer: Newcomer, user: AgencyUser,
              fate: str, cohort: Cohort) -> Referral:
    rng = ctx.rng
    created = ctx.at(ctx.workday(cohort.starts_on - timedelta(days=rng.randint(30, 45))), 10)
    if fate in ("submitted", "draft"):
        created = ctx.days_ago(rng.randint(3, 14))
    referral = Referral(newcomer=newcomer, agency_id=user.agency_id, referred_by=user,
                        cohort=cohort if fate in ACCEPTED_FATES else None, status="draft",
                        created_at=created)
    _change(referral, None, "draft", created, agency_user=user)
    if fate == "draft":
        return referral
    submitted = created + timedelta(days=rng.randint(0, 3), hours=2)
    referral.status, referral.submitted_at = "submitted", submitted
    _change(referral, "draft", "submitted", submitted, agency_user=user)
    referral.eligibility_results = eligibility(newcomer, submitted)
    if fate == "submitted":
        return referral
    decided = submitted + timedelta(days=rng.randint(2, 8))
    coordinator: StaffMember = rng.choice(staff.coordinators)
    if fate == "withdrawn":
        referral.status = "withdrawn"
        _change(referral, "submitted", "withdrawn", decided, agency_user=user,
                note="The client found full-time work in their field before screening.")
        return referral
    referral.decided_at, referral.decided_by = decided, coordinator
    if fate == "referred_back":
        failed = [result.criterion for result in referral.eligibility_results
                  if result.passed is False]
        referral.status, referral.reason_codes = "referred_back", failed
        referral.decision_note = "Welcome to refer again once the criteria are met."
        _change(referral, "submitted", "referred_back", decided, staff=coordinator,
                note=referral.decision_note)
        return referral
    referral.status = "accepted"
    _change(referral, "submitted", "accepted", decided, staff=coordinator)
    return referral


def _earlier_referral(ctx: DemoContext, staff: StaffData, item: Referred) -> Referral:
    """A referral sent a year earlier and referred back for the language level."""
    when = item.referral.created_at - timedelta(days=330)
    coordinator = staff.coordinators[0]
    earlier = Referral(newcomer=item.newcomer, agency_id=item.agency_user.agency_id,
                       referred_by=item.agency_user, status="referred_back", created_at=when,
                       submitted_at=when, decided_at=when + timedelta(days=6),
                       decided_by=coordinator, reason_codes=["language_level"],
                       decision_note="Lowest CLB level 5; please refer again after the "
                                     "language course.")
    _change(earlier, None, "draft", when, agency_user=item.agency_user)
    _change(earlier, "draft", "submitted", when, agency_user=item.agency_user)
    _change(earlier, "submitted", "referred_back", when + timedelta(days=6), staff=coordinator,
            note=earlier.decision_note)
    earlier.eligibility_results = [
        EligibilityResult(criterion="language_level", passed=False,
                          detail="Lowest CLB level 5 (minimum 6)", evaluated_at=when),
    ]
    return earlier


def _change(referral: Referral, old: str | None, new: str, when: datetime, *,
            staff: StaffMember | None = None, agency_user: AgencyUser | None = None,
            note: str | None = None) -> None:
    referral.status_changes.append(ReferralStatusChange(
        from_status=old, to_status=new, changed_at=when, note=note,
        actor_kind="staff" if staff is not None else "agency",
        staff=staff, agency_user=agency_user,
    ))
