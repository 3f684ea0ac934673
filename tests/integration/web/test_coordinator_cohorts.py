"""The coordinator's cohorts: the list, creating and changing one, closing it; choosing the
cohort when accepting a referral and moving an accepted newcomer to another one."""

from __future__ import annotations

import html
from datetime import date, timedelta
from decimal import Decimal

import pytest
from conftest import csrf_token, sign_in_as

from kit.models import AuditEvent, Cohort, Referral

BASE = "/mentoring/coordinator"
COHORTS = f"{BASE}/cohorts"
QUEUE = f"{BASE}/referrals"
TODAY = date.today()


@pytest.fixture
def coordinator(client, factory, db):
    staff = factory.staff("Amara Okafor", roles=("coordinator",))
    factory.occupation("21300", "Civil engineers")
    db.commit()
    sign_in_as(client, "staff", staff.id)
    return staff


@pytest.fixture
def current(factory, db) -> Cohort:
    """The cohort running today, with a civil engineer volunteering as a mentor."""
    running = factory.cohort("Fall 2027", starts_on=TODAY - timedelta(days=10),
                             ends_on=TODAY + timedelta(days=100))
    factory.volunteer(factory.staff("Marie Tremblay"), noc_code="21300", capacity=2)
    db.commit()
    return running


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def post(client, path: str, page: str, **data):
    return client.post(path, data={"csrf_token": csrf_token(client, page), **data})


def cohort_form(**changes) -> dict[str, str]:
    return {"name": "Winter 2028", "starts_on": "2028-01-10", "ends_on": "2028-04-30",
            "target_hours": "24", **changes}


def test_the_list_shows_each_cohort_with_counts_and_its_batch(client, coordinator, current,
                                                              factory, db) -> None:
    factory.cohort("Spring 2027", starts_on=TODAY - timedelta(days=300),
                   ends_on=TODAY - timedelta(days=180), is_open=False)
    factory.accepted_newcomer("Lan", current)
    matched = factory.accepted_newcomer("Omar", current)
    factory.match(newcomer=matched, cohort_id=current.id)
    db.commit()
    response = client.get(COHORTS)
    assert response.status_code == 200
    page = text(response)
    assert f'href="{COHORTS}"' in page  # the navigation links to the list
    rows = page.split("<tbody>")[1].split("</tr>")
    assert "Fall 2027" in rows[0] and "Newcomers accepted today join it" in rows[0]
    assert "Taking newcomers" in rows[0] and "Spring 2027" in rows[1]
    assert "Closed to newcomers" in rows[1]
    cells = [cell.split(">")[-1] for cell in rows[0].split("</td>")]
    assert cells[2:7] == ["24", "Taking newcomers", "2", "1", "1"]
    assert f"{COHORTS}/{current.id}/matching" in page
    assert f"{COHORTS}/{current.id}/edit" in page


def test_no_cohort_yet_says_what_to_do(client, coordinator) -> None:
    page = text(client.get(COHORTS))
    assert "No cohort yet." in page and f'href="{COHORTS}/new"' in page


def test_a_new_cohort_is_created(client, coordinator, db) -> None:
    assert client.get(f"{COHORTS}/new").status_code == 200
    response = post(client, f"{COHORTS}/new", f"{COHORTS}/new", **cohort_form())
    assert response.status_code == 302 and response.headers["Location"].endswith(COHORTS)
    created = db.query(Cohort).one()
    assert (created.name, created.starts_on, created.ends_on, created.target_hours,
            created.is_open) == ("Winter 2028", date(2028, 1, 10), date(2028, 4, 30),
                                 Decimal(24), True)
    assert "The cohort Winter 2028 is created" in text(client.get(COHORTS))
    assert db.query(AuditEvent).filter_by(action="cohort.created").count() == 1


@pytest.mark.parametrize(("changes", "message"), [
    ({"name": ""}, "Enter the cohort's name, such as Fall 2027."),
    ({"name": "x" * 101}, "A cohort's name has at most 100 characters."),
    ({"starts_on": ""}, "Enter the cohort's first day."),
    ({"ends_on": "2027-12-31"}, "The last day comes after the first day."),
    ({"ends_on": "not a day"}, "Not a valid date value."),
    ({"target_hours": "0"}, "Enter more than 0 hours."),
    ({"target_hours": "9000"}, "A match aims at 500 hours at most."),
    ({"target_hours": "lots"}, "Not a valid decimal value."),
    ({"name": "fall 2027"}, "Another cohort already has this name."),
])
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(
        client, coordinator, current, db, changes, message) -> None:
    response = post(client, f"{COHORTS}/new", f"{COHORTS}/new", **cohort_form(**changes))
    assert response.status_code == 422
    page = text(response)
    assert message in page and "Nothing was saved" in page
    assert 'aria-invalid="true"' in page
    assert db.query(Cohort).count() == 1
    assert db.query(AuditEvent).filter_by(action="cohort.created").count() == 0


