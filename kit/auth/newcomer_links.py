"""Signed, expiring, revocable links: a newcomer's only way in (no account, no password)."""

from __future__ import annotations

from datetime import timedelta

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from kit.auth.identity import link_is_usable
from kit.models import NewcomerLink
from kit.models.base import utcnow

SALT = "kit.newcomer-link"


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=SALT)


def issue_link(db: Session, secret_key: str, newcomer_id: int, *, purpose: str = "portal",
               max_age_days: int) -> str:
    """Create a link for one newcomer and return its token; the caller commits."""
    now = utcnow()
    link = NewcomerLink(newcomer_id=newcomer_id, purpose=purpose, created_at=now,
                        expires_at=now + timedelta(days=max_age_days))
    db.add(link)
    db.flush()
    return _serializer(secret_key).dumps({"link": link.id, "purpose": purpose})


def open_link(db: Session, secret_key: str, token: str, *, purpose: str = "portal"
              ) -> NewcomerLink | None:
    """The link behind ``token`` when it is genuine, unexpired, unrevoked and for ``purpose``.

    Expiry and revocation live in the database (not in the signature) so that a coordinator
    can revoke a link and a leaked link stops working at once.
    """
    try:
        payload = _serializer(secret_key).loads(token)
    except BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("purpose") != purpose:
        return None
    link_id = payload.get("link")
    link = db.get(NewcomerLink, link_id) if isinstance(link_id, int) else None
    now = utcnow()
    if link is None or link.purpose != purpose or not link_is_usable(link, now):
        return None
    link.last_used_at = now
    return link


def revoke_links(db: Session, newcomer_id: int) -> int:
    """Revoke every open link of a newcomer; returns how many were revoked."""
    now = utcnow()
    links = db.query(NewcomerLink).filter(
        NewcomerLink.newcomer_id == newcomer_id, NewcomerLink.revoked_at.is_(None)
    ).all()
    for link in links:
        link.revoked_at = now
    return len(links)
