"""The journey's first steps: a referral accepted, an employee volunteering, approved.

Each step is a function that plays one person doing one thing, in the order the program
runs; a step that needs pages the kit does not have yet ends the journey there (the steps
before it still ran), so the journey grows as the program does. Every page a step shows is
screenshot to tests/e2e/screenshots/<lang>/ and checked with axe-core (WCAG 2.1 AA).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from e2e.e2e_support import CASEWORKER_PASSWORD, DIRECTORY_FORM, DIRECTORY_PASSWORD, Journey
from kit.models import Referral, StaffMember, VolunteerProfile

#: The newcomer each journey refers: invented people, one per language.
NEWCOMERS = {
    "en": {"given_name": "Oksana", "family_name": "Kovalenko", "email": "oksana.k@mail.example",
           "country": "UA", "languages": "uk, en"},
    "fr": {"given_name": "Mariam", "family_name": "Diallo", "email": "mariam.d@mail.example",
           "country": "SN", "languages": "wo, en"},
}
#: The coordinator of each journey: Zoë O'Brien reads English, Geneviève Côté French.
COORDINATORS = {"en": "zobrien001", "fr": "gcote002"}
#: A new employee, in the directory but not yet in the kit: her first sign-in creates her.
NEW_EMPLOYEE = ("ihalvorsen", "Ingrid Halvorsen")
PROFESSION = "21300"  # civil engineers: the newcomer's target and the mentor's profession


@dataclass(frozen=True)
class Step:
    """One thing one person does; ``needs`` are the endpoints it uses."""

    run: Callable[[Journey], None]
    needs: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The step's name, as in the screenshots."""
        return self.run.__name__.replace("_", "-")


STEPS: list[Step] = []


def step(*needs: str) -> Callable[[Callable[[Journey], None]], Callable[[Journey], None]]:
    """Append the decorated function to the journey; it runs when ``needs`` all exist."""
    def add(run: Callable[[Journey], None]) -> Callable[[Journey], None]:
        STEPS.append(Step(run, needs))
        return run
    return add


def flash_text(page) -> str:
    """The text of the page's flash messages."""
    return page.locator(".kit-flashes").inner_text()


# -- 1. The agency refers a newcomer ---------------------------------------------------------

