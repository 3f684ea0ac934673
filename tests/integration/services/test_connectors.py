"""The connector format: first meetings, introductions, the colleague's follow-up, the chain."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kit.models import ConnectorIntroduction, HoursEntry, OutboxMessage
from kit.models.base import utcnow
from kit.services.audit import Actor
from kit.services.connector_chains import chain_rows, chain_summary, newcomer_chain
from kit.services.connectors import (
    Colleague,
    ConnectorError,
    Place,
    decline_introduction,
    mark_meeting_attendance,
    meeting_newcomer,
    record_introductions,
    schedule_connector_meeting,
    schedule_introduction,
    suggested_to,
)
from kit.services.session_conflicts import SessionConflict


def soon(days: int = 3, hour: int = 17) -> object:
    return (utcnow() + timedelta(days=days)).replace(hour=hour, minute=0, second=0,
                                                     microsecond=0)


@pytest.fixture
def people(factory):
    factory.occupation("21300")
    coordinator = factory.staff("Priya Coordinator", roles=("coordinator",))
    connector = factory.volunteer(factory.staff("Connie Connector"), offers_connector=True)
    colleagues = [factory.staff(name, email=f"{name[:2].lower()}@city.example",
                                preferred_locale=locale)
                  for name, locale in (("Amélie Tremblay", "fr"), ("Bo Chen", "en"),
                                       ("Carlos Ruiz", "en"), ("Dana Singh", "en"))]
    newcomer = factory.newcomer("Lan")
    return {"coordinator": coordinator, "connector": connector.staff, "colleagues": colleagues,
            "newcomer": newcomer}


def actor(person) -> Actor:
    return Actor("staff", person.id)


def first_meeting(db, people, starts_at=None):
    return schedule_connector_meeting(
        db, actor(people["coordinator"]), connector_id=people["connector"].id,
        newcomer_id=people["newcomer"].id, starts_at=starts_at or soon(),
        place=Place(building="City Hall", room="210"))


def three(people) -> list[Colleague]:
    return [Colleague(staff_id=c.id) for c in people["colleagues"][:3]]


def test_a_first_meeting_is_thirty_minutes_without_a_match_and_invites_both(db, people):
    meeting = first_meeting(db, people)
    assert meeting.match_id is None
    assert meeting.duration_minutes == 30
    assert meeting.session_type.code == "connector_meeting"
    assert meeting_newcomer(meeting).newcomer_id == people["newcomer"].id
    recipients = {m.recipient for m in db.query(OutboxMessage)}
    assert any(people["connector"].email in r for r in recipients)
    assert any(people["newcomer"].email in r for r in recipients)


def test_only_approved_connectors_host_first_meetings(db, factory, people):
    plain = factory.volunteer(factory.staff("No Connector"))
    with pytest.raises(ConnectorError) as error:
        schedule_connector_meeting(db, actor(people["coordinator"]), connector_id=plain.staff_id,
                                   newcomer_id=people["newcomer"].id, starts_at=soon())
    assert error.value.code == "not_a_connector"
    with pytest.raises(ConnectorError) as error:
        schedule_connector_meeting(db, actor(people["colleagues"][0]),
                                   connector_id=people["connector"].id,
                                   newcomer_id=people["newcomer"].id, starts_at=soon())
    assert error.value.code == "forbidden"


def test_a_busy_connector_cannot_be_double_booked(db, people):
    first_meeting(db, people)
    other = schedule_connector_meeting  # the same connector, 15 minutes later
    with pytest.raises(SessionConflict):
        other(db, actor(people["coordinator"]), connector_id=people["connector"].id,
              newcomer_id=people["newcomer"].id, starts_at=soon() + timedelta(minutes=15))


def test_fewer_than_three_introductions_is_refused_with_the_minimum(db, people):
    meeting = first_meeting(db, people)
    with pytest.raises(ConnectorError) as error:
        record_introductions(db, actor(people["connector"]), meeting.id, three(people)[:2])
    assert (error.value.code, error.value.detail) == ("too_few_introductions", "3")
    assert db.query(ConnectorIntroduction).count() == 0


@pytest.mark.kit_config(KIT_CONNECTOR_MIN_INTRODUCTIONS=2)
def test_the_minimum_is_configurable(db, people):
    meeting = first_meeting(db, people)
    made = record_introductions(db, actor(people["connector"]), meeting.id, three(people)[:2])
    assert len(made) == 2


def test_introductions_become_suggested_meetings_and_each_colleague_is_told(db, people):
    meeting = first_meeting(db, people)
    outside = Colleague(name="Eve Outside", email="Eve@Partner.example")
    made = record_introductions(db, actor(people["connector"]), meeting.id,
                                [*three(people), outside], note="Ask about permits")
    assert [i.status for i in made] == ["suggested"] * 4
    assert all(i.depth == 1 and i.parent_id is None for i in made)
    assert made[3].colleague_email == "eve@partner.example"
    assert made[3].colleague_staff_id is None
    mails = {m.recipient: m for m in db.query(OutboxMessage)
             .filter(OutboxMessage.dedupe_key.like("connector-introduction:%"))}
    assert len(mails) == 4
    french = next(m for r, m in mails.items() if "am@city.example" in r)
    assert french.locale == "fr"
    assert [i.id for i in suggested_to(db, people["colleagues"][1].id)] == [made[1].id]


def test_the_same_colleague_is_not_introduced_twice(db, people):
    meeting = first_meeting(db, people)
    twice = [*three(people), Colleague(name="Bo again", email="BO@city.example")]
    with pytest.raises(ConnectorError) as error:
        record_introductions(db, actor(people["connector"]), meeting.id, twice)
    assert error.value.code == "duplicate_colleague"
    with pytest.raises(ConnectorError) as error:
        record_introductions(db, actor(people["connector"]), meeting.id,
                             [*three(people)[:2], Colleague(staff_id=people["connector"].id)])
    assert error.value.code == "self_introduction"


def test_only_the_host_or_a_coordinator_records_introductions(db, people):
    meeting = first_meeting(db, people)
    with pytest.raises(ConnectorError) as error:
        record_introductions(db, actor(people["colleagues"][3]), meeting.id, three(people))
    assert error.value.code == "forbidden"
    assert len(record_introductions(db, actor(people["coordinator"]), meeting.id,
                                    three(people))) == 3


def test_the_colleague_schedules_and_the_chain_goes_on(db, factory, people):
    meeting = first_meeting(db, people)
    made = record_introductions(db, actor(people["connector"]), meeting.id, three(people))
    bo = people["colleagues"][1]
    follow_up = schedule_introduction(db, actor(bo), made[1].id, starts_at=soon(days=5),
                                      place=Place(online_url="https://meet.example/bo"))
    assert made[1].status == "scheduled"
    assert made[1].follow_up_session_id == follow_up.id
    assert follow_up.duration_minutes == 30 and follow_up.organizer_id == bo.id
    assert suggested_to(db, bo.id) == []
    # At Bo's meeting, three more colleagues: depth 2, and Bo's introduction is met.
    more = [Colleague(staff_id=people["colleagues"][3].id),
            Colleague(staff_id=factory.staff("Farah Haddad").id),
            Colleague(name="Gil Partner", email="gil@partner.example")]
    second = record_introductions(db, actor(bo), follow_up.id, more)
    assert {(i.depth, i.parent_id) for i in second} == {(2, made[1].id)}
    assert made[1].status == "met"
    # The newcomer already knows Amélie through the chain: not introduced again.
    with pytest.raises(ConnectorError) as error:
        record_introductions(db, actor(bo), follow_up.id,
                             [Colleague(staff_id=people["colleagues"][0].id)])
    assert error.value.code == "already_introduced"
    # Nor to the connector they met first.
    with pytest.raises(ConnectorError) as error:
        record_introductions(db, actor(bo), follow_up.id,
                             [Colleague(staff_id=people["connector"].id)])
    assert error.value.code == "already_introduced"

    tree = newcomer_chain(db, people["newcomer"].id)
    assert len(tree) == 1 and tree[0].session.id == meeting.id
    branch = tree[0].introductions[1]
    assert branch.meeting is not None and branch.meeting.session.id == follow_up.id
    assert branch.meeting.depth == 2
    assert [n.introduction.id for n in branch.meeting.introductions] == [i.id for i in second]
    assert all(n.meeting is None for n in tree[0].introductions if n is not branch)

    summary = chain_summary(db)
    assert (summary.newcomers_met, summary.introductions_made, summary.meetings_held,
            summary.depth) == (1, 6, 2, 2)
    rows, pages = chain_rows(db, 1, 10)
    assert pages == 1
    assert (rows[0].meetings, rows[0].meetings_held, rows[0].introductions,
            rows[0].open_introductions, rows[0].depth) == (2, 2, 6, 5, 2)


def test_a_colleague_known_only_by_e_mail_finds_the_introduction_when_signed_in(db, factory,
                                                                               people):
    meeting = first_meeting(db, people)
    made = record_introductions(db, actor(people["connector"]), meeting.id,
                                [*three(people)[:2],
                                 Colleague(name="Hana New", email="hana@city.example")])
    hana = factory.staff("Hana Newhire", email="Hana@city.example")  # signs in later
    assert [i.id for i in suggested_to(db, hana.id)] == [made[2].id]
    schedule_introduction(db, actor(hana), made[2].id, starts_at=soon(days=6))
    assert made[2].colleague_staff_id == hana.id


def test_someone_else_cannot_schedule_or_decline_an_introduction(db, people):
    meeting = first_meeting(db, people)
    made = record_introductions(db, actor(people["connector"]), meeting.id, three(people))
    with pytest.raises(ConnectorError) as error:
        schedule_introduction(db, actor(people["colleagues"][3]), made[0].id, starts_at=soon(5))
    assert error.value.code == "forbidden"
    decline_introduction(db, actor(people["colleagues"][0]), made[0].id)
    assert made[0].status == "declined"
    with pytest.raises(ConnectorError) as error:
        schedule_introduction(db, actor(people["colleagues"][0]), made[0].id, starts_at=soon(5))
    assert error.value.code == "not_suggested"


def test_the_follow_up_meeting_checks_conflicts_of_the_newcomer(db, people):
    meeting = first_meeting(db, people, starts_at=soon(days=4))
    made = record_introductions(db, actor(people["connector"]), meeting.id, three(people))
    with pytest.raises(SessionConflict) as error:
        schedule_introduction(db, actor(people["colleagues"][1]), made[1].id,
                              starts_at=soon(days=4) + timedelta(minutes=10))
    assert error.value.code == "newcomer_busy"


def test_attendance_of_a_follow_up_gives_the_colleague_hours_and_meets_the_introduction(
        db, people):
    meeting = first_meeting(db, people, starts_at=utcnow() - timedelta(days=3))
    made = record_introductions(db, actor(people["connector"]), meeting.id, three(people))
    bo = people["colleagues"][1]
    follow_up = schedule_introduction(db, actor(bo), made[1].id,
                                      starts_at=utcnow() - timedelta(hours=2))
    result = mark_meeting_attendance(db, actor(bo), follow_up.id,
                                     {a.id: True for a in follow_up.attendees})
    assert result.status == "attended" and result.hours_added == 1
    assert made[1].status == "met"
    entry = db.query(HoursEntry).filter_by(session_id=follow_up.id).one()
    assert (entry.staff_id, str(entry.hours)) == (bo.id, "0.50")
    assert chain_summary(db).depth == 2
    assert chain_summary(db, since=utcnow() - timedelta(days=1)).meetings_held == 1
