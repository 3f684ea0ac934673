"""OpenID Connect sign-in: the authorization-code flow with PKCE (S256), ``state`` and ``nonce``.

No Flask here. The view calls :meth:`OidcClient.begin`, keeps the returned
:class:`PendingLogin` in the session (``to_dict``) and redirects to the URL; on the way back
it pops the PendingLogin and calls :meth:`OidcClient.complete` with the query parameters,
which returns the :class:`DirectoryPerson` the IdP vouches for or raises SignInError.

The endpoints come from the IdP's discovery document, fetched and cached; the id_token is
verified against the IdP's JWKS (see :mod:`kit.auth.tokens`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from kit.auth.jwks import JwksCache, check_url, fetch_json
from kit.auth.providers import DirectoryPerson, ProviderUnavailable, SignInError
from kit.auth.tokens import (
    DEFAULT_ALGORITHMS,
    ClaimMapping,
    TokenSettings,
    verify_id_token,
)

CLIENT_AUTH_METHODS = ("client_secret_basic", "client_secret_post", "none")


@dataclass(frozen=True)
class OidcSettings:
    """An OIDC client registration at one IdP, and how its claims become a person."""

    issuer: str
    client_id: str
    client_secret: str | None = field(default=None, repr=False)
    client_auth: str = "client_secret_basic"
    scopes: tuple[str, ...] = ("openid", "email", "profile")
    algorithms: tuple[str, ...] = DEFAULT_ALGORITHMS
    leeway: int = 60
    required_claims: tuple[str, ...] = ("sub",)
    claims: ClaimMapping = field(default_factory=ClaimMapping)
    timeout: float = 5.0
    metadata_ttl: float = 3600.0
    jwks_ttl: float = 3600.0
    jwks_refetch_cooldown: float = 60.0
    login_max_age: int = 600
    allow_insecure_loopback: bool = False
    ca_file: str | None = None

    def __post_init__(self) -> None:
        check_url(self.issuer, allow_insecure_loopback=self.allow_insecure_loopback)
        if self.client_auth not in CLIENT_AUTH_METHODS:
            raise ValueError(f"client_auth must be one of {CLIENT_AUTH_METHODS}")
        if self.client_auth != "none" and not self.client_secret:
            raise ValueError(f"{self.client_auth} needs a client_secret")
        if "openid" not in self.scopes:
            raise ValueError("scopes must include 'openid'")
        self.token_settings()  # fail at start-up on a bad algorithm list

    def token_settings(self) -> TokenSettings:
        """What the id_token must satisfy."""
        return TokenSettings(self.issuer, self.client_id, self.algorithms, self.leeway,
                             self.required_claims)


@dataclass(frozen=True)
class ProviderMetadata:
    """The parts of the IdP's discovery document the flow uses."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


@dataclass(frozen=True)
class PendingLogin:
    """What the browser's round trip to the IdP must bring back; single-use."""

    state: str
    nonce: str
    code_verifier: str
    redirect_uri: str
    created_at: float
    next_url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly form for the session."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> PendingLogin:
        """Rebuild from :meth:`to_dict`; SignInError("no_pending_login") when unusable."""
        try:
            pending = cls(**data)
        except TypeError:
            raise SignInError("no_pending_login") from None
        texts = (pending.state, pending.nonce, pending.code_verifier, pending.redirect_uri)
        if not all(isinstance(value, str) and value for value in texts) or not isinstance(
                pending.created_at, int | float):
            raise SignInError("no_pending_login")
        return pending


class ReplayGuard(Protocol):
    """Remembers used one-time values; shared by all app hosts in a multi-host deployment."""

    def first_use(self, key: str, expires_at: float) -> bool:
        """Record ``key``; False when it was already recorded and has not expired."""
        ...


