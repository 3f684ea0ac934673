"""The busiest pages read rows, not objects: the answers stay those of the objects.

The mentor's dashboard, the referral queue, the API's referral list, the signed-in person and
the audit of listed newcomers are each read in as few statements as possible (see
docs/performance.md); these tests pin what a reader of those pages notices.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import event

from kit.auth.identity import current_identity, sign_in
from kit.models import AuditEvent, EligibilityResult
from kit.models.base import utcnow
from kit.services.agency_accounts import create_api_key, verify_api_key
from kit.services.api_guard import agency_referral_page
from kit.services.audit import Actor, record_views
from kit.services.dashboards import staff_dashboard
from kit.services.referral_queue import referral_queue


@contextmanager
def statements(db: Any) -> Iterator[list[str]]:
    """The SQL statements the session's engine runs inside the block."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    engine = db.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_a_list_of_newcomers_is_audited_in_one_statement_one_row_each(db) -> None:
    with statements(db) as seen:
        record_views(db, Actor("staff", 7, "192.0.2.1"), [5, 3, 5, 9], "list")
        record_views(db, Actor("agency", None, None), [], "name")
    db.commit()
    assert len(seen) == 1
    events = db.query(AuditEvent).order_by(AuditEvent.subject_id).all()
    assert [e.subject_id for e in events] == ["3", "5", "9"]
    for e in events:
        assert (e.action, e.subject_type, e.actor_kind, e.actor_id, e.remote_addr, e.details) == (
            "newcomer.viewed", "newcomer", "staff", "7", "192.0.2.1", {"what": "list"})
        assert e.occurred_at is not None


def _results(db, referral, *outcomes) -> None:
    for criterion, passed in zip(("immigration_status", "education_abroad", "language_level"),
                                 outcomes, strict=False):
        db.add(EligibilityResult(referral_id=referral.id, criterion=criterion, passed=passed))
    db.flush()


def test_the_queue_shows_each_verdict_and_duplicate_and_hides_erased_people(db, factory) -> None:
    agency = factory.agency()
    day = utcnow() - timedelta(days=10)
    eligible, unknown, refused, unchecked, earlier, later, erased = (
        factory.referral(factory.newcomer(f"Person {i}", None), agency,
                         submitted_at=day + timedelta(days=i)) for i in range(7))
    _results(db, eligible, True, True)
    _results(db, unknown, True, None)
    _results(db, refused, None, False, True)
    later.duplicate_of_id = earlier.id
    erased.newcomer.erased_at = utcnow()
    factory.referral(status="draft")  # an agency's unfinished work never shows
    db.commit()

    with statements(db) as seen:
        queue = referral_queue(db, status="submitted", page_size=10)
    assert len(seen) == 1  # the page, with its total
    rows = {row.id: row for row in queue.rows}
    assert queue.total == 6 and erased.id not in rows
    assert [rows[r.id].eligible for r in (eligible, unknown, refused, unchecked)] == [
        True, None, False, None]
    assert [rows[r.id].possible_duplicate for r in (eligible, earlier, later)] == [
        False, True, True]
    assert rows[eligible.id].newcomer_name == eligible.newcomer.display_name
    assert rows[eligible.id].agency_name == agency.name

    by_agency = referral_queue(db, status="all", agency_id=agency.id, sort="newcomer",
                               descending=True, page=2, page_size=4)
    assert (by_agency.total, by_agency.page, by_agency.pages) == (6, 2, 2)
    assert [row.newcomer_name for row in by_agency.rows] == ["Person 1", "Person 0"]
    past_the_end = referral_queue(db, status="submitted", page=99, page_size=4)
    assert (past_the_end.page, past_the_end.total, len(past_the_end.rows)) == (2, 6, 2)
    empty = referral_queue(db, status="withdrawn")
    assert (empty.rows, empty.total, empty.page, empty.pages) == ([], 0, 1, 1)


