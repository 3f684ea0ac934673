"""What a person types is refused before any directory is contacted when it cannot be right.

The provider points at a port where nothing listens: had it tried to connect, the answer
would be ``directory_unavailable`` instead of the refusal asserted here.
"""

from __future__ import annotations

import socket

import pytest

from kit.auth.ldap import LdapProvider, LdapSettings, check_password, clean_username
from kit.auth.providers import ProviderUnavailable, SignInError


@pytest.fixture(scope="module")
def provider() -> LdapProvider:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return LdapProvider(LdapSettings(
        uris=(f"ldap://127.0.0.1:{port}",),
        base_dn="dc=city,dc=example",
        network_timeout=1,
        operation_timeout=1,
        max_username_length=64,
        max_password_length=128,
    ))


def refusal(provider: LdapProvider, username: object, password: object) -> str:
    with pytest.raises(SignInError) as info:
        provider.authenticate(username, password)  # type: ignore[arg-type]
    assert not isinstance(info.value, ProviderUnavailable), "it contacted the directory"
    return info.value.code


@pytest.mark.parametrize("password", ["", " ", "\t\n", "\u3000"])
def test_empty_or_blank_password_is_refused(provider: LdapProvider, password: str) -> None:
    assert refusal(provider, "jose.ramirez", password) == "empty_password"


@pytest.mark.parametrize(
    "username",
    ["", "   ", "jose\x00", "jose\nramirez", "jose\x1b[2J", "x" * 65, "jos\udce9", None,
     b"jose.ramirez"],
)
def test_unusable_user_names_are_refused(provider: LdapProvider, username: object) -> None:
    assert refusal(provider, username, "a-password") == "invalid_username"


@pytest.mark.parametrize("password", ["x" * 129, "p\udcc3\udca4ss", None])
def test_unusable_passwords_are_refused(provider: LdapProvider, password: object) -> None:
    assert refusal(provider, "jose.ramirez", password) == "invalid_password"


def test_user_names_are_trimmed_and_normalised() -> None:
    decomposed = "Jose\u0301"
    assert clean_username(f"  {decomposed}\t", 256) == "Jos\u00e9"
    assert clean_username("Nguyễn, Thị (Lan)", 256) == "Nguyễn, Thị (Lan)"


def test_passwords_are_kept_exactly() -> None:
    assert check_password(" pässwörd-日本 ", 1024) == " pässwörd-日本 "


def test_a_good_name_reaches_the_directory(provider: LdapProvider) -> None:
    with pytest.raises(ProviderUnavailable) as info:
        provider.authenticate("jose.ramirez", "jose-secret-1")
    assert info.value.code == "directory_unavailable"