def test_a_cohort_is_changed(client, coordinator, current, db) -> None:
    edit = f"{COHORTS}/{current.id}/edit"
    form = text(client.get(edit))
    assert 'value="Fall 2027"' in form and f'value="{current.starts_on.isoformat()}"' in form
    response = post(client, edit, edit, **cohort_form(name="Fall 2027 (extended)",
                                                      target_hours="30.5"))
    assert response.status_code == 302
    db.expire_all()
    assert (current.name, current.target_hours) == ("Fall 2027 (extended)", Decimal("30.5"))
    assert "The cohort Fall 2027 (extended) is saved." in text(client.get(COHORTS))


def test_a_bad_change_is_refused_and_nothing_changes(client, coordinator, current, factory,
                                                     db) -> None:
    factory.cohort("Winter 2028")
    db.commit()
    edit = f"{COHORTS}/{current.id}/edit"
    response = post(client, edit, edit, **cohort_form(name="WINTER 2028"))
    assert response.status_code == 422
    assert "Another cohort already has this name." in text(response)
    response = post(client, edit, edit, **cohort_form(ends_on="2028-01-10"))
    assert response.status_code == 422
    db.expire_all()
    assert current.name == "Fall 2027" and current.ends_on == TODAY + timedelta(days=100)
    assert db.query(AuditEvent).filter_by(action="cohort.updated").count() == 0
    assert client.get(f"{COHORTS}/9999/edit").status_code == 404
    assert post(client, f"{COHORTS}/9999/edit", edit, **cohort_form()).status_code == 404


def test_closing_and_reopening_a_cohort(client, coordinator, current, db) -> None:
    response = post(client, f"{COHORTS}/{current.id}/close", COHORTS)
    assert response.status_code == 302
    db.expire_all()
    assert not current.is_open
    page = text(client.get(COHORTS))
    assert "is closed: no newcomer joins it any more" in page
    assert f"{COHORTS}/{current.id}/reopen" in page
    assert "No open cohort runs today or starts later" in page
    post(client, f"{COHORTS}/{current.id}/reopen", COHORTS)
    db.expire_all()
    assert current.is_open
    assert post(client, f"{COHORTS}/9999/close", COHORTS).status_code == 404


def test_changes_need_the_csrf_token_and_the_coordinator_role(client, coordinator, current,
                                                              factory, db) -> None:
    assert client.post(f"{COHORTS}/{current.id}/close").status_code == 400
    assert client.post(f"{COHORTS}/new", data=cohort_form()).status_code == 400
    assert client.post(f"{QUEUE}/1/cohort", data={"cohort": ""}).status_code == 400
    mentor = factory.staff("Sam Lee")
    db.commit()
    sign_in_as(client, "staff", mentor.id)
    assert client.get(COHORTS).status_code == 403
    assert client.get(f"{COHORTS}/new").status_code == 403
    assert client.post(f"{COHORTS}/{current.id}/close").status_code == 403
    db.expire_all()
    assert current.is_open and db.query(Cohort).count() == 1


# -- the referral's cohort ---------------------------------------------------------------------

def submitted(factory, db) -> Referral:
    newcomer = factory.newcomer("Lan", "Nguyen", target_noc_code="21300")
    referral = factory.referral(newcomer)
    db.commit()
    return referral


def test_accepting_puts_the_newcomer_in_the_chosen_cohort_and_its_batch(
        client, coordinator, current, factory, db) -> None:
    later = factory.cohort("Winter 2028", starts_on=TODAY + timedelta(days=120),
                           ends_on=TODAY + timedelta(days=240))
    factory.cohort("Old", is_open=False)
    referral = submitted(factory, db)
    page = text(client.get(f"{QUEUE}/{referral.id}"))
    # The open cohorts are offered, the one running today chosen; a closed one is not.
    assert f'<option selected value="{current.id}">Fall 2027' in page
    assert f'value="{later.id}">Winter 2028' in page and "Old" not in page
    assert '<option value="">No cohort yet</option>' in page
    assert not text(client.get(f"{COHORTS}/{later.id}/matching")).count("Lan Nguyen")

    response = post(client, f"{QUEUE}/{referral.id}/decision", f"{QUEUE}/{referral.id}",
                    accept="Accept", cohort=str(later.id))
    assert response.status_code == 302
    assert "Lan Nguyen is accepted into Winter 2028" in text(client.get(QUEUE))
    db.expire_all()
    assert referral.status == "accepted" and referral.cohort_id == later.id
    # The newly accepted newcomer is in that cohort's batch matching, paired with the mentor.
    batch = text(client.get(f"{COHORTS}/{later.id}/matching"))
    assert "Lan Nguyen" in batch and "Marie Tremblay" in batch
    assert "Lan Nguyen" not in text(client.get(f"{COHORTS}/{current.id}/matching"))


def test_accepting_into_no_cohort_yet(client, coordinator, current, factory, db) -> None:
    referral = submitted(factory, db)
    post(client, f"{QUEUE}/{referral.id}/decision", f"{QUEUE}/{referral.id}", accept="Accept",
         cohort="")
    db.expire_all()
    assert referral.status == "accepted" and referral.cohort_id is None
    assert "In no cohort yet" in text(client.get(f"{QUEUE}/{referral.id}"))


