"""Staff sign-in against the employer's LDAP directory (OpenLDAP, Active Directory, ...).

:class:`LdapProvider` checks a user name and password and returns the
:class:`~kit.auth.providers.DirectoryPerson` the directory describes. It never touches the
database. Decisions that matter for security:

- Input is refused before any network traffic: an empty or blank password (many servers
  treat a bind with a DN and no password as a *successful* anonymous bind), a user name that
  is empty, too long, not text or holds control characters, a password too long or not text.
- The typed name is always a literal value: it is escaped for the filter
  (``escape_filter_chars``: ``* ( ) \\ NUL``) and for the DN template (``escape_dn_chars``).
  A DN or ``user@domain`` typed as a name therefore finds nobody, unless the configured
  filter itself searches that attribute (e.g. ``userPrincipalName={username}``).
- Unknown person and wrong password give the same ``invalid_credentials``.
- The identity is the entry's uid attribute, never the typed text (case may differ).
- TLS verifies certificates; a failed StartTLS is ``directory_unavailable``, never plain text.
- Every connection has a connect timeout and an operation timeout, referrals off, and is
  unbound at the end.
- A disabled account with the right password raises :class:`AccountDisabled` (which carries
  the person, so the staff profile can be marked inactive); :meth:`LdapProvider.lookup` returns
  it with ``enabled=False``.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import ldap
from ldap.dn import escape_dn_chars
from ldap.filter import escape_filter_chars
from ldap.ldapobject import LDAPObject

from kit.auth.ldap_groups import Entry, GroupReader, normalize_dn, read_entry
from kit.auth.ldap_settings import (
    AD_ACCOUNTDISABLE,
    AD_CONTROL_ATTRIBUTE,
    PLACEHOLDER,
    LdapSettings,
)
from kit.auth.providers import DirectoryPerson, ProviderUnavailable, SignInError

__all__ = [
    "AccountDisabled",
    "LdapProvider",
    "LdapSettings",
    "check_password",
    "clean_username",
    "normalize_dn",
]

log = logging.getLogger("kit.auth.ldap")

# Errors that mean "the directory cannot answer now", not "this person may not sign in".
_UNAVAILABLE = (
    ldap.SERVER_DOWN, ldap.TIMEOUT, ldap.CONNECT_ERROR, ldap.UNAVAILABLE, ldap.BUSY,
    ldap.TIMELIMIT_EXCEEDED, ldap.ADMINLIMIT_EXCEEDED,
)
# A bind refused for anything the person typed: all the same answer, no user enumeration.
_BAD_BIND = (
    ldap.INVALID_CREDENTIALS, ldap.INVALID_DN_SYNTAX, ldap.NO_SUCH_OBJECT,
    ldap.UNWILLING_TO_PERFORM, ldap.INAPPROPRIATE_AUTH,
)
# One detail for "no such person" and "wrong password", so that not even a log line or an
# error page built from str(exc) tells them apart.
_REFUSED = "user name or password refused"
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")


class AccountDisabled(SignInError):
    """The password was right but the directory marks the account disabled."""

    def __init__(self, person: DirectoryPerson) -> None:
        super().__init__("account_disabled", person.directory_id)
        self.person = person


def clean_username(value: object, max_length: int) -> str:
    """The typed user name, stripped and NFC-normalised, or ``SignInError("invalid_username")``."""
    if not isinstance(value, str):
        raise SignInError("invalid_username", "not text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates: what a form decoder leaves for bytes that are not UTF-8.
        raise SignInError("invalid_username", "not valid UTF-8") from None
    name = unicodedata.normalize("NFC", value.strip())
    if not name:
        raise SignInError("invalid_username", "empty")
    if len(name) > max_length:
        raise SignInError("invalid_username", "too long")
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in name):
        raise SignInError("invalid_username", "control character")
    return name


def check_password(value: object, max_length: int) -> str:
    """The password unchanged, or a refusal made before any bind is attempted."""
    if not isinstance(value, str):
        raise SignInError("invalid_password", "not text")
    if not value.strip():
        raise SignInError("empty_password")
    if len(value) > max_length:
        raise SignInError("invalid_password", "too long")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise SignInError("invalid_password", "not valid UTF-8") from None
    return value


class LdapProvider:
    """Signs staff in against an LDAP directory and reads people and groups for the sync."""

    def __init__(self, settings: LdapSettings) -> None:
        """Use ``settings`` for every connection; nothing is contacted yet."""
        self.settings = settings
        if not settings.uses_tls:
            log.warning("LDAP passwords travel in clear text: use ldaps:// or start_tls")
        elif not settings.verify_certificates:
            log.warning("LDAP certificates are not verified: anyone on the path can listen")

    # -- public API -----------------------------------------------------------------

    def authenticate(self, username: str, password: str) -> DirectoryPerson:
        """Check a user name and password; return the person the directory describes.

        Raises :class:`SignInError` (``empty_password``, ``invalid_password``,
        ``invalid_username``, ``invalid_credentials``, ``ambiguous_user``,
        ``incomplete_entry``), :class:`AccountDisabled`, or :class:`ProviderUnavailable`
        (``directory_unavailable``) when the directory does not answer in time.
        """
        s = self.settings
        name = clean_username(username, s.max_username_length)
        secret = check_password(password, s.max_password_length)
        with self._errors(), self._connection() as conn:
            if s.user_dn_template is not None:
                self._bind_user(conn, self._template_dn(name), secret)
                found = self._read(conn, self._template_dn(name), self._user_attributes())
                if found is None:
                    raise SignInError("incomplete_entry", "bound but cannot read own entry")
                dn, entry = found
            else:
                self._bind_service(conn)
                found = self._search_person(conn, name)
                if found is None:
                    log.debug("LDAP sign-in: no entry matches the name typed")
                    raise SignInError("invalid_credentials", _REFUSED)
                dn, entry = found
                with self._connection() as user_conn:
                    self._bind_user(user_conn, dn, secret)
            person = self._person(conn, dn, entry)
        if not person.enabled:
            log.info("LDAP sign-in refused for disabled account %s", person.directory_id)
            raise AccountDisabled(person)
        log.info("LDAP sign-in for %s", person.directory_id)
        return person

    def lookup(self, directory_id: str) -> DirectoryPerson | None:
        """The person with this uid attribute value, or None when the directory has none.

        Used by the directory sync; a disabled account comes back with ``enabled=False``.
        """
        name = clean_username(directory_id, self.settings.max_username_length)
        with self._errors(), self._connection() as conn:
            self._bind_service(conn)
            if self.settings.base_dn is not None:
                found = self._search_person(conn, name)
            else:
                found = self._read(conn, self._template_dn(name), self._user_attributes())
            if found is None:
                return None
            person = self._person(conn, *found)
        if person.directory_id.casefold() != name.casefold():
            return None
        return person

    def iter_members(self, group_dn: str) -> Iterator[str]:
        """The directory ids of everyone in ``group_dn``, including nested groups.

        The whole list is read before the first id is returned, on one connection that is
        closed at once. A group that does not exist raises :class:`ProviderUnavailable`
        (``group_not_found``): a sync must stop rather than deactivate everyone.
        """
        if not isinstance(group_dn, str) or "=" not in group_dn:
            raise ValueError(f"not a group DN: {group_dn!r}")
        with self._errors(), self._connection() as conn:
            self._bind_service(conn)
            members = GroupReader(self.settings, conn).members(group_dn)
        return iter(sorted(members))

    # -- connections ----------------------------------------------------------------

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except _UNAVAILABLE as exc:
            log.warning("LDAP directory unavailable: %s", _describe(exc))
            raise ProviderUnavailable("directory_unavailable", _describe(exc)) from None
        except ldap.LDAPError as exc:
            log.error("LDAP directory error: %s", _describe(exc))
            raise ProviderUnavailable("directory_unavailable", _describe(exc)) from None

    @contextmanager
    def _connection(self) -> Iterator[LDAPObject]:
        s = self.settings
        conn = ldap.initialize(" ".join(s.uris))
        try:
            conn.set_option(ldap.OPT_PROTOCOL_VERSION, ldap.VERSION3)
            conn.set_option(ldap.OPT_REFERRALS, 0)
            conn.set_option(ldap.OPT_NETWORK_TIMEOUT, s.network_timeout)
            # Without it a server that accepts and never answers hangs a bind forever.
            conn.set_option(ldap.OPT_TIMEOUT, s.operation_timeout)
            conn.timeout = s.operation_timeout
            conn.set_option(
                ldap.OPT_X_TLS_REQUIRE_CERT,
                ldap.OPT_X_TLS_DEMAND if s.verify_certificates else ldap.OPT_X_TLS_NEVER,
            )
            if s.ca_file is not None:
                conn.set_option(ldap.OPT_X_TLS_CACERTFILE, s.ca_file)
            conn.set_option(ldap.OPT_X_TLS_PROTOCOL_MIN, ldap.OPT_X_TLS_PROTOCOL_TLS1_2)
            # The TLS options above apply only to a context created after them.
            conn.set_option(ldap.OPT_X_TLS_NEWCTX, 0)
            if s.start_tls:
                try:
                    conn.start_tls_s()
                except ldap.LDAPError as exc:
                    log.error("LDAP StartTLS failed, not continuing in clear: %s", _describe(exc))
                    raise ProviderUnavailable(
                        "directory_unavailable", f"StartTLS failed: {_describe(exc)}"
                    ) from None
            yield conn
        finally:
            with suppress(ldap.LDAPError):
                conn.unbind_s()

    def _bind_service(self, conn: LDAPObject) -> None:
        s = self.settings
        if s.bind_dn is None:
            return  # anonymous search, as configured
        try:
            conn.simple_bind_s(s.bind_dn, s.bind_password or "")
        except _BAD_BIND as exc:
            log.error("LDAP service account %s refused: %s", s.bind_dn, _describe(exc))
            raise ProviderUnavailable(
                "directory_unavailable", "service account bind refused"
            ) from None

    def _bind_user(self, conn: LDAPObject, dn: str, password: str) -> None:
        # check_password() has refused empty passwords: this bind is never anonymous.
        try:
            conn.simple_bind_s(dn, password)
        except _BAD_BIND as exc:
            log.debug("LDAP sign-in: bind refused: %s", _describe(exc))
            raise SignInError("invalid_credentials", _REFUSED) from None

    # -- entries --------------------------------------------------------------------

    def _template_dn(self, name: str) -> str:
        template = self.settings.user_dn_template
        if template is None:
            raise ValueError("user_dn_template is not set")
        return template.replace(PLACEHOLDER, escape_dn_chars(name))

    def _user_attributes(self) -> list[str]:
        s = self.settings
        wanted = [
            s.uid_attribute, s.email_attribute, *s.name_attributes, s.department_attribute,
            s.title_attribute, s.location_attribute, s.employee_number_attribute,
            s.language_attribute, s.manager_attribute, s.disabled_attribute,
        ]
        if s.group_mode == "memberof":
            wanted.append(s.memberof_attribute)
        return list(dict.fromkeys(a for a in wanted if a))

    def _search_person(self, conn: LDAPObject, name: str) -> tuple[str, Entry] | None:
        s = self.settings
        assert s.base_dn is not None  # validated: search needs a base
        query = s.user_filter.replace(PLACEHOLDER, escape_filter_chars(name))
        scope = ldap.SCOPE_SUBTREE if s.search_scope == "subtree" else ldap.SCOPE_ONELEVEL
        try:
            results = conn.search_ext_s(
                s.base_dn, scope, query, self._user_attributes(),
                timeout=s.operation_timeout, sizelimit=2,
            )
        except ldap.SIZELIMIT_EXCEEDED:
            raise SignInError("ambiguous_user", "several entries match") from None
        except ldap.NO_SUCH_OBJECT:
            log.error("LDAP base_dn %s does not exist", s.base_dn)
            return None
        entries = [(dn, attrs) for dn, attrs in results if dn and isinstance(attrs, dict)]
        if len(entries) > 1:
            raise SignInError("ambiguous_user", "several entries match")
        return entries[0] if entries else None

    def _read(self, conn: LDAPObject, dn: str, attributes: list[str]) -> tuple[str, Entry] | None:
        return read_entry(conn, dn, attributes, self.settings.operation_timeout)

    def _person(self, conn: LDAPObject, dn: str, entry: Entry) -> DirectoryPerson:
        s = self.settings
        attrs = {key.lower(): values for key, values in entry.items()}

        def first(attribute: str | None) -> str | None:
            if not attribute:
                return None
            for raw in attrs.get(attribute.lower(), []):
                text = raw.decode("utf-8", "replace").strip()
                if text:
                    return text
            return None

        directory_id = first(s.uid_attribute)
        if directory_id is None:
            raise SignInError("incomplete_entry", f"{dn} has no {s.uid_attribute}")
        name = next((v for v in map(first, s.name_attributes) if v), directory_id)
        manager_dn = first(s.manager_attribute)
        return DirectoryPerson(
            directory_id=directory_id,
            email=first(s.email_attribute) or "",
            display_name=name,
            department=first(s.department_attribute),
            title=first(s.title_attribute),
            work_location=first(s.location_attribute),
            employee_number=first(s.employee_number_attribute),
            preferred_locale=_locale(first(s.language_attribute)),
            manager_directory_id=self._manager(conn, manager_dn) if manager_dn else None,
            groups=GroupReader(s, conn).groups_of(dn, directory_id, attrs),
            enabled=not self._disabled(attrs),
        )

    def _manager(self, conn: LDAPObject, manager_dn: str) -> str | None:
        attribute = self.settings.uid_attribute
        found = self._read(conn, manager_dn, [attribute])
        if found is None:
            return None
        for key, values in found[1].items():
            if key.lower() == attribute.lower() and values:
                return values[0].decode("utf-8", "replace")
        return None

    def _disabled(self, attrs: Entry) -> bool:
        s = self.settings
        if not s.disabled_attribute:
            return False
        values = [v.decode("utf-8", "replace").strip() for v in
                  attrs.get(s.disabled_attribute.lower(), [])]
        if s.disabled_attribute.lower() == AD_CONTROL_ATTRIBUTE.lower():
            return any(v.isdigit() and int(v) & AD_ACCOUNTDISABLE for v in values)
        if not s.disabled_values:
            return bool(values)
        wanted = {v.casefold() for v in s.disabled_values}
        return any(v.casefold() in wanted for v in values)


def _locale(value: str | None) -> str | None:
    """The first tag of preferredLanguage ("fr-CA, en;q=0.8") as a Babel locale ("fr_CA")."""
    if not value:
        return None
    tag = value.split(",")[0].split(";")[0].strip()
    if not _LANGUAGE_TAG.match(tag):
        return None
    language, *rest = tag.split("-")
    parts = [language.lower()]
    for part in rest:
        parts.append(part.title() if len(part) == 4 else part.upper())
    return "_".join(parts)


def _describe(exc: ldap.LDAPError) -> str:
    info = exc.args[0] if exc.args and isinstance(exc.args[0], dict) else {}
    text = " ".join(str(info.get(key, "")) for key in ("desc", "info")).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