@step("kit.agency_sign_in", "kit_agency.new_referral")
def caseworker_refers_a_newcomer(j: Journey) -> None:
    page = j.page("caseworker")
    newcomer = NEWCOMERS[j.lang]
    page.goto(j.url("/mentoring/sign-in"))
    j.look(page, "sign-in")
    form = page.locator("form[action$='/sign-in/agency']")
    form.locator("input[name=email]").fill(j.server.caseworker_email)
    form.locator("input[name=password]").fill(CASEWORKER_PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/mentoring/agency/$"))
    j.speak_my_language(page)
    j.look(page, "agency-home")

    page.get_by_role("link", name=j.t("Refer a newcomer")).first.click()
    page.wait_for_url(re.compile(r"/agency/referrals/new$"))
    j.look(page, "referral-form")
    fill_referral(page, newcomer)
    page.locator("button[name=action][value=check]").click()
    page.wait_for_load_state("load")
    j.look(page, "eligibility-check")
    page.locator("button[name=action][value=submit]").click()
    page.wait_for_url(re.compile(r"/agency/referrals/\d+$"))
    j.look(page, "referral-submitted")

    name = f"{newcomer['given_name']} {newcomer['family_name']}"
    referral = j.server.query(lambda db: db.scalar(
        select(Referral).join(Referral.newcomer).where(Referral.newcomer.has(email=newcomer[
            "email"]))))
    assert referral is not None and referral.status == "submitted"
    j.facts.update(referral_id=referral.id, newcomer_name=name)


def fill_referral(page, newcomer: dict[str, str]) -> None:
    """The caseworker's answers: a civil engineer who qualifies for the program."""
    values = {
        "given_name": newcomer["given_name"], "family_name": newcomer["family_name"],
        "email": newcomer["email"], "phone": "+1 236 555 0199", "birth_date": "1988-03-14",
        "languages": newcomer["languages"], "clb_listening": "8", "clb_speaking": "7",
        "clb_reading": "8", "clb_writing": "7", "country_of_education": newcomer["country"],
        "highest_credential": "M.Sc. Civil Engineering", "target_noc": PROFESSION,
        "years_experience": "9", "naics_sector": "23",
        "career_goal": "Design municipal water infrastructure",
        "residence_area": "Port Alder", "availability_note": "Weekday mornings",
    }
    for name, value in values.items():
        page.locator(f"[name={name}]").fill(value)
    page.locator("select[name=preferred_locale]").select_option("fr" if "SN" in
                                                                  newcomer["country"] else "en")
    page.locator("select[name=language_test]").select_option("CLB")
    page.locator("select[name=immigration_status]").select_option("permanent_resident")
    page.locator("input[name=job_search_workshop_completed]").check()
    page.locator("input[name=consent]").check()


# -- 2. The coordinator accepts the referral ------------------------------------------------

@step("kit_coordinator.referrals", "kit_coordinator.decide")
def coordinator_accepts_the_referral(j: Journey) -> None:
    page = j.page("coordinator")
    j.sign_in_with_directory(page, COORDINATORS[j.lang], "/mentoring/coordinator/referrals")
    j.look(page, "referral-queue")
    page.get_by_role("link", name=j.facts["newcomer_name"]).first.click()
    page.wait_for_url(re.compile(rf"/referrals/{j.facts['referral_id']}$"))
    j.look(page, "referral")
    page.locator("[name=accept]").click()
    page.wait_for_url(re.compile(r"/coordinator/referrals$"))
    assert j.facts["newcomer_name"] in flash_text(page)
    j.look(page, "referral-accepted")
    status = j.server.query(lambda db: db.get(Referral, j.facts["referral_id"]).status)
    assert status == "accepted"


# -- 3. An employee signs in with their city account and volunteers ----------------------------

@step("kit_staff.volunteer")
def employee_volunteers_as_a_mentor(j: Journey) -> None:
    page = j.page("employee")
    username, name = NEW_EMPLOYEE
    # The intranet's home page has the kit's card; its link leads through the sign-in.
    page.goto(j.url("/"))
    j.look(page, "intranet-home")
    card = page.locator(".kit-volunteer-card")
    assert card.get_attribute("data-kit-state") == "anonymous"
    card.get_by_role("link", name=j.t("Offer to mentor")).click()
    page.wait_for_url(re.compile(r"/mentoring/sign-in"))
    form = page.locator(DIRECTORY_FORM)
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(DIRECTORY_PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/mentoring/staff/volunteer$"))
    j.speak_my_language(page)
    j.look(page, "volunteer-form")
    fill_offer(page)
    page.locator("form.kit-volunteer-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/mentoring/staff/$"))
    j.look(page, "volunteer-pending")
    page.goto(j.url("/"))
    assert page.locator(".kit-volunteer-card").get_attribute("data-kit-state") == "pending"
    j.look(page, "intranet-home-pending")
    profile = j.server.query(lambda db: db.scalar(
        select(VolunteerProfile).join(StaffMember, StaffMember.id == VolunteerProfile.staff_id)
        .where(StaffMember.directory_id == username)))
    assert profile is not None and profile.status == "pending"
    j.facts.update(volunteer_id=profile.id, volunteer_name=name)


def fill_offer(page) -> None:
    """The employee's offer: a civil engineer with twelve years, Tuesday afternoons."""
    page.locator("[name=noc]").fill(PROFESSION)
    page.locator("[name=years_experience]").fill("12")
    page.locator("[name=naics_sector]").fill("23")
    page.locator("[name=languages]").fill("en, fr")
    page.locator("select[name='windows-0-weekday']").select_option("1")
    page.locator("[name='windows-0-start']").fill("14:00")
    page.locator("[name='windows-0-end']").fill("16:00")
    page.locator("[name=goals_text]").fill("Municipal water systems and the P.Eng. licence")
    page.locator("input[name=commitment]").check()


# -- 4. The coordinator approves the volunteer ----------------------------------------------

@step("kit_coordinator.volunteers", "kit_coordinator.approve_volunteer")
def coordinator_approves_the_volunteer(j: Journey) -> None:
    page = j.page("coordinator")
    page.goto(j.url("/mentoring/coordinator/volunteers?sort=status&dir=asc"))
    j.look(page, "volunteers")
    action = f"/volunteers/{j.facts['volunteer_id']}/approve"
    page.locator(f"form[action$='{action}'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/coordinator/volunteers"))
    assert j.facts["volunteer_name"] in flash_text(page)
    j.look(page, "volunteer-approved")
    status = j.server.query(
        lambda db: db.get(VolunteerProfile, j.facts["volunteer_id"]).status)
    assert status == "approved"
