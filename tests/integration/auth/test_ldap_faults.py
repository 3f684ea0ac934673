"""The directory is slow, down or not what it claims to be: refuse fast, never fall back."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from kit.auth.ldap import LdapProvider, LdapSettings
from kit.auth.providers import ProviderUnavailable
from servers.ldap_plugin import PASSWORDS, PEOPLE, READER_DN, READER_PASSWORD
from servers.slapd import SUFFIX, SilentServer, SlapdServer, free_port

Settings = Callable[..., Any]
JOSE = ("jose.ramirez", PASSWORDS["jose.ramirez"])


def settings_for(uri: str, **overrides: Any) -> LdapSettings:
    """Search-then-bind settings for ``uri`` with 1 s timeouts."""
    values: dict[str, Any] = {
        "uris": (uri,),
        "bind_dn": READER_DN,
        "bind_password": READER_PASSWORD,
        "base_dn": SUFFIX,
        "network_timeout": 1,
        "operation_timeout": 1,
    }
    values.update(overrides)
    return LdapSettings(**values)


def unavailable(provider: LdapProvider, limit: float) -> ProviderUnavailable:
    """Sign in as José; assert the refusal is ``directory_unavailable`` within ``limit`` s."""
    started = time.monotonic()
    with pytest.raises(ProviderUnavailable) as info:
        provider.authenticate(*JOSE)
    elapsed = time.monotonic() - started
    assert info.value.code == "directory_unavailable"
    assert elapsed < limit, f"took {elapsed:.2f}s"
    return info.value


# -- TLS --------------------------------------------------------------------------------


def test_start_tls_with_the_right_ca(ldap_settings: Settings, slapd_server: SlapdServer) -> None:
    provider = LdapProvider(ldap_settings(start_tls=True, ca_file=slapd_server.ca_file))
    assert provider.authenticate(*JOSE).directory_id == "jose.ramirez"


def test_ldaps_with_the_right_ca(ldap_settings: Settings, slapd_server: SlapdServer) -> None:
    provider = LdapProvider(ldap_settings(
        uris=(slapd_server.ldaps_uri,), ca_file=slapd_server.ca_file
    ))
    assert provider.authenticate(*JOSE).directory_id == "jose.ramirez"


@pytest.mark.parametrize("tls", ["start_tls", "ldaps"])
def test_a_certificate_from_another_ca_is_refused(
    ldap_settings: Settings, slapd_server: SlapdServer, tls: str
) -> None:
    options: dict[str, Any] = {"ca_file": slapd_server.other_ca_file}
    if tls == "start_tls":
        options["start_tls"] = True
    else:
        options["uris"] = (slapd_server.ldaps_uri,)
    unavailable(LdapProvider(ldap_settings(**options)), limit=5)


def test_start_tls_against_a_server_without_tls_fails_closed(
    throwaway_slapd: SlapdServer,
) -> None:
    provider = LdapProvider(settings_for(throwaway_slapd.uri, start_tls=True))
    error = unavailable(provider, limit=5)
    assert "StartTLS" in error.detail
    # The same settings without StartTLS work: only the missing TLS stopped the sign-in.
    assert LdapProvider(settings_for(throwaway_slapd.uri)).authenticate(*JOSE)


# -- down, back, silent -------------------------------------------------------------------


def test_directory_down_then_back(throwaway_slapd: SlapdServer) -> None:
    provider = LdapProvider(settings_for(throwaway_slapd.uri))
    assert provider.authenticate(*JOSE).directory_id == "jose.ramirez"
    throwaway_slapd.halt()
    unavailable(provider, limit=1)
    throwaway_slapd.start()
    assert provider.authenticate(*JOSE).directory_id == "jose.ramirez"


def test_nothing_listening_is_unavailable_at_once() -> None:
    provider = LdapProvider(settings_for(f"ldap://127.0.0.1:{free_port()}"))
    unavailable(provider, limit=1)


def test_a_second_address_is_tried_when_the_first_is_down(throwaway_slapd: SlapdServer) -> None:
    dead = f"ldap://127.0.0.1:{free_port()}"
    provider = LdapProvider(settings_for(dead, uris=(dead, throwaway_slapd.uri)))
    assert provider.authenticate(*JOSE).directory_id == "jose.ramirez"


@pytest.mark.parametrize("mode", ["search", "direct", "start_tls"])
def test_a_silent_server_times_out(silent_ldap_server: SilentServer, mode: str) -> None:
    # The TCP connect succeeds; only OPT_TIMEOUT stops the bind from waiting forever.
    options: dict[str, Any] = {}
    if mode == "direct":
        options = {"bind_dn": None, "bind_password": None, "base_dn": None,
                   "user_dn_template": f"uid={{username}},{PEOPLE}"}
    elif mode == "start_tls":
        options = {"start_tls": True}
    provider = LdapProvider(settings_for(silent_ldap_server.uri, **options))
    unavailable(provider, limit=2)  # the 1 s operation timeout, plus 1 s of slack


def test_sync_reads_fail_the_same_way(silent_ldap_server: SilentServer) -> None:
    provider = LdapProvider(settings_for(silent_ldap_server.uri))
    with pytest.raises(ProviderUnavailable):
        provider.lookup("jose.ramirez")
    with pytest.raises(ProviderUnavailable):
        list(provider.iter_members(f"cn=mentors,ou=groups,{SUFFIX}"))


def test_a_refused_service_account_is_an_outage_not_a_wrong_password(
    throwaway_slapd: SlapdServer,
) -> None:
    provider = LdapProvider(settings_for(throwaway_slapd.uri, bind_password="expired"))
    assert "service account" in unavailable(provider, limit=2).detail
