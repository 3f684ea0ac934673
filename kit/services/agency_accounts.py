"""Agency caseworkers: invitations, passwords and the agency's API keys.

Caseworkers are outsiders: a program admin invites them by email with a signed, expiring link;
they choose a password (stored as a strong salted hash) when they accept. Agencies' systems use
API keys that are shown once, stored hashed, scoped, revocable, with their last use recorded.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from kit.auth.providers import SignInError
from kit.models import Agency, AgencyApiKey, AgencyUser
from kit.models.agencies import API_SCOPES
from kit.models.base import utcnow
from kit.services.audit import Actor, record

INVITATION_SALT = "kit.agency-invitation"
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
KEY_PREFIX = "mk"
#: How precisely an API key's last use is kept: within a minute of the latest call.
LAST_USE_PRECISION = timedelta(minutes=1)


@functools.cache
def _dummy_hash() -> str:
    # No password matches it: an unknown e-mail costs the same time as a known one.
    return generate_password_hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A request about an account was refused; ``code`` is stable, the view translates it."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _invitation_serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=INVITATION_SALT)


def _password_fingerprint(user: AgencyUser) -> str:
    # Part of the signed invitation: once a password is chosen the link stops working.
    return hashlib.sha256((user.password_hash or "none").encode()).hexdigest()[:16]


def invite_agency_user(db: Session, actor: Actor, secret_key: str, *, agency_id: int,
                       email: str, display_name: str, locale: str = "en"
                       ) -> tuple[AgencyUser, str]:
    """Create (or re-invite) a caseworker and return the invitation token; the caller commits.

    Raises :class:`AccountError` ('email_taken') when the address belongs to another agency.
    """
    email = email.strip().lower()
    user = db.scalar(select(AgencyUser).where(func.lower(AgencyUser.email) == email))
    if user is not None and user.agency_id != agency_id:
        raise AccountError("email_taken")
    if user is None:
        user = AgencyUser(agency_id=agency_id, email=email, display_name=display_name.strip(),
                          preferred_locale=locale)
        db.add(user)
    user.invited_at = utcnow()
    user.is_active = True
    db.flush()
    record(db, actor, "agency_user.invited", "agency_user", user.id, {"agency_id": agency_id})
    token = _invitation_serializer(secret_key).dumps(
        {"user": user.id, "fp": _password_fingerprint(user)})
    return user, token


def check_password_policy(password: str, *, email: str) -> None:
    """Refuse weak passwords: too short, too long, one repeated character, or the e-mail."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("password_too_short")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError("password_too_long")
    if len(set(password)) < 4 or email.split("@")[0].lower() in password.lower():
        raise AccountError("password_too_weak")


def open_invitation(db: Session, secret_key: str, token: str, max_age_days: int) -> AgencyUser:
    """The caseworker an invitation token is for; raises AccountError when it is not valid."""
    try:
        payload = _invitation_serializer(secret_key).loads(token, max_age=max_age_days * 86400)
    except SignatureExpired:
        raise AccountError("invitation_expired") from None
    except BadSignature:
        raise AccountError("invitation_invalid") from None
    user = db.get(AgencyUser, payload.get("user")) if isinstance(payload, dict) else None
    if (user is None or not user.is_active or not user.agency.is_active
            or payload.get("fp") != _password_fingerprint(user)):
        raise AccountError("invitation_invalid")
    return user


def accept_invitation(db: Session, secret_key: str, token: str, password: str,
                      max_age_days: int) -> AgencyUser:
    """Set the caseworker's password from a valid invitation; the link then stops working."""
    user = open_invitation(db, secret_key, token, max_age_days)
    check_password_policy(password, email=user.email)
    user.password_hash = generate_password_hash(password)
    record(db, Actor("agency", user.id), "agency_user.password_set", "agency_user", user.id)
    db.commit()
    return user


def authenticate_agency_user(db: Session, email: str, password: str) -> AgencyUser:
    """The active caseworker with this e-mail and password; SignInError otherwise.

    An unknown e-mail and a wrong password give the same answer in the same time.
    """
    if not password or not password.strip():
        raise SignInError("empty_password")
    if len(password) > MAX_PASSWORD_LENGTH or len(email) > 320:
        raise SignInError("invalid_credentials")
    user = db.scalar(
        select(AgencyUser).where(func.lower(AgencyUser.email) == email.strip().lower()))
    stored = user.password_hash if user and user.password_hash else _dummy_hash()
    valid = check_password_hash(stored, password)
    if user is None or not user.password_hash or not valid:
        raise SignInError("invalid_credentials")
    if not user.is_active or not user.agency.is_active:
        raise SignInError("account_disabled")
    user.last_sign_in_at = utcnow()
    return user


@dataclass(frozen=True)
class IssuedKey:
    """A new API key: ``secret`` is shown to the admin once and never stored."""

    key: AgencyApiKey
    secret: str


def _hash_secret(secret: str) -> str:
    # API keys are long random strings, so a fast hash suffices; a slow one would make every
    # API call pay for it.
    return hashlib.sha256(secret.encode()).hexdigest()


def create_api_key(db: Session, actor: Actor, *, agency_id: int, name: str,
                   scopes: Iterable[str]) -> IssuedKey:
    """Issue a key for an agency; the caller commits and shows ``secret`` once."""
    scopes = sorted(set(scopes))
    if not scopes or set(scopes) - set(API_SCOPES):
        raise AccountError("invalid_scopes")
    prefix = secrets.token_hex(4)
    secret = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    key = AgencyApiKey(agency_id=agency_id, name=name.strip(), prefix=prefix,
                       secret_hash=_hash_secret(secret), scopes=scopes,
                       created_by_id=actor.id if actor.kind == "staff" else None)
    db.add(key)
    db.flush()
    record(db, actor, "api_key.created", "api_key", key.id,
           {"agency_id": agency_id, "scopes": scopes})
    return IssuedKey(key, secret)


def verify_api_key(db: Session, presented: str, scope: str) -> AgencyApiKey | None:
    """The active key behind ``presented`` when it carries ``scope``; records its use.

    The use is recorded to the minute (:data:`LAST_USE_PRECISION`): a write on every call
    would make each request of an agency's system wait for the one before it on the key's row.
    """
    parts = presented.split("_") if len(presented) < 200 else []
    if len(parts) < 3 or parts[0] != KEY_PREFIX or len(parts[1]) != 8:
        return None
    found = db.execute(_key_statement(), {"prefix": parts[1]}).first()
    if found is None:
        return None
    key, agency_is_active = found
    if not hmac.compare_digest(key.secret_hash, _hash_secret(presented)):
        return None
    if not key.is_active or scope not in key.scopes or not agency_is_active:
        return None
    now = utcnow()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USE_PRECISION:
        key.last_used_at = now
    return key


@functools.cache
def _key_statement() -> Select[tuple[AgencyApiKey, bool]]:
    # The key and whether its agency is active, in one statement built once: every API call
    # makes it.
    return (select(AgencyApiKey, Agency.is_active)
            .join(Agency, Agency.id == AgencyApiKey.agency_id)
            .where(AgencyApiKey.prefix == bindparam("prefix")))


def revoke_api_key(db: Session, actor: Actor, key_id: int) -> bool:
    """Revoke a key at once; returns False when it did not exist or was already revoked."""
    key = db.get(AgencyApiKey, key_id)
    if key is None or key.revoked_at is not None:
        return False
    key.revoked_at = utcnow()
    record(db, actor, "api_key.revoked", "api_key", key.id, {"agency_id": key.agency_id})
    return True