class MemoryReplayGuard:
    """A ReplayGuard for one process (tests, single-host deployments)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def first_use(self, key: str, expires_at: float) -> bool:
        """Record ``key``; False when it was already recorded and has not expired."""
        now = self._clock()
        with self._lock:
            self._seen = {k: until for k, until in self._seen.items() if until > now}
            if key in self._seen:
                return False
            self._seen[key] = expires_at
            return True


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class OidcClient:
    """The sign-in flow against one IdP; keep one per app (it caches metadata and keys)."""

    def __init__(
        self,
        settings: OidcSettings,
        *,
        replay_guard: ReplayGuard | None = None,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.replay_guard = replay_guard or MemoryReplayGuard(clock)
        self._clock = clock
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._metadata: ProviderMetadata | None = None
        self._metadata_at = 0.0
        self._jwks: JwksCache | None = None

    def metadata(self) -> ProviderMetadata:
        """The IdP's endpoints, from the cached discovery document (stale if the IdP is down)."""
        with self._lock:
            if self._metadata is None or (
                    self._monotonic() - self._metadata_at >= self.settings.metadata_ttl):
                try:
                    self._metadata = self._discover()
                    self._metadata_at = self._monotonic()
                except ProviderUnavailable:
                    if self._metadata is None:
                        raise
                    self._metadata_at = self._monotonic()  # retry after another ttl, not at once
            return self._metadata

    def _discover(self) -> ProviderMetadata:
        s = self.settings
        url = s.issuer.rstrip("/") + "/.well-known/openid-configuration"
        try:
            document = fetch_json(url, timeout=s.timeout, ca_file=s.ca_file,
                                  allow_insecure_loopback=s.allow_insecure_loopback)
        except ProviderUnavailable:
            raise
        except SignInError as exc:
            raise ProviderUnavailable("idp_unavailable", str(exc)) from None
        names = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
        if not isinstance(document, dict) or not all(
                isinstance(document.get(name), str) for name in names):
            raise ProviderUnavailable("idp_misconfigured", f"{url} lacks {names}")
        # OIDC Discovery 4.3: the document must name exactly the issuer it was fetched for.
        if document["issuer"] != s.issuer:
            raise ProviderUnavailable("idp_misconfigured",
                                      f"discovery names issuer {document['issuer']!r}")
        try:
            for name in names[1:]:
                check_url(document[name], allow_insecure_loopback=s.allow_insecure_loopback)
        except ValueError as exc:
            raise ProviderUnavailable("idp_misconfigured", str(exc)) from None
        metadata = ProviderMetadata(*(document[name] for name in names))
        if self._jwks is None or self._jwks.url != metadata.jwks_uri:
            self._jwks = JwksCache(
                metadata.jwks_uri, ttl=s.jwks_ttl, refetch_cooldown=s.jwks_refetch_cooldown,
                timeout=s.timeout, allow_insecure_loopback=s.allow_insecure_loopback,
                ca_file=s.ca_file, clock=self._monotonic)
        return metadata

    @property
    def jwks(self) -> JwksCache:
        """The IdP's signing keys (after discovery)."""
        self.metadata()
        assert self._jwks is not None
        return self._jwks

    def begin(self, redirect_uri: str, *, next_url: str | None = None,
              extra_params: Mapping[str, str] | None = None) -> tuple[str, PendingLogin]:
        """The IdP URL to send the browser to, and what to keep in the session until it returns.

        ``extra_params`` adds authorization parameters such as ``prompt`` or ``login_hint``.
        """
        endpoint = self.metadata().authorization_endpoint
        pending = PendingLogin(
            state=secrets.token_urlsafe(32), nonce=secrets.token_urlsafe(32),
            code_verifier=secrets.token_urlsafe(64), redirect_uri=redirect_uri,
            created_at=self._clock(), next_url=next_url)
        challenge = _b64(hashlib.sha256(pending.code_verifier.encode("ascii")).digest())
        params = {
            **(extra_params or {}),
            "response_type": "code",
            "client_id": self.settings.client_id,
            "redirect_uri": redirect_uri,
            "scope": " ".join(self.settings.scopes),
            "state": pending.state,
            "nonce": pending.nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        separator = "&" if urllib.parse.urlsplit(endpoint).query else "?"
        return endpoint + separator + urllib.parse.urlencode(params), pending

    def complete(self, params: Mapping[str, str], pending: PendingLogin) -> DirectoryPerson:
        """Finish the sign-in with the IdP's redirect parameters; one use per PendingLogin."""
        return self.settings.claims.person(self.complete_claims(params, pending))

    def complete_claims(self, params: Mapping[str, str], pending: PendingLogin) -> dict[str, Any]:
        """Like :meth:`complete`, returning the verified id_token claims."""
        state = params.get("state")
        if not isinstance(state, str) or not hmac.compare_digest(state, pending.state):
            raise SignInError("state_mismatch")
        expires_at = pending.created_at + self.settings.login_max_age
        if self._clock() >= expires_at:
            raise SignInError("login_expired")
        if not self.replay_guard.first_use("oidc-state:" + pending.state, expires_at):
            raise SignInError("replayed_state")
        if params.get("error"):
            raise SignInError("idp_refused", str(params["error"])[:200])
        code = params.get("code")
        if not isinstance(code, str) or not code:
            raise SignInError("missing_code")
        id_token = self._redeem(code, pending)
        claims = verify_id_token(id_token, self.settings.token_settings(), self.jwks,
                                 nonce=pending.nonce)
        token_expiry = max(float(claims["exp"]) + self.settings.leeway, expires_at)
        if not self.replay_guard.first_use("oidc-nonce:" + pending.nonce, token_expiry):
            raise SignInError("replayed_nonce")
        return claims

    def _redeem(self, code: str, pending: PendingLogin) -> str:
        s = self.settings
        form = {"grant_type": "authorization_code", "code": code,
                "redirect_uri": pending.redirect_uri, "code_verifier": pending.code_verifier}
        headers = {}
        if s.client_auth == "client_secret_basic":
            # RFC 6749 2.3.1: both parts are form-encoded before the Basic encoding.
            pair = f"{_form(s.client_id)}:{_form(s.client_secret or '')}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        else:
            form["client_id"] = s.client_id
            if s.client_auth == "client_secret_post":
                form["client_secret"] = s.client_secret or ""
        try:
            answer = fetch_json(self.metadata().token_endpoint, timeout=s.timeout, form=form,
                                headers=headers, ca_file=s.ca_file,
                                allow_insecure_loopback=s.allow_insecure_loopback)
        except ProviderUnavailable:
            raise
        except SignInError as exc:
            raise SignInError("token_refused", exc.detail) from None
        id_token = answer.get("id_token") if isinstance(answer, dict) else None
        if not isinstance(id_token, str):
            raise SignInError("no_id_token")
        return id_token


def _form(value: str) -> str:
    return urllib.parse.quote_plus(value)
