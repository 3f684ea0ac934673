"""The identity-provider interface: how a directory or an IdP hands a person to the kit.

Authentication (checking credentials or a signed token) is separate from identity (turning
what the provider vouches for into a staff member with groups). Providers never touch the
database; ``kit.services`` turns a :class:`DirectoryPerson` into a staff member.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DirectoryPerson:
    """A person as the employer's directory or IdP describes them."""

    directory_id: str
    email: str
    display_name: str
    department: str | None = None
    title: str | None = None
    work_location: str | None = None
    employee_number: str | None = None
    preferred_locale: str | None = None
    manager_directory_id: str | None = None
    groups: frozenset[str] = field(default_factory=frozenset)
    enabled: bool = True


class SignInError(Exception):
    """Sign-in refused. ``code`` is stable (for logs and tests); the view translates it."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


class ProviderUnavailable(SignInError):
    """The directory or the IdP did not answer in time: a 503, not the person's fault."""
