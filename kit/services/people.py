"""People of every kind: look-ups by kind and the language each one prefers."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kit.models import AgencyUser, Newcomer, StaffMember
from kit.services.audit import Actor, record

PERSON_MODELS: dict[str, type[StaffMember] | type[AgencyUser] | type[Newcomer]] = {
    "staff": StaffMember,
    "agency": AgencyUser,
    "newcomer": Newcomer,
}


Person = StaffMember | AgencyUser | Newcomer


def find_person(db: Session, kind: str, person_id: int) -> Person | None:
    """The staff member, agency user or newcomer with this id, or None."""
    model = PERSON_MODELS.get(kind)
    return db.get(model, person_id) if model else None


def set_preferred_locale(db: Session, actor: Actor, locale: str) -> None:
    """Store the language a person chose with the switch; commits."""
    person = find_person(db, actor.kind, actor.id)
    if person is None or person.preferred_locale == locale:
        return
    person.preferred_locale = locale
    record(db, actor, "person.locale_changed", actor.kind, actor.id, {"locale": locale})
    db.commit()
