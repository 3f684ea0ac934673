"""Every page that shows a newcomer's personal data writes who saw it to the audit log."""

from __future__ import annotations

from conftest import sign_in_as

from kit.models import AuditEvent


def viewed(db, newcomer_id: int) -> list[tuple[str, str | None, dict]]:
    return [(e.actor_kind, e.actor_id, e.details) for e in db.query(AuditEvent).filter_by(
        action="newcomer.viewed", subject_id=str(newcomer_id))]


def test_lists_and_pages_of_newcomers_are_audited(client, factory, db) -> None:
    agency = factory.agency("Harbourview")
    caseworker = factory.agency_user(agency)
    coordinator = factory.staff(roles=("coordinator",))
    referral = factory.referral(factory.newcomer("Łukasz", "Wójcik"), agency)
    db.commit()
    newcomer_id = referral.newcomer_id

    sign_in_as(client, "agency", caseworker.id)
    client.get("/mentoring/agency/")
    sign_in_as(client, "staff", coordinator.id)
    for path in ("/mentoring/coordinator/", "/mentoring/coordinator/referrals",
                 "/mentoring/coordinator/newcomers",
                 f"/mentoring/coordinator/referrals/{referral.id}"):
        assert client.get(path).status_code == 200, path
    db.expire_all()
    events = viewed(db, newcomer_id)
    assert ("agency", str(caseworker.id), {"what": "list"}) in events
    staff_events = [e for e in events if e[:2] == ("staff", str(coordinator.id))]
    assert len(staff_events) == 4
    assert {"what": "referral"} in [e[2] for e in staff_events]