def test_the_api_list_counts_and_names_only_the_agencys_own_referrals(db, factory) -> None:
    ours, theirs = factory.agency("Ours"), factory.agency("Theirs")
    for i in range(3):
        factory.referral(factory.newcomer(f"Given{i}", f"Family{i}"), ours,
                         status="accepted" if i else "submitted")
    factory.referral(factory.newcomer("Preferred", preferred_name="Pat"), ours)
    factory.referral(agency=theirs)
    db.commit()
    ours_id = ours.id

    with statements(db) as seen:
        page = agency_referral_page(db, ours_id, page=1, per_page=3)
    assert len(seen) == 1
    assert (page.total, page.pages) == (4, 2)
    assert [r.newcomer_name for r in page.referrals] == ["Pat", "Given2 Family2",
                                                         "Given1 Family1"]
    submitted = agency_referral_page(db, ours.id, page=1, per_page=3, status="submitted")
    assert [r.newcomer_name for r in submitted.referrals] == ["Pat", "Given0 Family0"]
    past_the_end = agency_referral_page(db, ours.id, page=5, per_page=3)
    assert (past_the_end.referrals, past_the_end.total) == ([], 4)


def test_the_dashboard_reads_the_profile_hours_matches_and_sessions(db, factory) -> None:
    staff = factory.staff()
    helper = factory.staff("Hours without a profile")
    factory.hours(helper, hours="1.5")
    volunteer = factory.volunteer(staff, capacity=2)
    match = factory.match(volunteer, factory.newcomer("Amara", "Okafor", career_goal="Bridges"))
    factory.hours(staff, match, hours="3")
    factory.hours(staff, match, hours="2", status="pending")
    factory.session(match)
    db.commit()
    staff_id = staff.id

    with statements(db) as seen:
        board = staff_dashboard(db, staff_id)
    assert len(seen) == 3
    assert (board.profile_status, board.capacity, board.occupation_code) == (
        "approved", 2, volunteer.noc_code)
    assert (board.hours_confirmed, board.hours_pending) == (Decimal(3), Decimal(2))
    [row] = board.matches
    assert (row.partner_name, row.partner_detail, row.hours) == (
        "Amara Okafor", "Bridges", Decimal(3))
    [session] = board.upcoming
    assert (session.type_code, session.place) == ("job_shadowing", "City Hall, Room 301")

    alone = staff_dashboard(db, helper.id)
    assert (alone.profile_status, alone.matches, alone.hours_confirmed) == (
        None, [], Decimal("1.5"))


def test_an_api_key_records_its_last_use_to_the_minute(db, factory) -> None:
    issued = create_api_key(db, Actor("staff", None), agency_id=factory.agency().id,
                            name="Case system", scopes=("referrals:read",))
    db.commit()
    first = verify_api_key(db, issued.secret, "referrals:read").last_used_at
    db.commit()
    assert first is not None
    assert verify_api_key(db, issued.secret, "referrals:read").last_used_at == first
    issued.key.last_used_at = first - timedelta(minutes=2)
    db.commit()
    assert verify_api_key(db, issued.secret, "referrals:read").last_used_at > first


def test_the_signed_in_person_is_read_in_one_statement(app, db, factory) -> None:
    coordinator = factory.staff("Chloé", roles=("coordinator",), preferred_locale="fr")
    caseworker = factory.agency_user(name="Ana")
    db.commit()
    for kind, person_id, expected in (
            ("staff", coordinator.id, ("Chloé", frozenset({"staff", "coordinator"}), "fr", None)),
            ("agency", caseworker.id, ("Ana", frozenset({"agency"}), "en",
                                       caseworker.agency_id))):
        with app.test_request_context("/"), statements(db) as seen:
            sign_in(kind, person_id)
            who = current_identity()
            assert (who.name, who.roles, who.locale, who.agency_id) == expected
            assert len(seen) == 1
    coordinator.is_active = False
    caseworker.agency.is_active = False
    db.commit()
    for kind, person in (("staff", coordinator), ("agency", caseworker)):
        with app.test_request_context("/"):
            sign_in(kind, person.id)
            assert current_identity() is None
