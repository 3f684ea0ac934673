"""The journey's later steps: matching, both sides accepting, a job-shadowing visit, hours,
the report and the certificate. They run when the kit has their pages (see ``Step.needs``).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from babel.numbers import format_decimal
from sqlalchemy import select

from e2e.e2e_journey import NEWCOMERS, step
from e2e.e2e_support import Journey

# -- 5. The coordinator matches them --------------------------------------------------------

@step("kit_coordinator.matches", "kit_coordinator.mentor_suggestions",
      "kit_coordinator.propose_match")
def coordinator_proposes_the_match(j: Journey) -> None:
    page = j.page("coordinator")
    page.goto(j.url("/mentoring/coordinator/matches"))
    j.look(page, "matches")
    # Each open cohort's batch: the best assignment of its accepted newcomers.
    batch = page.locator("a[href*='/cohorts/'][href$='/matching']")
    batch.first.click()
    page.wait_for_url(re.compile(r"/cohorts/\d+/matching$"))
    j.look(page, "batch-matching")
    # The newcomer accepted a moment ago joined the current cohort (the latest, listed
    # first): its batch counts her. The coordinator proposes her to the new mentor from his
    # suggestions, whom the batch may not have chosen.
    assert j.facts["newcomer_name"] in page.locator("main").inner_text()
    page.goto(j.url(f"/mentoring/coordinator/volunteers/{j.facts['volunteer_id']}/newcomers"))
    j.look(page, "suggestions")
    card = page.locator("li.kit-card", has_text=j.facts["newcomer_name"])
    card.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/coordinator/matches/\d+$"))
    j.look(page, "match-proposed")
    j.facts["match_id"] = int(page.url.rsplit("/", 1)[1])
    assert match_status(j) == "proposed"


def match_status(j: Journey) -> str:
    """The status of the journey's match, read from the database."""
    from kit.models import Match

    return j.server.query(lambda db: db.get(Match, j.facts["match_id"]).status)


# -- 6. Both sides accept ------------------------------------------------------------------

@step("kit_staff.matches", "kit_staff.accept_match")
def mentor_accepts_the_match(j: Journey) -> None:
    page = j.page("employee")
    page.goto(j.url("/mentoring/staff/matches"))
    j.look(page, "mentor-matches")
    page.locator(f"form[action$='/matches/{j.facts['match_id']}/accept'] button").click()
    page.wait_for_load_state("load")
    j.look(page, "mentor-accepted")
    assert match_status(j) in ("mentor_accepted", "active")


@step("kit_coordinator.send_link", "kit_newcomer.open_link", "kit_newcomer.matches",
      "kit_newcomer.accept_match")
def newcomer_opens_her_link_and_accepts(j: Journey) -> None:
    coordinator = j.page("coordinator")
    coordinator.goto(j.url("/mentoring/coordinator/newcomers"))
    for _ in range(20):  # the list is paged: find her row
        row = coordinator.locator("tr", has_text=j.facts["newcomer_name"])
        if row.count():
            break
        coordinator.locator("a[rel=next]").click()
        coordinator.wait_for_load_state("load")
    j.look(coordinator, "newcomers")
    row.locator("form[action$='/link'] button").click()
    coordinator.wait_for_load_state("load")
    link = newcomer_link(j)

    page = j.page("newcomer")
    page.goto(link)
    page.wait_for_url(re.compile(r"/mentoring/newcomer/"))
    j.speak_my_language(page)
    j.look(page, "newcomer-home")
    page.goto(j.url("/mentoring/newcomer/mentor"))
    j.look(page, "newcomer-match")
    page.locator(f"form[action$='/mentor/{j.facts['match_id']}/accept'] button").click()
    page.wait_for_load_state("load")
    j.look(page, "newcomer-accepted")
    assert match_status(j) == "active"


def newcomer_link(j: Journey) -> str:
    """The personal link in the last e-mail queued for the journey's newcomer."""
    from kit.models import OutboxMessage

    email = NEWCOMERS[j.lang]["email"]
    body = j.server.query(lambda db: db.scalars(
        select(OutboxMessage.body_text).where(OutboxMessage.recipient == email)
        .order_by(OutboxMessage.id.desc())).first())
    found = re.search(r"https?://\S+/mentoring/newcomer/link/\S+", body or "")
    assert found, f"no personal link e-mailed to {email}"
    return found.group(0)


# -- 7. A job-shadowing visit, scheduled and confirmed -------------------------------------

@step("kit_staff.schedule", "kit_staff.session", "kit_newcomer.sessions",
      "kit_newcomer.confirm_session")
