"""Sign-in by an identity-aware proxy: a signed JWT assertion in a request header.

The proxy in front of the intranet (Google IAP, oauth2-proxy, Pomerium, ...) signs in the
person and forwards a JWT. It is verified like an id_token (issuer, audience, JWKS, algorithm
allow-list, lifetime); a header without a valid signature is worth nothing, since anyone who
reaches the app directly can set headers.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kit.auth.jwks import JwksCache, KeySource
from kit.auth.providers import DirectoryPerson, SignInError
from kit.auth.tokens import ClaimMapping, TokenSettings, verify_jwt

IAP_HEADER = "X-Goog-IAP-JWT-Assertion"


@dataclass(frozen=True)
class ProxySettings:
    """Which header carries the assertion, who signs it and for which audience."""

    issuer: str
    audience: str
    jwks_url: str
    header: str = IAP_HEADER
    algorithms: tuple[str, ...] = ("ES256", "RS256", "PS256")
    leeway: int = 60
    required_claims: tuple[str, ...] = ("sub",)
    claims: ClaimMapping = field(default_factory=ClaimMapping)
    timeout: float = 5.0
    jwks_ttl: float = 3600.0
    jwks_refetch_cooldown: float = 60.0
    allow_insecure_loopback: bool = False
    ca_file: str | None = None

    def __post_init__(self) -> None:
        if not self.header.strip():
            raise ValueError("header must name the request header with the assertion")
        self.token_settings()

    def token_settings(self) -> TokenSettings:
        """What the assertion must satisfy."""
        return TokenSettings(self.issuer, self.audience, self.algorithms, self.leeway,
                             self.required_claims)


class ProxyAuthenticator:
    """Turns the proxy's assertion header into a person; keep one per app (it caches keys)."""

    def __init__(self, settings: ProxySettings, *, keys: KeySource | None = None,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.keys: KeySource = keys or JwksCache(
            settings.jwks_url, ttl=settings.jwks_ttl,
            refetch_cooldown=settings.jwks_refetch_cooldown, timeout=settings.timeout,
            allow_insecure_loopback=settings.allow_insecure_loopback, ca_file=settings.ca_file,
            clock=monotonic)

    def claims_from_headers(self, headers: Mapping[str, str]) -> dict[str, Any]:
        """The verified claims of the assertion; SignInError("missing_assertion") without one."""
        value = _header(headers, self.settings.header)
        if not value:
            raise SignInError("missing_assertion", self.settings.header)
        scheme, _, rest = value.partition(" ")
        if scheme.lower() == "bearer" and rest:
            value = rest.strip()
        return verify_jwt(value, self.settings.token_settings(), self.keys)

    def person_from_headers(self, headers: Mapping[str, str]) -> DirectoryPerson:
        """The person the proxy vouches for, from the request's headers."""
        return self.settings.claims.person(self.claims_from_headers(headers))


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None and not hasattr(headers, "getlist"):
        # A plain dict is case-sensitive; Werkzeug's headers are not.
        wanted = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == wanted), None)
    return value.strip() if isinstance(value, str) else None
