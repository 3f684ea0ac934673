"""Newcomers' personal links: sent by e-mail in their language, listed, revoked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kit.auth.newcomer_links import issue_link, revoke_links
from kit.i18n import gettext, template_gettext
from kit.models import Agency, Newcomer, NewcomerLink, Referral
from kit.models.base import utcnow
from kit.services.audit import Actor, record
from kit.services.outbox import enqueue


@dataclass(frozen=True)
class NewcomerRow:
    """A newcomer in the coordinator's list."""

    id: int
    name: str
    email: str
    agency: str | None
    referral_status: str | None
    open_links: int
    last_link_at: datetime | None


#: Columns the newcomers' list can be sorted by (kit.web.sort_order's allow-list).
NEWCOMER_SORTS = ("name", "agency", "referral", "link")


def list_newcomers(db: Session, page: int, page_size: int, *, sort: str = "name",
                   descending: bool = False) -> tuple[list[NewcomerRow], int]:
    """Newcomers with their latest referral and open links; returns (rows, pages).

    By name by default; ``sort`` is one of :data:`NEWCOMER_SORTS`.
    """
    now = utcnow()
    latest = (select(Referral.newcomer_id, func.max(Referral.id).label("referral_id"))
              .group_by(Referral.newcomer_id).subquery())
    links = (select(NewcomerLink.newcomer_id,
                    func.count().filter(NewcomerLink.revoked_at.is_(None),
                                        NewcomerLink.expires_at > now).label("open"),
                    func.max(NewcomerLink.created_at).label("last"))
             .group_by(NewcomerLink.newcomer_id).subquery())
    total = db.scalar(select(func.count()).select_from(Newcomer)
                      .where(Newcomer.erased_at.is_(None))) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(page, 1), pages)
    rows = db.execute(
        select(Newcomer, Agency.name, Referral.status, func.coalesce(links.c.open, 0),
               links.c.last)
        .outerjoin(latest, latest.c.newcomer_id == Newcomer.id)
        .outerjoin(Referral, Referral.id == latest.c.referral_id)
        .outerjoin(Agency, Agency.id == Referral.agency_id)
        .outerjoin(links, links.c.newcomer_id == Newcomer.id)
        .where(Newcomer.erased_at.is_(None))
        # Empty values (no referral, no link) last in either direction, on every database.
        .order_by(*[(column.desc() if descending else column.asc()).nulls_last() for column in {
            "agency": (Agency.name,), "referral": (Referral.status,), "link": (links.c.last,),
        }.get(sort, (Newcomer.given_name, Newcomer.family_name))], Newcomer.id)
        .limit(page_size).offset((page - 1) * page_size)
    ).all()
    return [NewcomerRow(n.id, n.display_name, n.email, agency, status, open_links, last)
            for n, agency, status, open_links, last in rows], pages


def send_newcomer_link(db: Session, actor: Actor, secret_key: str, *, newcomer_id: int,
                       link_url: Callable[[str], str], program_name: Callable[[str], str],
                       max_age_days: int) -> Newcomer | None:
    """Issue a new personal link and queue its e-mail in the newcomer's language; commits.

    Earlier links keep working until they expire or are revoked.
    """
    newcomer = db.get(Newcomer, newcomer_id)
    if newcomer is None or newcomer.erased_at is not None:
        return None
    token = issue_link(db, secret_key, newcomer.id, max_age_days=max_age_days)
    locale = newcomer.preferred_locale
    with force_locale(locale):
        subject = gettext("Your personal link to the mentoring program")
        body = render_template("kit/email/newcomer_link.txt", _=template_gettext,
                               name=newcomer.display_name, url=link_url(token),
                               program=program_name(locale), days=max_age_days)
    enqueue(db, recipient=newcomer.email, subject=subject, body_text=body, locale=locale)
    record(db, actor, "newcomer.link_sent", "newcomer", newcomer.id)
    db.commit()
    return newcomer


def revoke_newcomer_links(db: Session, actor: Actor, newcomer_id: int) -> int:
    """Revoke every open link of a newcomer at once; commits; returns how many."""
    count = revoke_links(db, newcomer_id)
    record(db, actor, "newcomer.links_revoked", "newcomer", newcomer_id, {"count": count})
    db.commit()
    return count
