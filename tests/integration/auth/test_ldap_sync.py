"""What the directory sync reads: one person by id, and the members of the mentors' group."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kit.auth.ldap import LdapProvider
from kit.auth.providers import ProviderUnavailable
from servers.ldap_plugin import GROUPS, PEOPLE

Settings = Callable[..., Any]
MENTORS = f"cn=mentors,{GROUPS}"


def test_lookup_finds_a_person_without_a_password(ldap_settings: Settings) -> None:
    person = LdapProvider(ldap_settings()).lookup("lan.nguyen")
    assert person is not None
    assert person.display_name == "Nguyễn, Thị (Lan)"
    assert person.enabled is True


def test_lookup_reports_disabled_and_missing_people(ldap_settings: Settings) -> None:
    provider = LdapProvider(ldap_settings())
    pat = provider.lookup("pat.kowalski")
    assert pat is not None
    assert pat.enabled is False
    assert provider.lookup("left.last.year") is None
    assert provider.lookup("*") is None


def test_lookup_with_a_dn_template(ldap_settings: Settings) -> None:
    template = f"uid={{username}},{PEOPLE}"
    provider = LdapProvider(ldap_settings(base_dn=None, user_dn_template=template))
    jose = provider.lookup("jose.ramirez")
    assert jose is not None
    assert jose.title == "Director of Planning"
    assert provider.lookup("nobody") is None


def test_members_of_the_mentors_group_include_nested_groups(ldap_settings: Settings) -> None:
    members = list(LdapProvider(ldap_settings()).iter_members(MENTORS))
    # Zoë through the newcomer team; Sam and Kenji are not mentors.
    assert members == ["amira.haddad", "jose.ramirez", "lan.nguyen", "pat.kowalski", "zoe.obrien"]


def test_members_without_nesting(ldap_settings: Settings) -> None:
    members = set(LdapProvider(ldap_settings(nested_groups=False)).iter_members(MENTORS))
    assert "zoe.obrien" not in members
    assert "lan.nguyen" in members


def test_members_of_a_posix_group(ldap_settings: Settings) -> None:
    provider = LdapProvider(ldap_settings(group_object_class="posixGroup"))
    assert list(provider.iter_members(f"cn=city-staff,{GROUPS}")) == ["lan.nguyen", "sam.okafor"]


def test_a_missing_group_stops_the_sync(ldap_settings: Settings) -> None:
    # An empty answer would deactivate every mentor; an error stops the run instead.
    with pytest.raises(ProviderUnavailable) as info:
        list(LdapProvider(ldap_settings()).iter_members(f"cn=mentorz,{GROUPS}"))
    assert info.value.code == "group_not_found"