def test_a_cohort_closed_meanwhile_is_refused_and_nothing_changes(client, coordinator,
                                                                  current, factory,
                                                                  db) -> None:
    referral = submitted(factory, db)
    token = csrf_token(client, f"{QUEUE}/{referral.id}")  # the page was open...
    current.is_open = False  # ...when a colleague closed the cohort
    db.commit()
    response = client.post(f"{QUEUE}/{referral.id}/decision", data={
        "csrf_token": token, "accept": "Accept", "cohort": str(current.id)})
    assert response.status_code == 400
    assert "This cohort is closed now: choose one of the open cohorts." in text(response)
    response = client.post(f"{QUEUE}/{referral.id}/decision", data={
        "csrf_token": token, "accept": "Accept", "cohort": "spring"})
    assert response.status_code == 400
    assert "Choose one of the open cohorts." in text(response)
    db.expire_all()
    assert referral.status == "submitted" and referral.cohort_id is None


def test_an_accepted_newcomer_moves_to_another_cohort(client, coordinator, current, factory,
                                                      db) -> None:
    later = factory.cohort("Winter 2028", starts_on=TODAY + timedelta(days=120),
                           ends_on=TODAY + timedelta(days=240))
    closed = factory.cohort("Closed", is_open=False)
    referral = submitted(factory, db)
    post(client, f"{QUEUE}/{referral.id}/decision", f"{QUEUE}/{referral.id}", accept="Accept")
    db.expire_all()
    assert referral.cohort_id == current.id  # the default: the cohort running today
    detail = f"{QUEUE}/{referral.id}"
    page = text(client.get(detail))
    assert "Cohort: Fall 2027" in page and "Move to this cohort" in page

    response = post(client, f"{detail}/cohort", detail, cohort=str(later.id))
    assert response.status_code == 302 and response.headers["Location"].endswith(detail)
    assert "Lan Nguyen is now in Winter 2028." in text(client.get(detail))
    db.expire_all()
    assert referral.cohort_id == later.id
    assert "Lan Nguyen" in text(client.get(f"{COHORTS}/{later.id}/matching"))
    assert db.query(AuditEvent).filter_by(action="referral.cohort_changed").count() == 1

    response = post(client, f"{detail}/cohort", detail, cohort=str(closed.id))
    assert response.status_code == 422
    assert "Choose one of the open cohorts." in text(response)
    post(client, f"{detail}/cohort", detail, cohort="")
    db.expire_all()
    assert referral.cohort_id is None

    # Once a mentor is proposed the cohort stays: no form, and a stale one is refused.
    token = csrf_token(client, detail)
    factory.match(newcomer=referral.newcomer, status="proposed")
    db.commit()
    assert "Move to this cohort" not in text(client.get(detail))
    response = client.post(f"{detail}/cohort", data={"csrf_token": token,
                                                     "cohort": str(later.id)})
    assert response.status_code == 409
    assert "A mentor is already proposed to this newcomer" in text(response)
    db.expire_all()
    assert referral.cohort_id is None
    assert client.post(f"{QUEUE}/9999/cohort", data={"csrf_token": token,
                                                      "cohort": ""}).status_code == 404


def test_the_pages_speak_french(client, coordinator, current, db) -> None:
    coordinator.preferred_locale = "fr"
    db.commit()
    page = text(client.get(COHORTS))
    assert "Cohortes" in page and "Jumelage par lot" in page
    assert "Ouverte aux admissions" in page and "Heures visées" in page
    form = text(client.get(f"{COHORTS}/new"))
    assert "Nouvelle cohorte" in form and "Premier jour" in form
    response = post(client, f"{COHORTS}/new", f"{COHORTS}/new",
                    **cohort_form(ends_on="2027-01-01"))
    assert response.status_code == 422
    assert "Le dernier jour vient après le premier." in text(response)


@pytest.mark.kit_config(KIT_MANAGER_APPROVAL=True)
def test_the_volunteers_list_shows_the_managers_answer(client, coordinator, factory,
                                                       db) -> None:
    factory.volunteer(factory.staff("Asked"), manager_approval="pending")
    factory.volunteer(factory.staff("Approved"), manager_approval="approved")
    factory.volunteer(factory.staff("Declined"), manager_approval="declined")
    factory.volunteer(factory.staff("No manager"))
    db.commit()
    rows = text(client.get(f"{BASE}/volunteers")).split("<tbody>")[1].split("</tr>")
    states = {row.split("<td>")[1].split("<")[0].strip(): row for row in rows[:-1]}
    assert "Manager's approval awaited" in states["Asked"]
    assert "Manager approved" in states["Approved"]
    assert "Manager declined" in states["Declined"]
    assert "Manager not asked" in states["No manager"]


def test_without_manager_approval_the_list_says_nothing_of_it(client, coordinator, factory,
                                                              db) -> None:
    factory.volunteer(factory.staff("Approved"), manager_approval="approved")
    db.commit()
    assert "Manager" not in text(client.get(f"{BASE}/volunteers"))