def mentor_schedules_a_job_shadowing_visit(j: Journey) -> None:
    page = j.page("employee")
    page.goto(j.url(f"/mentoring/staff/sessions/new?match={j.facts['match_id']}"))
    j.look(page, "session-form")
    page.locator("select[name=type_code]").select_option("job_shadowing")
    page.locator("input[name=day]").fill(next_working_day().isoformat())
    page.locator("input[name=start]").fill("10:00")
    page.locator("input[name=location_building]").fill("Operations Centre")
    page.locator("input[name=location_room]").fill("Water Services, room 2")
    page.locator("form.kit-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/staff/sessions/\d+$"))
    j.look(page, "session-scheduled")
    j.facts["session_id"] = int(page.url.rsplit("/", 1)[1])

    newcomer = j.page("newcomer")
    newcomer.goto(j.url("/mentoring/newcomer/sessions"))
    j.look(newcomer, "newcomer-sessions")
    newcomer.locator(f"form[action$='/sessions/{j.facts['session_id']}/confirm'] button").click()
    newcomer.wait_for_load_state("load")
    j.look(newcomer, "session-confirmed")
    assert session_responses(j)["newcomer"] == "confirmed"


def next_working_day() -> date:
    """A weekday at least two days ahead: a visit is planned in advance, on a work day."""
    day = date.today() + timedelta(days=2)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def session_responses(j: Journey) -> dict[str, str | None]:
    """Each attendee's role and answer for the journey's session."""
    from kit.models import SessionAttendee

    return j.server.query(lambda db: {a.role: a.response for a in db.scalars(
        select(SessionAttendee).where(SessionAttendee.session_id == j.facts["session_id"]))})


# -- 8. The visit happens: attendance, hours, confirmation -----------------------------------

@step("kit_staff.attendance", "kit_newcomer.hours", "kit_newcomer.confirm_hours")
def the_visit_takes_place_and_hours_are_confirmed(j: Journey) -> None:
    let_the_visit_happen(j)
    page = j.page("employee")
    page.goto(j.url(f"/mentoring/staff/sessions/{j.facts['session_id']}"))
    j.look(page, "session-attendance")
    page.locator("form[action$='/attendance'] button[type=submit]").click()
    page.wait_for_load_state("load")
    j.look(page, "attendance-saved")

    newcomer = j.page("newcomer")
    newcomer.goto(j.url("/mentoring/newcomer/hours"))
    j.look(newcomer, "hours-to-confirm")
    newcomer.locator("form[action*='/hours/'][action$='/confirm'] button").first.click()
    newcomer.wait_for_load_state("load")
    j.look(newcomer, "hours-confirmed")
    assert confirmed_hours(j) > 0


def let_the_visit_happen(j: Journey) -> None:
    """Time passes: the visit, planned days ahead, moves to just before now.

    The one change a browser cannot make: attendance is recorded once a session started.
    """
    from kit.models import MentoringSession
    from kit.models.base import utcnow

    def move(db) -> None:
        visit = db.get(MentoringSession, j.facts["session_id"])
        length = visit.ends_at - visit.starts_at
        visit.ends_at = utcnow().replace(microsecond=0) - timedelta(minutes=10)
        visit.starts_at = visit.ends_at - length
        db.commit()

    j.server.query(move)


def confirmed_hours(j: Journey) -> Decimal:
    """The confirmed hours of the journey's match."""
    from kit.models import HoursEntry

    return j.server.query(lambda db: sum(
        (e.hours for e in db.scalars(select(HoursEntry).where(
            HoursEntry.match_id == j.facts["match_id"], HoursEntry.status == "confirmed"))),
        Decimal(0)))


# -- 9. The coordinator's report counts them --------------------------------------------------

@step("kit_reports.hours")
def the_report_shows_the_hours(j: Journey) -> None:
    page = j.page("coordinator")
    page.goto(j.url("/mentoring/reports/"))
    j.look(page, "reports")
    page.goto(j.url("/mentoring/reports/hours"))
    j.look(page, "report-hours")
    # The mentor's row counts the hours the newcomer confirmed, in the reader's format.
    row = page.locator("tr", has_text=j.facts["volunteer_name"])
    hours = format_decimal(confirmed_hours(j), "#,##0.##", locale=j.lang)
    assert hours in row.first.inner_text(), (hours, row.first.inner_text())


# -- 10. The match completes; the certificate --------------------------------------------------

@step("kit_coordinator.close_match", "kit_staff.hours", "kit_staff.certificate",
      "kit_newcomer.certificate")
def the_match_completes_and_certificates_download(j: Journey) -> None:
    coordinator = j.page("coordinator")
    coordinator.goto(j.url(f"/mentoring/coordinator/matches/{j.facts['match_id']}"))
    j.look(coordinator, "match")
    form = coordinator.locator("form[action$='/close']")
    form.locator("select[name=reason]").select_option("completed")
    form.locator("button[type=submit]").click()
    coordinator.wait_for_load_state("load")
    j.look(coordinator, "match-completed")
    assert match_status(j) == "closed"

    for who, path in (("employee", "/mentoring/staff/hours"),
                      ("newcomer", "/mentoring/newcomer/hours")):
        page = j.page(who)
        page.goto(j.url(path))
        j.look(page, f"{who}-certificate")
        link = page.locator(f"a[href*='/certificate/{j.facts['match_id']}.pdf']")
        with page.expect_download() as download:
            link.click()
        pdf = Path(download.value.path()).read_bytes()
        assert pdf.startswith(b"%PDF"), f"the {who}'s certificate is not a PDF"
        (j.shots / f"certificate-{who}.pdf").write_bytes(pdf)
