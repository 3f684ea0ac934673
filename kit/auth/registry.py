"""The sign-in providers an employer configured, built once per app from ``KIT_AUTH_PROVIDERS``.

Each entry is a mapping with a ``type`` ('ldap', 'oidc' or 'proxy'), a ``name`` (letters,
digits and dashes: it appears in URLs) and a ``title`` shown to staff (a string, or a mapping
of locale to string); the rest are the provider's own settings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kit.config import ConfigError

PROVIDER_TYPES = ("ldap", "oidc", "proxy")
NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


@dataclass(frozen=True)
class ProviderEntry:
    """One configured provider: how staff see it and the object that does the work."""

    name: str
    type: str
    titles: Mapping[str, str]
    provider: Any

    def title(self, locale: str) -> str:
        """The provider's label in ``locale``, else in English, else its name."""
        return self.titles.get(locale) or self.titles.get("en") or self.name


def _titles(key: str, value: Any, name: str) -> dict[str, str]:
    if value is None:
        return {"en": name}
    if isinstance(value, str):
        return {"en": value, "fr": value}
    if isinstance(value, Mapping) and all(isinstance(v, str) for v in value.values()):
        return dict(value)
    raise ConfigError(f"{key}.title must be a string or a mapping of locale to string.")


def _dataclass_settings(cls: type, values: dict[str, Any]) -> Any:
    """Settings from configuration: lists become tuples, ``claims`` a ClaimMapping."""
    from kit.auth.tokens import ClaimMapping

    values = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    if isinstance(values.get("claims"), Mapping):
        values["claims"] = ClaimMapping(**values["claims"])
    return cls(**values)


def _build(key: str, kind: str, settings: dict[str, Any]) -> Any:
    try:
        if kind == "ldap":
            from kit.auth.ldap import LdapProvider
            from kit.auth.ldap_settings import LdapSettings

            return LdapProvider(LdapSettings.from_mapping(settings))
        if kind == "oidc":
            from kit.auth.oidc import OidcClient, OidcSettings
            from kit.db import db_session
            from kit.services.replay import DatabaseReplayGuard

            return OidcClient(_dataclass_settings(OidcSettings, settings),
                              replay_guard=DatabaseReplayGuard(db_session))
        from kit.auth.proxy import ProxyAuthenticator, ProxySettings

        return ProxyAuthenticator(_dataclass_settings(ProxySettings, settings))
    except ImportError as exc:
        raise ConfigError(f"{key} needs a package that is not installed ({exc.name}); "
                          f"install the kit with the '{kind}' extra.") from exc
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{key}: {exc}") from exc


def build_providers(entries: Sequence[Mapping[str, Any]]) -> tuple[ProviderEntry, ...]:
    """Validate and build every configured provider; errors name ``KIT_AUTH_PROVIDERS[i]``."""
    built: list[ProviderEntry] = []
    for index, entry in enumerate(entries):
        key = f"KIT_AUTH_PROVIDERS[{index}]"
        if not isinstance(entry, Mapping):
            raise ConfigError(f"{key} must be a mapping with 'type' and 'name'.")
        settings = dict(entry)
        kind, name = settings.pop("type", None), settings.pop("name", None)
        title = settings.pop("title", None)
        if kind not in PROVIDER_TYPES:
            raise ConfigError(f"{key}.type must be one of {', '.join(PROVIDER_TYPES)}, "
                              f"got {kind!r}.")
        if not isinstance(name, str) or not NAME.match(name):
            raise ConfigError(f"{key}.name must be lowercase letters, digits and dashes, "
                              f"got {name!r}.")
        if any(existing.name == name for existing in built):
            raise ConfigError(f"{key}.name {name!r} is used twice.")
        built.append(ProviderEntry(name, kind, _titles(key, title, name),
                                   _build(key, kind, settings)))
    return tuple(built)
