"""Staff sign-in against a real OpenLDAP slapd loaded with the city's directory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ldap
import pytest

from kit.auth.ldap import AccountDisabled, LdapProvider, normalize_dn
from kit.auth.providers import ProviderUnavailable, SignInError
from servers.ldap_plugin import GROUPS, PASSWORDS, PEOPLE
from servers.slapd import SlapdServer

Settings = Callable[..., Any]
MENTORS = f"cn=mentors,{GROUPS}"
TEAM = f"cn=mentors-newcomer-team,{GROUPS}"
COORDINATORS = f"cn=coordinators,{GROUPS}"


@pytest.fixture
def provider(ldap_settings: Settings) -> LdapProvider:
    """Search-then-bind with the service account, groups from memberOf."""
    return LdapProvider(ldap_settings())


@pytest.fixture
def direct(ldap_settings: Settings) -> LdapProvider:
    """Direct bind as ``uid={username},ou=people,...``; no service account."""
    return LdapProvider(ldap_settings(
        bind_dn=None, bind_password=None, base_dn=None,
        user_dn_template=f"uid={{username}},{PEOPLE}",
    ))


def refusal(provider: LdapProvider, username: str, password: str) -> SignInError:
    with pytest.raises(SignInError) as info:
        provider.authenticate(username, password)
    assert not isinstance(info.value, ProviderUnavailable), info.value
    return info.value


# -- signing in -----------------------------------------------------------------------


def test_search_then_bind_maps_every_attribute(provider: LdapProvider) -> None:
    person = provider.authenticate("lan.nguyen", PASSWORDS["lan.nguyen"])
    assert person.directory_id == "lan.nguyen"
    assert person.display_name == "Nguyễn, Thị (Lan)"
    assert person.email == "lan.nguyen@city.example"
    assert person.department == "Public Works"
    assert person.title == "Senior Civil Engineer"
    assert person.work_location == "Montréal"
    assert person.employee_number == "10042"
    assert person.preferred_locale == "fr_CA"
    assert person.manager_directory_id == "jose.ramirez"
    assert person.enabled is True


def test_direct_bind_signs_in(direct: LdapProvider) -> None:
    person = direct.authenticate("jose.ramirez", PASSWORDS["jose.ramirez"])
    assert person.directory_id == "jose.ramirez"
    assert person.display_name == "José Ramírez-García"
    # "es-MX, en;q=0.8": the first language of the list.
    assert person.preferred_locale == "es_MX"
    assert normalize_dn(MENTORS) in person.groups


def test_a_utf8_password_signs_in(provider: LdapProvider) -> None:
    assert provider.authenticate("lan.nguyen", "pässwörd-日本").directory_id == "lan.nguyen"


def test_display_name_falls_back_to_cn(provider: LdapProvider) -> None:
    person = provider.authenticate("zoe.obrien", PASSWORDS["zoe.obrien"])
    assert person.display_name == "Zoë O'Brien"


@pytest.mark.parametrize("typed", ["LAN.NGUYEN", "  Lan.Nguyen  "])
def test_identity_comes_from_the_entry_not_the_typing(provider: LdapProvider, typed: str) -> None:
    assert provider.authenticate(typed, PASSWORDS["lan.nguyen"]).directory_id == "lan.nguyen"


def test_identity_comes_from_the_entry_with_direct_bind(direct: LdapProvider) -> None:
    person = direct.authenticate("JOSE.Ramirez", PASSWORDS["jose.ramirez"])
    assert person.directory_id == "jose.ramirez"


def test_a_disabled_account_is_refused_after_the_password_is_checked(
    provider: LdapProvider,
) -> None:
    error = refusal(provider, "pat.kowalski", PASSWORDS["pat.kowalski"])
    assert isinstance(error, AccountDisabled)
    assert error.person.directory_id == "pat.kowalski"
    assert error.person.enabled is False
    # A wrong password says nothing about the account's state.
    assert refusal(provider, "pat.kowalski", "guess").code == "invalid_credentials"


def test_active_directory_disabled_bit_is_read(ldap_settings: Settings) -> None:
    provider = LdapProvider(ldap_settings(disabled_attribute="userAccountControl",
                                          disabled_values=()))
    # 66050 has bit 2 (ACCOUNTDISABLE) set; 66048 and 512 do not.
    assert refusal(provider, "pat.kowalski", PASSWORDS["pat.kowalski"]).code == "account_disabled"
    assert provider.authenticate("jose.ramirez", PASSWORDS["jose.ramirez"]).enabled
    assert provider.authenticate("kenji.sato", PASSWORDS["kenji.sato"]).enabled


def test_active_directory_style_names_sign_in(ldap_settings: Settings) -> None:
    provider = LdapProvider(ldap_settings(
        uid_attribute="sAMAccountName",
        user_filter="(&(objectClass=adAccount)"
                    "(|(sAMAccountName={username})(userPrincipalName={username})))",
    ))
    # The filter itself accepts user@domain; the identity is still the account name.
    by_principal = provider.authenticate("Kenji.Sato@city.example", PASSWORDS["kenji.sato"])
    assert by_principal.directory_id == "ksato"
    assert provider.authenticate("KSATO", PASSWORDS["kenji.sato"]).directory_id == "ksato"
    assert refusal(provider, "*@city.example", PASSWORDS["kenji.sato"]).code == (
        "invalid_credentials"
    )


# -- groups ---------------------------------------------------------------------------------


def test_groups_from_member_of_include_nested_groups(provider: LdapProvider) -> None:
    zoe = provider.authenticate("zoe.obrien", PASSWORDS["zoe.obrien"])
    # Zoë is in the team only; the team is in the mentors group.
    assert zoe.groups == {normalize_dn(TEAM), normalize_dn(MENTORS)}


def test_nesting_can_be_switched_off(ldap_settings: Settings) -> None:
    provider = LdapProvider(ldap_settings(nested_groups=False))
    zoe = provider.authenticate("zoe.obrien", PASSWORDS["zoe.obrien"])
    assert zoe.groups == {normalize_dn(TEAM)}


def test_coordinators_and_outsiders(provider: LdapProvider) -> None:
    amira = provider.authenticate("amira.haddad", PASSWORDS["amira.haddad"])
    assert amira.groups == {normalize_dn(MENTORS), normalize_dn(COORDINATORS)}
    sam = provider.authenticate("sam.okafor", PASSWORDS["sam.okafor"])
    assert sam.groups == frozenset()


def test_group_search_of_group_of_names_includes_nested(ldap_settings: Settings) -> None:
    provider = LdapProvider(ldap_settings(group_mode="search"))
    zoe = provider.authenticate("zoe.obrien", PASSWORDS["zoe.obrien"])
    assert zoe.groups == {normalize_dn(TEAM), normalize_dn(MENTORS)}


def test_group_search_of_unique_names_matches_a_dn_with_a_comma(ldap_settings: Settings) -> None:
    provider = LdapProvider(ldap_settings(
        group_mode="search", group_object_class="groupOfUniqueNames"
    ))
    lan = provider.authenticate("lan.nguyen", PASSWORDS["lan.nguyen"])
    assert lan.groups == {normalize_dn(f"cn=reviewers,{GROUPS}")}


def test_group_search_of_posix_groups_uses_the_user_id(ldap_settings: Settings) -> None:
    provider = LdapProvider(ldap_settings(group_mode="search", group_object_class="posixGroup"))
    sam = provider.authenticate("sam.okafor", PASSWORDS["sam.okafor"])
    assert sam.groups == {normalize_dn(f"cn=city-staff,{GROUPS}")}


def test_group_dns_are_normalised() -> None:
    assert normalize_dn("CN=Mentors, OU=Groups,DC=City,DC=Example") == (
        "cn=mentors,ou=groups,dc=city,dc=example"
    )
    assert normalize_dn(r"cn=Nguyễn\2C Thị (Lan),ou=people") == r"cn=nguyễn\, thị (lan),ou=people"


# -- bad input against the real server -------------------------------------------------


@pytest.mark.parametrize("password", ["", "   "])
def test_empty_password_is_refused_where_the_server_would_accept_it(
    slapd_server: SlapdServer, provider: LdapProvider, direct: LdapProvider, password: str
) -> None:
    # The server itself lets a DN with an empty password in, as anonymous.
    raw = ldap.initialize(slapd_server.uri)
    try:
        raw.simple_bind_s(f"uid=jose.ramirez,{PEOPLE}", "")
        assert raw.whoami_s() == ""
    finally:
        raw.unbind_s()
    assert refusal(provider, "jose.ramirez", password).code == "empty_password"
    assert refusal(direct, "jose.ramirez", password).code == "empty_password"


@pytest.mark.parametrize(
    "typed",
    ["*", "jose*", "*)(uid=*", "jose.ramirez)(|(uid=*", "(uid=*)", "\\2a", "\\", "*\\00"],
)
def test_filter_metacharacters_match_nobody(provider: LdapProvider, typed: str) -> None:
    # Unescaped, "*" would match everyone (ambiguous_user) and "jose*" would find José.
    assert refusal(provider, typed, PASSWORDS["jose.ramirez"]).code == "invalid_credentials"


@pytest.mark.parametrize(
    "typed",
    [f"uid=jose.ramirez,{PEOPLE}", "jose.ramirez@city.example", "CITY\\jose.ramirez"],
)
def test_a_dn_or_address_typed_as_user_name_finds_nobody(
    provider: LdapProvider, direct: LdapProvider, typed: str
) -> None:
    assert refusal(provider, typed, PASSWORDS["jose.ramirez"]).code == "invalid_credentials"
    assert refusal(direct, typed, PASSWORDS["jose.ramirez"]).code == "invalid_credentials"


def test_control_characters_and_overlong_names_are_refused(provider: LdapProvider) -> None:
    assert refusal(provider, "jose.ramirez\x00", "x").code == "invalid_username"
    assert refusal(provider, "j" * 257, "x").code == "invalid_username"
    assert refusal(provider, "jos\udce9", "x").code == "invalid_username"
    assert refusal(provider, "jose.ramirez", "x" * 1025).code == "invalid_password"


def test_unknown_user_and_wrong_password_look_the_same(
    provider: LdapProvider, direct: LdapProvider
) -> None:
    answers = {
        (type(error), error.code, error.detail, str(error))
        for error in (
            refusal(provider, "nobody", "some-password"),
            refusal(provider, "jose.ramirez", "wrong-password"),
            refusal(direct, "nobody", "some-password"),
            refusal(direct, "jose.ramirez", "wrong-password"),
            refusal(provider, "lan.nguyen", "passwörd-日本"),
        )
    }
    assert len(answers) == 1
    assert answers.pop()[1] == "invalid_credentials"


def test_two_entries_with_one_name_are_ambiguous(provider: LdapProvider) -> None:
    assert refusal(provider, "alex", "alex-secret-1").code == "ambiguous_user"


def test_a_one_level_search_sees_one_of_them(ldap_settings: Settings) -> None:
    provider = LdapProvider(ldap_settings(base_dn=PEOPLE, search_scope="onelevel"))
    assert provider.authenticate("alex", "alex-secret-1").email == "alex.martin@city.example"
    assert refusal(provider, "alex", "alex-secret-2").code == "invalid_credentials"
