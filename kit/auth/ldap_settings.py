"""Settings of the LDAP provider: one frozen object, every default in one place, checked early.

A bad value raises ``ValueError`` naming the setting, when the application starts rather than
at the first sign-in. This module does not import python-ldap, so configuration can be checked
where the ``ldap`` extra is not installed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_USER_FILTER = "(&(objectClass=inetOrgPerson)(uid={username}))"
PLACEHOLDER = "{username}"
GROUP_MODES = ("memberof", "search", "none")
SCOPES = ("subtree", "onelevel")
# The member attribute of each kind of group, and whether it holds DNs (or bare user ids).
GROUP_CLASSES: dict[str, tuple[str, bool]] = {
    "groupOfNames": ("member", True),
    "groupOfUniqueNames": ("uniqueMember", True),
    "posixGroup": ("memberUid", False),
}
# Active Directory keeps "account disabled" as bit 2 of userAccountControl.
AD_CONTROL_ATTRIBUTE = "userAccountControl"
AD_ACCOUNTDISABLE = 0x2
MAX_TIMEOUT = 300.0
MAX_GROUP_DEPTH = 10

_ATTRIBUTE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)$")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")


@dataclass(frozen=True)
class LdapSettings:
    """How to reach the directory, find a person in it and read their groups.

    Either ``user_dn_template`` (direct bind as the person) or ``base_dn`` + ``user_filter``
    (search with the service account ``bind_dn``, or anonymously, then bind as the entry found).
    ``{username}`` in the template and the filter is replaced by the typed name, escaped.
    """

    uris: tuple[str, ...]
    base_dn: str | None = None
    start_tls: bool = False
    ca_file: str | None = None
    verify_certificates: bool = True
    bind_dn: str | None = None
    bind_password: str | None = field(default=None, repr=False)
    user_dn_template: str | None = None
    user_filter: str = DEFAULT_USER_FILTER
    search_scope: str = "subtree"
    # Attribute mapping; None switches a field off. The first name attribute present wins.
    uid_attribute: str = "uid"
    email_attribute: str = "mail"
    name_attributes: tuple[str, ...] = ("displayName", "cn")
    department_attribute: str | None = "departmentNumber"
    title_attribute: str | None = "title"
    location_attribute: str | None = "l"
    employee_number_attribute: str | None = "employeeNumber"
    language_attribute: str | None = "preferredLanguage"
    manager_attribute: str | None = "manager"
    # Groups: memberOf on the person's entry, or a search of group entries.
    group_mode: str = "memberof"
    memberof_attribute: str = "memberOf"
    group_base_dn: str | None = None
    group_object_class: str = "groupOfNames"
    group_member_attribute: str | None = None
    nested_groups: bool = True
    max_group_depth: int = 5
    # A disabled account: the attribute present (no values given) or holding one of the
    # values (case-insensitive); userAccountControl is read as Active Directory's bit field.
    disabled_attribute: str | None = None
    disabled_values: tuple[str, ...] = ()
    network_timeout: float = 5.0
    operation_timeout: float = 5.0
    max_username_length: int = 256
    max_password_length: int = 1024

    def __post_init__(self) -> None:
        _validate(self)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> LdapSettings:
        """Build settings from a mapping of field names (``uri`` is accepted for ``uris``).

        Strings are converted the way environment variables need: booleans from
        true/false/yes/no/1/0, numbers from digits, lists from comma-separated text, and an
        empty string means "not set". Unknown keys are refused (a typo must not be ignored).
        """
        known = {f.name: f for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, raw in values.items():
            name = "uris" if key == "uri" else key
            if name not in known:
                raise ValueError(f"{key}: unknown LDAP setting")
            if name in kwargs:
                raise ValueError(f"{key}: given twice (uri and uris)")
            kwargs[name] = _convert(name, known[name].type, raw)
        if "uris" not in kwargs:
            raise ValueError("uris: required (the directory's ldap:// or ldaps:// address)")
        return cls(**kwargs)

    @property
    def member_attribute(self) -> str:
        """The group attribute that lists members in ``search`` mode."""
        if self.group_member_attribute:
            return self.group_member_attribute
        return GROUP_CLASSES[self.group_object_class][0]

    @property
    def member_is_dn(self) -> bool:
        """True when group members are DNs, False when they are bare user ids (memberUid)."""
        attribute = self.member_attribute.lower()
        return attribute != "memberuid"

    @property
    def uses_tls(self) -> bool:
        """True when every connection is encrypted (LDAPS or StartTLS)."""
        return self.start_tls or all(uri.lower().startswith("ldaps://") for uri in self.uris)


def _convert(name: str, kind: Any, raw: Any) -> Any:
    kind = str(kind)
    if isinstance(raw, str) and "str | None" in kind and not raw.strip():
        return None
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in _TRUE + _FALSE:
            return raw.strip().lower() in _TRUE
        raise ValueError(f"{name}: expected true or false, got {raw!r}")
    if kind in ("int", "float"):
        if isinstance(raw, bool):
            raise ValueError(f"{name}: expected a number, got {raw!r}")
        try:
            number = float(raw)
        except (TypeError, ValueError):
            raise ValueError(f"{name}: expected a number, got {raw!r}") from None
        if kind == "int":
            if not number.is_integer():
                raise ValueError(f"{name}: expected a whole number, got {raw!r}")
            return int(number)
        return number
    if kind.startswith("tuple"):
        if isinstance(raw, str):
            return tuple(part for part in re.split(r"[\s,]+", raw) if part)
        if isinstance(raw, list | tuple):
            return tuple(raw)
        raise ValueError(f"{name}: expected a list, got {raw!r}")
    return raw


def _text(settings: LdapSettings, name: str, required: bool = False) -> str | None:
    value = getattr(settings, name)
    if value is None:
        if required:
            raise ValueError(f"{name}: required")
        return None
    if not isinstance(value, str) or not value.strip() or "\x00" in value:
        raise ValueError(f"{name}: expected non-empty text, got {value!r}")
    return value


def _attribute(settings: LdapSettings, name: str, required: bool = False) -> None:
    value = _text(settings, name, required)
    if value is not None and not _ATTRIBUTE.match(value):
        raise ValueError(f"{name}: not an attribute name: {value!r}")


def _dn(settings: LdapSettings, name: str, required: bool = False) -> None:
    value = _text(settings, name, required)
    if value is not None and "=" not in value:
        raise ValueError(f"{name}: not a DN: {value!r}")


def _number(settings: LdapSettings, name: str, low: float, high: float) -> None:
    value = getattr(settings, name)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ValueError(f"{name}: expected a number from {low} to {high}, got {value!r}")


def _validate_uris(settings: LdapSettings) -> None:
    uris = settings.uris
    if isinstance(uris, str) or not isinstance(uris, tuple) or not uris:
        raise ValueError("uris: expected one or more ldap:// or ldaps:// addresses")
    for uri in uris:
        if not isinstance(uri, str) or any(c.isspace() for c in uri):
            raise ValueError(f"uris: not an address: {uri!r}")
        parts = urlsplit(uri)
        if parts.scheme.lower() not in ("ldap", "ldaps") or not parts.hostname:
            raise ValueError(f"uris: expected ldap://host or ldaps://host, got {uri!r}")
    if settings.start_tls and any(u.lower().startswith("ldaps://") for u in uris):
        raise ValueError("start_tls: StartTLS is for ldap:// addresses; ldaps:// is already TLS")
    for flag in ("start_tls", "verify_certificates", "nested_groups"):
        if not isinstance(getattr(settings, flag), bool):
            raise ValueError(f"{flag}: expected true or false")
    if settings.ca_file is not None and not Path(_text(settings, "ca_file") or "").is_file():
        raise ValueError(f"ca_file: no such file: {settings.ca_file!r}")


def _validate_search(settings: LdapSettings) -> None:
    _dn(settings, "bind_dn")
    if settings.bind_dn is not None:
        # A DN with an empty password is an anonymous bind on many servers: never that.
        _text(settings, "bind_password", required=True)
    _dn(settings, "base_dn")
    template = _text(settings, "user_dn_template")
    if template is not None and (PLACEHOLDER not in template or "=" not in template):
        raise ValueError(f"user_dn_template: expected a DN containing {PLACEHOLDER}")
    if template is None and settings.base_dn is None:
        raise ValueError("base_dn: required to search for people (or set user_dn_template)")
    user_filter = _text(settings, "user_filter", required=True) or ""
    if PLACEHOLDER not in user_filter or not _balanced(user_filter):
        raise ValueError(f"user_filter: expected a filter in parentheses with {PLACEHOLDER}")
    if settings.search_scope not in SCOPES:
        raise ValueError(f"search_scope: expected one of {', '.join(SCOPES)}")


def _validate_attributes(settings: LdapSettings) -> None:
    for name in ("uid_attribute", "email_attribute", "memberof_attribute"):
        _attribute(settings, name, required=True)
    for name in ("department_attribute", "title_attribute", "location_attribute",
                 "employee_number_attribute", "language_attribute", "manager_attribute",
                 "group_member_attribute", "disabled_attribute"):
        _attribute(settings, name)
    names = settings.name_attributes
    if not isinstance(names, tuple) or not names or not all(
        isinstance(n, str) and _ATTRIBUTE.match(n) for n in names
    ):
        raise ValueError(f"name_attributes: expected attribute names, got {names!r}")
    values = settings.disabled_values
    if not isinstance(values, tuple) or not all(isinstance(v, str) and v for v in values):
        raise ValueError(f"disabled_values: expected a list of values, got {values!r}")
    if values and settings.disabled_attribute is None:
        raise ValueError("disabled_values: set disabled_attribute too")


def _validate_groups(settings: LdapSettings) -> None:
    if settings.group_mode not in GROUP_MODES:
        raise ValueError(f"group_mode: expected one of {', '.join(GROUP_MODES)}")
    _dn(settings, "group_base_dn", required=settings.group_mode == "search")
    if settings.group_object_class not in GROUP_CLASSES and not settings.group_member_attribute:
        raise ValueError(
            f"group_object_class: expected one of {', '.join(GROUP_CLASSES)}"
            " (or set group_member_attribute)"
        )
    if not _ATTRIBUTE.match(str(settings.group_object_class)):
        raise ValueError("group_object_class: not an object class name")
    _number(settings, "max_group_depth", 1, MAX_GROUP_DEPTH)


def _validate(settings: LdapSettings) -> None:
    _validate_uris(settings)
    _validate_search(settings)
    _validate_attributes(settings)
    _validate_groups(settings)
    _number(settings, "network_timeout", 0.1, MAX_TIMEOUT)
    _number(settings, "operation_timeout", 0.1, MAX_TIMEOUT)
    _number(settings, "max_username_length", 1, 4096)
    _number(settings, "max_password_length", 1, 65536)
    for name in ("max_group_depth", "max_username_length", "max_password_length"):
        if not isinstance(getattr(settings, name), int):
            raise ValueError(f"{name}: expected a whole number")


def _balanced(text: str) -> bool:
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0
