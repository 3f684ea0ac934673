"""Agencies as the program admin manages them: the list, one agency, invitations by e-mail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kit.i18n import gettext, template_gettext
from kit.models import Agency, AgencyApiKey, AgencyUser, Referral
from kit.services.agency_accounts import AccountError, invite_agency_user
from kit.services.audit import Actor, record
from kit.services.outbox import enqueue


@dataclass(frozen=True)
class AgencyRow:
    """An agency in the admin's list, with its numbers."""

    id: int
    name: str
    region: str | None
    is_active: bool
    caseworkers: int
    active_keys: int
    referrals: int


#: Columns the agencies' list can be sorted by (kit.web.sort_order's allow-list).
AGENCY_SORTS = ("name", "region", "caseworkers", "keys", "referrals")


def list_agencies(db: Session, *, sort: str = "name",
                  descending: bool = False) -> list[AgencyRow]:
    """Every agency with its caseworker, key and referral counts (three grouped subqueries).

    By name by default; ``sort`` is one of :data:`AGENCY_SORTS`.
    """
    users = (select(AgencyUser.agency_id, func.count().label("n"))
             .group_by(AgencyUser.agency_id).subquery())
    keys = (select(AgencyApiKey.agency_id, func.count().label("n"))
            .where(AgencyApiKey.revoked_at.is_(None)).group_by(AgencyApiKey.agency_id).subquery())
    referrals = (select(Referral.agency_id, func.count().label("n"))
                 .group_by(Referral.agency_id).subquery())
    counts = {"caseworkers": func.coalesce(users.c.n, 0), "keys": func.coalesce(keys.c.n, 0),
              "referrals": func.coalesce(referrals.c.n, 0)}
    column = counts.get(sort, Agency.region if sort == "region" else Agency.name)
    rows = db.execute(
        select(Agency, counts["caseworkers"], counts["keys"], counts["referrals"])
        .outerjoin(users, users.c.agency_id == Agency.id)
        .outerjoin(keys, keys.c.agency_id == Agency.id)
        .outerjoin(referrals, referrals.c.agency_id == Agency.id)
        # Empty values last in either direction, on SQLite as on PostgreSQL.
        .order_by((column.desc() if descending else column.asc()).nulls_last(), Agency.name,
                  Agency.id)
    ).all()
    return [AgencyRow(a.id, a.name, a.region, a.is_active, u, k, r) for a, u, k, r in rows]


def create_agency(db: Session, actor: Actor, *, name: str, email: str | None,
                  region: str | None) -> Agency:
    """Add an agency allowed to refer newcomers; commits. AccountError('agency_exists')."""
    agency = Agency(name=name.strip(), email=(email or "").strip() or None,
                    region=(region or "").strip() or None)
    db.add(agency)
    try:
        db.flush()
    except IntegrityError:
        db.rollback()
        raise AccountError("agency_exists") from None
    record(db, actor, "agency.created", "agency", agency.id, {"name": agency.name})
    db.commit()
    return agency


def agency_detail(db: Session, agency_id: int) -> tuple[Agency, list[AgencyUser],
                                                        list[AgencyApiKey]] | None:
    """An agency with its caseworkers and keys, or None."""
    agency = db.get(Agency, agency_id)
    if agency is None:
        return None
    users = db.scalars(select(AgencyUser).where(AgencyUser.agency_id == agency_id)
                       .order_by(AgencyUser.display_name)).all()
    keys = db.scalars(select(AgencyApiKey).where(AgencyApiKey.agency_id == agency_id)
                      .order_by(AgencyApiKey.created_at.desc())).all()
    return agency, list(users), list(keys)


def send_invitation(db: Session, actor: Actor, secret_key: str, *, agency_id: int, email: str,
                    display_name: str, locale: str, accept_url: Callable[[str], str],
                    program_name: str, valid_days: int) -> AgencyUser:
    """Invite a caseworker and queue the e-mail in the same transaction; commits.

    ``accept_url`` turns the token into the invitation's absolute URL. The e-mail is written in
    the caseworker's language.
    """
    user, token = invite_agency_user(db, actor, secret_key, agency_id=agency_id, email=email,
                                     display_name=display_name, locale=locale)
    with force_locale(locale):
        subject = gettext("Your invitation to refer newcomers to the mentoring program")
        body = render_template("kit/email/agency_invitation.txt", _=template_gettext,
                               user=user, url=accept_url(token), program=program_name,
                               days=valid_days)
    enqueue(db, recipient=user.email, subject=subject, body_text=body, locale=locale)
    db.commit()
    return user
