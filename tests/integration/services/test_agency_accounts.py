"""Agency caseworkers: invitation links, passwords, API keys."""

from __future__ import annotations

import pytest

from kit.auth.providers import SignInError
from kit.models import AuditEvent
from kit.services.agency_accounts import (
    AccountError,
    accept_invitation,
    authenticate_agency_user,
    create_api_key,
    invite_agency_user,
    open_invitation,
    revoke_api_key,
    verify_api_key,
)
from kit.services.audit import Actor

SECRET = "test-secret-key"
ADMIN = Actor("staff", None)


@pytest.fixture
def invited(db, factory):
    agency = factory.agency("Harbourview")
    user, token = invite_agency_user(db, ADMIN, SECRET, agency_id=agency.id,
                                     email="Ana.Souza@Harbourview.example",
                                     display_name="Ana Souza")
    db.commit()
    return user, token


def test_an_invitation_sets_a_password_once(db, invited) -> None:
    user, token = invited
    assert user.email == "ana.souza@harbourview.example"
    assert user.password_hash is None
    accept_invitation(db, SECRET, token, "correct horse battery staple", max_age_days=7)
    assert user.password_hash and "correct horse" not in user.password_hash
    with pytest.raises(AccountError, match="invitation_invalid"):
        open_invitation(db, SECRET, token, max_age_days=7)


def test_a_forged_or_expired_invitation_is_refused(db, invited) -> None:
    _user, token = invited
    with pytest.raises(AccountError, match="invitation_invalid"):
        open_invitation(db, SECRET, token[:-2] + "xx", max_age_days=7)
    with pytest.raises(AccountError, match="invitation_invalid"):
        open_invitation(db, "another-secret", token, max_age_days=7)
    with pytest.raises(AccountError, match="invitation_expired"):
        open_invitation(db, SECRET, token, max_age_days=-1)


@pytest.mark.parametrize(("password", "code"), [
    ("short", "password_too_short"),
    ("a" * 1025, "password_too_long"),
    ("aaaaaaaaaaaaaaaa", "password_too_weak"),
    ("ana.souza-2027!!", "password_too_weak"),
])
def test_weak_passwords_are_refused(db, invited, password: str, code: str) -> None:
    _user, token = invited
    with pytest.raises(AccountError, match=code):
        accept_invitation(db, SECRET, token, password, max_age_days=7)


def test_sign_in_with_email_and_password(db, invited) -> None:
    user, token = invited
    accept_invitation(db, SECRET, token, "pässwörd-日本-long", max_age_days=7)
    signed_in = authenticate_agency_user(db, " ANA.SOUZA@harbourview.example", "pässwörd-日本-long")
    assert signed_in is user
    for email, password, code in [
        ("ana.souza@harbourview.example", "wrong password!", "invalid_credentials"),
        ("nobody@harbourview.example", "pässwörd-日本-long", "invalid_credentials"),
        ("ana.souza@harbourview.example", "   ", "empty_password"),
        ("ana.souza@harbourview.example", "", "empty_password"),
    ]:
        with pytest.raises(SignInError, match=code):
            authenticate_agency_user(db, email, password)
    user.agency.is_active = False
    with pytest.raises(SignInError, match="account_disabled"):
        authenticate_agency_user(db, user.email, "pässwörd-日本-long")


def test_an_email_of_another_agency_cannot_be_invited(db, factory, invited) -> None:
    other = factory.agency("Pacific Bridges")
    with pytest.raises(AccountError, match="email_taken"):
        invite_agency_user(db, ADMIN, SECRET, agency_id=other.id,
                           email="ana.souza@harbourview.example", display_name="Ana")


def test_api_keys_are_hashed_scoped_and_revocable(db, factory) -> None:
    agency = factory.agency()
    issued = create_api_key(db, ADMIN, agency_id=agency.id, name="Case system",
                            scopes=["referrals:read"])
    db.commit()
    assert issued.secret.startswith(f"mk_{issued.key.prefix}_")
    assert issued.secret not in issued.key.secret_hash
    assert verify_api_key(db, issued.secret, "referrals:read") == issued.key
    assert issued.key.last_used_at is not None
    assert verify_api_key(db, issued.secret, "referrals:write") is None
    assert verify_api_key(db, issued.secret + "x", "referrals:read") is None
    assert verify_api_key(db, "mk_nothing", "referrals:read") is None
    assert verify_api_key(db, "x" * 5000, "referrals:read") is None
    assert revoke_api_key(db, ADMIN, issued.key.id)
    assert verify_api_key(db, issued.secret, "referrals:read") is None
    assert not revoke_api_key(db, ADMIN, issued.key.id)
    actions = {e.action for e in db.query(AuditEvent)}
    assert {"api_key.created", "api_key.revoked"} <= actions


def test_unknown_scopes_are_refused(db, factory) -> None:
    with pytest.raises(AccountError, match="invalid_scopes"):
        create_api_key(db, ADMIN, agency_id=factory.agency().id, name="x", scopes=["admin"])
