"""The signed-in person of a request, whatever door they came through.

Only a kind and an id live in the Flask session; the person is read from the database on every
request, so that a deactivated account or a revoked newcomer link loses access at once.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import has_request_context, request, session
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload

from kit.db import db_session
from kit.models import Agency, AgencyUser, NewcomerLink, StaffMember, StaffRole
from kit.models.base import utcnow
from kit.services.audit import Actor
from kit.state import get_state

SESSION_KEY = "kit_identity"
ENVIRON_KEY = "kit.identity"
EXPIRED_KEY = "kit.session_expired"
KINDS = ("staff", "agency", "newcomer")


@dataclass(frozen=True)
class Identity:
    """A signed-in person: staff member, agency caseworker or newcomer."""

    kind: str
    id: int
    name: str
    roles: frozenset[str]
    locale: str | None
    agency_id: int | None = None
    newcomer_link_id: int | None = None

    def has_role(self, role: str) -> bool:
        """True when the person holds ``role``; an admin holds every coordinator right."""
        return role in self.roles or (role == "coordinator" and "admin" in self.roles)


def actor_of(identity: Identity) -> Actor:
    """The audit log's view of a signed-in person, with the address of the request."""
    return Actor(identity.kind, identity.id, request.remote_addr)


def sign_in(kind: str, person_id: int, *, link_id: int | None = None) -> None:
    """Start a fresh session for a person: the old session's data is dropped first."""
    locale = session.get("kit_locale")
    session.clear()
    if locale:
        session["kit_locale"] = locale
    now = int(time.time())
    session[SESSION_KEY] = {"kind": kind, "id": person_id, "link": link_id, "at": now, "seen": now}
    session.permanent = True


def sign_out() -> None:
    """End the session."""
    session.clear()


def current_identity() -> Identity | None:
    """The person signed in to this request, or None; loaded once per request."""
    if not has_request_context():
        return None
    # Cached per request (not in g: an app context may outlive one request), keyed by what the
    # session holds so that signing in or out within a request is seen at once.
    stored = _within_time_limits(session.get(SESSION_KEY))
    cached = request.environ.get(ENVIRON_KEY)
    if cached is None or cached[0] != stored:
        cached = (stored, _load(stored))
        request.environ[ENVIRON_KEY] = cached
    return cached[1]


def assume_signed_out() -> None:
    """Show the rest of this request as signed out without reading the database (it is down)."""
    request.environ[ENVIRON_KEY] = (_within_time_limits(session.get(SESSION_KEY)), None)


def session_expired() -> bool:
    """Whether this request found a session that had timed out (to tell the person why)."""
    return bool(request.environ.get(EXPIRED_KEY))


def _within_time_limits(stored: object) -> object:
    """The stored identity unless the idle or absolute time-out has passed (then None).

    ``seen`` is refreshed at most once a minute so that the cookie does not change on every
    request.
    """
    if stored is None:
        return None
    config = get_state().config
    now = int(time.time())
    signed_in_at = stored.get("at") if isinstance(stored, dict) else None
    seen_at = stored.get("seen") if isinstance(stored, dict) else None
    if (not isinstance(signed_in_at, int) or not isinstance(seen_at, int)
            or now - seen_at > config["KIT_SESSION_IDLE_MINUTES"] * 60
            or now - signed_in_at > config["KIT_SESSION_MAX_HOURS"] * 3600):
        session.pop(SESSION_KEY, None)
        request.environ[EXPIRED_KEY] = True
        return None
    if now - seen_at >= 60:
        stored = {**stored, "seen": now}
        session[SESSION_KEY] = stored
    return stored


def _load(stored: object) -> Identity | None:
    if not isinstance(stored, dict) or stored.get("kind") not in KINDS:
        return None
    kind, person_id = stored["kind"], stored.get("id")
    if not isinstance(person_id, int):
        return None
    db = db_session()
    # Every page pays for this: one statement per kind, and plain rows where no page needs the
    # mapped object (a person with their roles, a caseworker with their agency's state).
    if kind == "staff":
        rows = db.execute(_staff_identity(), {"id": person_id}).all()
        if not rows or not rows[0].is_active:
            return None
        first = rows[0]
        roles = frozenset({"staff", *(row.role for row in rows if row.role is not None)})
        return Identity("staff", person_id, first.display_name, roles, first.preferred_locale)
    if kind == "agency":
        user = db.execute(_agency_identity(), {"id": person_id}).first()
        if user is None or not user.is_active or not user.agency_is_active:
            return None
        return Identity("agency", person_id, user.display_name, frozenset({"agency"}),
                        user.preferred_locale, agency_id=user.agency_id)
    link_id = stored.get("link")
    link = None
    if isinstance(link_id, int):
        link = db.scalar(select(NewcomerLink).where(NewcomerLink.id == link_id)
                         .options(joinedload(NewcomerLink.newcomer)))
    if link is None or link.newcomer_id != person_id or not link_is_usable(link, utcnow()):
        return None
    newcomer = link.newcomer
    return Identity("newcomer", newcomer.id, newcomer.display_name, frozenset({"newcomer"}),
                    newcomer.preferred_locale, newcomer_link_id=link.id)


@functools.cache
def _staff_identity() -> Select[Any]:
    # One row per role (one with a null role for a person without any): built once.
    return (select(StaffMember.display_name, StaffMember.is_active, StaffMember.preferred_locale,
                   StaffRole.role)
            .outerjoin(StaffRole, StaffRole.staff_id == StaffMember.id)
            .where(StaffMember.id == bindparam("id")))


@functools.cache
def _agency_identity() -> Select[Any]:
    return (select(AgencyUser.display_name, AgencyUser.is_active, AgencyUser.preferred_locale,
                   AgencyUser.agency_id, Agency.is_active.label("agency_is_active"))
            .join(Agency, Agency.id == AgencyUser.agency_id)
            .where(AgencyUser.id == bindparam("id")))


def link_is_usable(link: NewcomerLink, now: datetime) -> bool:
    """A newcomer link works until it expires or is revoked, and never for erased data."""
    return link.revoked_at is None and link.expires_at > now and link.newcomer.erased_at is None
