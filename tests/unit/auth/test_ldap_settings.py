"""LDAP settings: defaults in one place, and a clear refusal naming each bad value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kit.auth.ldap_settings import DEFAULT_USER_FILTER, LdapSettings

BASE = {"uri": "ldaps://ldap.city.example", "base_dn": "dc=city,dc=example"}


def settings(**values: Any) -> LdapSettings:
    return LdapSettings.from_mapping({**BASE, **values})


def test_defaults_are_safe() -> None:
    s = settings()
    assert s.uris == ("ldaps://ldap.city.example",)
    assert s.verify_certificates is True
    assert s.network_timeout == 5.0
    assert s.operation_timeout == 5.0
    assert s.user_filter == DEFAULT_USER_FILTER
    assert s.uid_attribute == "uid"
    assert s.group_mode == "memberof"
    assert s.max_username_length == 256
    assert s.max_password_length == 1024
    assert s.uses_tls


def test_strings_from_the_environment_are_converted() -> None:
    s = settings(
        uri="ldap://a.example ldap://b.example",
        start_tls="true",
        verify_certificates="yes",
        operation_timeout="2.5",
        max_group_depth="3",
        name_attributes="displayName, cn",
        disabled_attribute="",
    )
    assert s.uris == ("ldap://a.example", "ldap://b.example")
    assert s.start_tls is True
    assert s.operation_timeout == 2.5
    assert s.max_group_depth == 3
    assert s.name_attributes == ("displayName", "cn")
    assert s.disabled_attribute is None


def test_the_service_password_is_not_shown_in_logs() -> None:
    s = settings(bind_dn="cn=reader,dc=city,dc=example", bind_password="hunter2")
    assert "hunter2" not in repr(s)


def test_active_directory_settings_are_accepted() -> None:
    s = settings(
        uid_attribute="sAMAccountName",
        user_filter="(&(objectCategory=person)(sAMAccountName={username}))",
        department_attribute="department",
        disabled_attribute="userAccountControl",
    )
    assert s.uid_attribute == "sAMAccountName"


def test_posix_groups_list_user_ids_not_dns() -> None:
    s = settings(group_mode="search", group_base_dn="ou=groups,dc=city,dc=example",
                 group_object_class="posixGroup")
    assert s.member_attribute == "memberUid"
    assert s.member_is_dn is False
    assert settings(group_object_class="groupOfUniqueNames").member_attribute == "uniqueMember"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"uri": "http://ldap.city.example"}, "uris"),
        ({"uri": "ldap://"}, "uris"),
        ({"uri": ""}, "uris"),
        ({"uri": "ldaps://x.example", "start_tls": True}, "start_tls"),
        ({"start_tls": "maybe"}, "start_tls"),
        ({"ca_file": "/nonexistent/ca.pem"}, "ca_file"),
        ({"bind_dn": "cn=reader,dc=city,dc=example"}, "bind_password"),
        ({"bind_dn": "cn=reader,dc=city,dc=example", "bind_password": "  "}, "bind_password"),
        ({"bind_dn": "reader"}, "bind_dn"),
        ({"base_dn": ""}, "base_dn"),
        ({"user_dn_template": "uid=someone,dc=city,dc=example"}, "user_dn_template"),
        ({"user_filter": "(uid=*)"}, "user_filter"),
        ({"user_filter": "(&(uid={username})"}, "user_filter"),
        ({"user_filter": "uid={username}"}, "user_filter"),
        ({"search_scope": "base"}, "search_scope"),
        ({"uid_attribute": "uid)(cn=*"}, "uid_attribute"),
        ({"email_attribute": ""}, "email_attribute"),
        ({"name_attributes": ""}, "name_attributes"),
        ({"group_mode": "magic"}, "group_mode"),
        ({"group_mode": "search"}, "group_base_dn"),
        ({"group_object_class": "team"}, "group_object_class"),
        ({"max_group_depth": 0}, "max_group_depth"),
        ({"max_group_depth": 50}, "max_group_depth"),
        ({"disabled_values": "disabled"}, "disabled_values"),
        ({"network_timeout": 0}, "network_timeout"),
        ({"operation_timeout": "soon"}, "operation_timeout"),
        ({"operation_timeout": 3600}, "operation_timeout"),
        ({"max_username_length": 0}, "max_username_length"),
        ({"max_password_length": 2.5}, "max_password_length"),
        ({"bind_pasword": "typo"}, "bind_pasword"),
    ],
)
def test_bad_values_are_refused_naming_the_setting(values: dict[str, Any], field: str) -> None:
    with pytest.raises(ValueError, match=rf"^{field}:"):
        settings(**values)


def test_an_address_is_required() -> None:
    with pytest.raises(ValueError, match=r"^uris:"):
        LdapSettings.from_mapping({"base_dn": "dc=city,dc=example"})


def test_direct_bind_needs_no_search_base(tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("not checked here")
    s = LdapSettings.from_mapping({
        "uri": "ldap://ldap.city.example",
        "start_tls": True,
        "ca_file": str(ca),
        "user_dn_template": "uid={username},ou=people,dc=city,dc=example",
    })
    assert s.base_dn is None
    assert s.ca_file == str(ca)
