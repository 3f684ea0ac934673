"""Group membership in an LDAP directory: a person's groups, and a group's members.

Groups are returned as normalised DNs (:func:`normalize_dn`), so that a role mapping written
as ``CN=Mentors,OU=Groups,...`` matches ``cn=mentors,ou=groups,...`` from the server. Nested
groups are followed breadth-first up to ``max_group_depth`` levels, never in a loop.
"""

from __future__ import annotations

import ldap
import ldap.dn
from ldap.filter import escape_filter_chars
from ldap.ldapobject import LDAPObject

from kit.auth.ldap_settings import LdapSettings
from kit.auth.providers import ProviderUnavailable

Entry = dict[str, list[bytes]]
# A guard against a directory whose groups nest without end (or a misconfigured base).
MAX_GROUPS = 2000


def normalize_dn(dn: str) -> str:
    """One spelling of a DN: canonical escaping, lower case, no spaces around separators."""
    try:
        parts = ldap.dn.str2dn(dn)
    except ldap.DECODING_ERROR:
        return dn.strip().lower()
    return ldap.dn.dn2str([
        [(kind.lower(), value.lower(), flags) for kind, value, flags in rdn] for rdn in parts
    ])


def read_entry(
    conn: LDAPObject, dn: str, attributes: list[str], timeout: float
) -> tuple[str, Entry] | None:
    """Read one entry by DN, or None when it is missing or hidden from us."""
    try:
        results = conn.search_ext_s(
            dn, ldap.SCOPE_BASE, "(objectClass=*)", attributes, timeout=timeout, sizelimit=1
        )
    except (ldap.NO_SUCH_OBJECT, ldap.INSUFFICIENT_ACCESS, ldap.INVALID_DN_SYNTAX):
        return None
    for found_dn, attrs in results:
        if found_dn and isinstance(attrs, dict):
            return found_dn, attrs
    return None


def values_of(entry: Entry, attribute: str) -> list[str]:
    """The values of ``attribute`` (any case) as text."""
    wanted = attribute.lower()
    return [
        raw.decode("utf-8", "replace")
        for key, values in entry.items() if key.lower() == wanted
        for raw in values
    ]


class GroupReader:
    """Reads groups over one bound connection, as the settings say."""

    def __init__(self, settings: LdapSettings, conn: LDAPObject) -> None:
        """Read with ``conn``, which is already bound."""
        self.settings = settings
        self.conn = conn

    def groups_of(self, dn: str, directory_id: str, entry: Entry) -> frozenset[str]:
        """The normalised DNs of every group the person is in, nested ones included."""
        s = self.settings
        if s.group_mode == "none":
            return frozenset()
        if s.group_mode == "memberof":
            direct = values_of(entry, s.memberof_attribute)
        else:
            direct = self._search_groups(dn if s.member_is_dn else directory_id)
        # posixGroup members are user ids: a group cannot be a member of another.
        nested = s.nested_groups and (s.group_mode == "memberof" or s.member_is_dn)
        found: dict[str, str] = {}
        frontier = direct
        depth = 1
        while frontier and len(found) < MAX_GROUPS:
            next_frontier: list[str] = []
            for group in frontier:
                key = normalize_dn(group)
                if key not in found:
                    found[key] = group
                    next_frontier.append(group)
            if not nested or depth >= s.max_group_depth:
                break
            frontier = [parent for group in next_frontier for parent in self._parents(group)]
            depth += 1
        return frozenset(found)

    def members(self, group_dn: str) -> set[str]:
        """The directory ids of the members of ``group_dn``, nested groups included."""
        s = self.settings
        member_attribute = s.member_attribute
        if self._read(group_dn, [member_attribute]) is None:
            raise ProviderUnavailable("group_not_found", group_dn)
        ids: set[str] = set()
        seen = {normalize_dn(group_dn)}
        frontier = [group_dn]
        depth = 0
        while frontier and depth < (s.max_group_depth if s.nested_groups else 1):
            next_frontier: list[str] = []
            for group in frontier:
                found = self._read(group, [member_attribute])
                if found is None:
                    continue
                values = values_of(found[1], member_attribute)
                if not s.member_is_dn:
                    ids.update(v.strip() for v in values if v.strip())
                    continue
                for member in values:
                    key = normalize_dn(member)
                    if key in seen or len(seen) > MAX_GROUPS * 10:
                        continue
                    seen.add(key)
                    next_frontier.extend(self._classify(member, ids))
            frontier = next_frontier
            depth += 1
        return ids

    def _classify(self, member_dn: str, ids: set[str]) -> list[str]:
        """Add a person's id to ``ids``; return ``[member_dn]`` when it is a group instead."""
        s = self.settings
        found = self._read(member_dn, [s.uid_attribute, "objectClass"])
        if found is None:
            return []
        classes = {c.lower() for c in values_of(found[1], "objectClass")}
        if s.group_object_class.lower() in classes:
            return [member_dn]
        ids.update(v for v in values_of(found[1], s.uid_attribute)[:1] if v)
        return []

    def _parents(self, group_dn: str) -> list[str]:
        s = self.settings
        if s.group_mode == "memberof":
            found = self._read(group_dn, [s.memberof_attribute])
            return values_of(found[1], s.memberof_attribute) if found else []
        return self._search_groups(group_dn)

    def _search_groups(self, member: str) -> list[str]:
        s = self.settings
        query = (
            f"(&(objectClass={s.group_object_class})"
            f"({s.member_attribute}={escape_filter_chars(member)}))"
        )
        results = self.conn.search_ext_s(
            s.group_base_dn, ldap.SCOPE_SUBTREE, query, ["1.1"],
            timeout=s.operation_timeout, sizelimit=MAX_GROUPS,
        )
        return [dn for dn, attrs in results if dn and isinstance(attrs, dict)]

    def _read(self, dn: str, attributes: list[str]) -> tuple[str, Entry] | None:
        return read_entry(self.conn, dn, attributes, self.settings.operation_timeout)
