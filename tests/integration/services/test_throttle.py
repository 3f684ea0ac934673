"""Failed sign-ins lock an account, then an address, for a while; success clears the account."""

from __future__ import annotations

from datetime import timedelta

from kit.models.base import utcnow
from kit.services.throttle import (
    ThrottleRules,
    account_key,
    purge_attempts,
    record_attempt,
    retry_after,
)

RULES = ThrottleRules(per_account=3, per_address=5, window=timedelta(minutes=15))


def fail(db, key: str, address: str, times: int, at=None) -> None:
    for _ in range(times):
        record_attempt(db, key, address, succeeded=False, now=at)
    db.commit()


def test_an_account_is_locked_after_too_many_failures(db) -> None:
    key = account_key("ldap", "Zoe.OBrien")
    now = utcnow()
    fail(db, key, "127.0.0.10", 2, at=now - timedelta(minutes=1))
    assert retry_after(db, key, "127.0.0.10", RULES, now) == 0
    fail(db, key, "127.0.0.11", 1, at=now)
    wait = retry_after(db, key, "127.0.0.12", RULES, now)
    assert 13 * 60 < wait <= 14 * 60 + 1
    assert retry_after(db, key, "127.0.0.12", RULES, now + timedelta(minutes=15)) == 0


def test_the_account_key_ignores_case_and_spaces_but_not_the_provider() -> None:
    assert account_key("ldap", " zoe ") == account_key("ldap", "ZOE")
    assert account_key("ldap", "zoe") != account_key("oidc", "zoe")
    assert len(account_key("ldap", "\udcff")) == 64


def test_an_address_trying_many_accounts_is_locked(db) -> None:
    now = utcnow()
    for number in range(5):
        fail(db, account_key("ldap", f"user{number}"), "127.0.0.20", 1, at=now)
    assert retry_after(db, account_key("ldap", "someone-else"), "127.0.0.20", RULES, now) > 0
    assert retry_after(db, account_key("ldap", "someone-else"), "127.0.0.21", RULES, now) == 0


def test_a_success_clears_the_accounts_failures(db) -> None:
    key = account_key("ldap", "amara")
    fail(db, key, "127.0.0.30", 2)
    record_attempt(db, key, "127.0.0.30", succeeded=True)
    db.commit()
    fail(db, key, "127.0.0.30", 2)
    assert retry_after(db, key, "127.0.0.30", RULES) == 0


def test_old_attempts_are_purged(db) -> None:
    key = account_key("ldap", "old")
    fail(db, key, "127.0.0.40", 2, at=utcnow() - timedelta(hours=2))
    fail(db, key, "127.0.0.40", 1)
    assert purge_attempts(db, RULES) == 2
