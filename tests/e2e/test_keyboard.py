"""The main forms work with the keyboard alone: Tab to each field, type, Space, Enter.

No mouse and no ``fill()``: the test presses Tab from the top of the page and answers each
field as focus reaches it, the way a keyboard user does. Every control focused inside the
form must show where the focus is (an outline or a shadow).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from e2e.e2e_support import CASEWORKER_PASSWORD, DIRECTORY_FORM, DIRECTORY_PASSWORD, axe_violations
from kit.models import Referral, StaffMember, VolunteerProfile

MAX_TABS = 250
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
                  || style.boxShadow !== 'none';
  return {name: el.getAttribute('name') || '', tag: el.tagName.toLowerCase(),
          type: el.getAttribute('type') || '', value: el.value ?? '',
          form: el.form ? el.form.className : '', visible: visible,
          focused: el.matches(':focus'),
          options: el.tagName === 'SELECT' ? Array.from(el.options).map(o => o.value) : [],
          index: el.tagName === 'SELECT' ? el.selectedIndex : -1};
}"""


def answer_by_keyboard(page: Any, form_class: str, answers: dict[str, str],
                       submit: tuple[str, str]) -> None:
    """Tab through the page; type each answer when its field has the focus; Enter on submit.

    ``answers`` maps field names to text, to an option's value (selects) or to "check"
    (checkboxes). ``submit`` is the (name, value) of the button to press, ("", "") for the
    form's only submit button.
    """
    done: set[str] = set()
    page.locator("body").focus()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        el = page.evaluate(FOCUSED)
        if form_class not in el["form"].split():
            continue
        # On a date or time field's calendar button, Chromium rings the button itself (in the
        # field's own shadow tree, out of the page's reach): that focus is visible too.
        on_picker = el["type"] in ("date", "time") and not el["focused"]
        assert el["visible"] or on_picker, f"no visible focus on {el['tag']} {el['name']!r}"
        name = el["name"]
        if el["tag"] == "button" or el["type"] == "submit":
            if (name, el["value"]) == submit or (not submit[0] and el["type"] == "submit"):
                missing = set(answers) - done
                assert not missing, f"Tab never reached {sorted(missing)}"
                with page.expect_navigation():
                    page.keyboard.press("Enter")
                return
            continue
        if name not in answers or name in done:
            continue  # a field left empty, or the next part of a date or time field
        wanted = answers[name]
        if el["tag"] == "select":
            steps = el["options"].index(wanted) - el["index"]
            for _ in range(abs(steps)):
                page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
        elif el["type"] == "checkbox":
            page.keyboard.press("Space")
        else:
            page.keyboard.type(wanted)
        done.add(name)
    raise AssertionError(f"the submit button {submit} was never reached with Tab")


REFERRAL = {
    "given_name": "Tomás", "family_name": "Oyelaran", "email": "tomas.o@mail.example",
    "preferred_locale": "en", "languages": "es, en", "language_test": "CLB",
    "clb_listening": "8", "clb_speaking": "8", "clb_reading": "8", "clb_writing": "8",
    "immigration_status": "permanent_resident", "country_of_education": "MX",
    "highest_credential": "Ingeniería civil", "target_noc": "21300", "years_experience": "7",
    "naics_sector": "23", "career_goal": "Work on transit projects",
    "residence_area": "Port Alder", "job_search_workshop_completed": "check", "consent": "check",
}
OFFER = {
    "noc": "21300", "years_experience": "15", "naics_sector": "23", "languages": "en",
    # "A" chooses AM where the browser shows a 12-hour clock; a 24-hour one ignores it.
    "windows-0-weekday": "2", "windows-0-start": "0930A", "windows-0-end": "1130A",
    "goals_text": "Site visits and Canadian codes", "commitment": "check",
}


def test_a_caseworker_refers_with_the_keyboard_alone(browser, live_server) -> None:
    context = browser.new_context(locale="en-CA")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/mentoring/sign-in")
        form = page.locator("form[action$='/sign-in/agency']")
        form.locator("input[name=email]").fill(live_server.caseworker_email)
        form.locator("input[name=password]").fill(CASEWORKER_PASSWORD)
        form.locator("button[type=submit]").click()
        page.wait_for_url(re.compile(r"/mentoring/agency/$"))
        page.goto(live_server.url + "/mentoring/agency/referrals/new")

        answer_by_keyboard(page, "kit-referral-form", REFERRAL, ("action", "check"))
        assert page.locator(".kit-alert").count() == 0, page.locator(".kit-error").all_inner_texts()
        assert page.locator("#kit-eligibility-title").is_visible()
        # The answers survived the check; the submit button is now there, reached by Tab.
        answer_by_keyboard(page, "kit-referral-form", {}, ("action", "submit"))
        page.wait_for_url(re.compile(r"/agency/referrals/\d+$"))
        assert not axe_violations(page)
    finally:
        context.close()
    def saved(db):
        referral = db.scalar(select(Referral).where(Referral.newcomer.has(
            email=REFERRAL["email"])))
        newcomer = referral.newcomer
        return (referral.status, newcomer.display_name, newcomer.clb_listening,
                newcomer.target_noc_code, newcomer.job_search_workshop_completed)

    assert live_server.query(saved) == ("submitted", "Tomás Oyelaran", 8, "21300", True)


def test_an_employee_volunteers_with_the_keyboard_alone(browser, live_server) -> None:
    context = browser.new_context(locale="en-CA")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/mentoring/sign-in?next=/mentoring/staff/volunteer")
        form = page.locator(DIRECTORY_FORM)
        form.locator("input[name=username]").fill("ihalvorsen")
        form.locator("input[name=password]").fill(DIRECTORY_PASSWORD)
        form.locator("button[type=submit]").click()
        page.wait_for_url(re.compile(r"/mentoring/staff/volunteer$"))

        answer_by_keyboard(page, "kit-volunteer-form", OFFER, ("", ""))
        assert page.locator(".kit-alert").count() == 0, page.locator(".kit-error").all_inner_texts()
        assert re.search(r"/mentoring/staff/$", page.url)
    finally:
        context.close()
    def saved(db):
        profile = db.scalar(
            select(VolunteerProfile).join(StaffMember, StaffMember.id == VolunteerProfile.staff_id)
            .where(StaffMember.directory_id == "ihalvorsen"))
        return (profile.status, profile.years_experience, profile.commitment_acknowledged_at
                is not None, [(w.weekday, w.start_minute, w.end_minute)
                              for w in profile.availability])

    assert live_server.query(saved) == ("pending", 15, True, [(2, 9 * 60 + 30, 11 * 60 + 30)])
