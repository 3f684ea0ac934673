"""Signing keys of an IdP or a proxy: a JWKS fetched over HTTPS and cached by ``kid``.

The cache keeps verifying with the keys it has when the JWKS endpoint is down, refetches
when a token names a key it does not know (a rotation), but at most once per cooldown, so a
flood of tokens with made-up ``kid`` values cannot turn into a flood of requests to the IdP.
"""

from __future__ import annotations

import functools
import json
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from jwt import PyJWK
from jwt.exceptions import PyJWKError, PyJWTError

from kit.auth.providers import ProviderUnavailable, SignInError

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
#: Key types a JWKS may hold for signature checks; symmetric ("oct") keys are never taken from
#: a JWKS, which closes the door on HS256 tokens keyed with published material.
ASYMMETRIC_KEY_TYPES = frozenset({"RSA", "EC", "OKP"})
MAX_RESPONSE_BYTES = 1024 * 1024

JwkDict = dict[str, Any]


class KeySource(Protocol):
    """Where token verification finds the public key a token names."""

    def signing_key(self, kid: str | None) -> JwkDict:
        """The JWK for ``kid``; SignInError("unknown_key") or ProviderUnavailable otherwise."""
        ...


def check_url(url: str, *, allow_insecure_loopback: bool = False) -> str:
    """Return ``url`` if it is https (or http on loopback when allowed); ValueError otherwise."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and allow_insecure_loopback and parts.hostname in LOOPBACK_HOSTS:
        return url
    raise ValueError(f"{url!r} must be an https URL (plain http only for 127.0.0.1 or localhost "
                     "with allow_insecure_loopback).")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect could lead from https to plain http or to another host: never follow one.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def fetch_json(
    url: str,
    *,
    timeout: float,
    allow_insecure_loopback: bool = False,
    ca_file: str | None = None,
    form: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Any:
    """GET ``url`` (or POST ``form``) and return the decoded JSON body.

    No answer within ``timeout``, a 5xx or a body that is not JSON raises ProviderUnavailable;
    a 4xx raises SignInError("idp_refused") with the OAuth ``error`` value as detail.
    """
    check_url(url, allow_insecure_loopback=allow_insecure_loopback)
    data = urllib.parse.urlencode(dict(form)).encode() if form is not None else None
    # check_url above admits only http(s), so no file: or custom scheme reaches urllib.
    request = urllib.request.Request(  # noqa: S310
        url, data=data, headers={"Accept": "application/json", **(headers or {})})
    opener = urllib.request.build_opener(
        _NoRedirect(), urllib.request.HTTPSHandler(context=_tls_context(ca_file)))
    try:
        with opener.open(request, timeout=timeout) as response:
            body = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        with exc:  # the error holds the response's socket
            if 400 <= exc.code < 500:
                raise SignInError("idp_refused", _oauth_error(exc)) from None
            raise ProviderUnavailable("idp_unavailable", f"{url} answered {exc.code}") from None
    except (OSError, ValueError) as exc:  # URLError, timeouts, refused connections, TLS errors
        raise ProviderUnavailable("idp_unavailable", f"{url}: {exc}") from None
    if len(body) > MAX_RESPONSE_BYTES:
        raise ProviderUnavailable("idp_unavailable", f"{url} answered more than 1 MiB")
    try:
        return json.loads(body)
    except ValueError:
        raise ProviderUnavailable("idp_unavailable", f"{url} did not answer JSON") from None


@functools.lru_cache(maxsize=8)
def _tls_context(ca_file: str | None) -> ssl.SSLContext:
    # Loading the CA store costs tens of milliseconds: once per CA file, not once per request.
    return ssl.create_default_context(cafile=ca_file)


def _oauth_error(exc: urllib.error.HTTPError) -> str:
    try:
        error = json.loads(exc.read(4096)).get("error")
    except (ValueError, AttributeError, OSError):
        error = None
    return error if isinstance(error, str) else f"HTTP {exc.code}"


def parse_jwks(document: Any) -> dict[str | None, JwkDict]:
    """The usable signing keys of a JWKS document by ``kid`` (None for a key without one)."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("not a JWKS document (no 'keys' list)")
    keys: dict[str | None, JwkDict] = {}
    for jwk in document["keys"]:
        if not isinstance(jwk, dict) or jwk.get("kty") not in ASYMMETRIC_KEY_TYPES:
            continue
        if jwk.get("use", "sig") != "sig" or any(name in jwk for name in ("d", "p", "q")):
            continue  # encryption keys, and private keys published by mistake, are not used
        kid = jwk.get("kid")
        if kid is not None and not isinstance(kid, str):
            continue
        try:
            PyJWK(jwk)
        except (PyJWKError, PyJWTError):
            continue
        keys[kid] = jwk
    return keys


def _pick(keys: Mapping[str | None, JwkDict], kid: str | None) -> JwkDict | None:
    if kid is not None:
        return keys.get(kid)
    # A token without kid is accepted only when the set leaves no choice.
    return next(iter(keys.values())) if len(keys) == 1 else None


class StaticJwks:
    """A fixed key set (keys pinned in configuration instead of fetched)."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self._keys = parse_jwks(dict(document))

    def signing_key(self, kid: str | None) -> JwkDict:
        """The JWK for ``kid``, or SignInError("unknown_key")."""
        jwk = _pick(self._keys, kid)
        if jwk is None:
            raise SignInError("unknown_key", f"no key with kid {kid!r}")
        return jwk


class JwksCache:
    """A JWKS fetched from ``url`` and kept for ``ttl`` seconds, refreshed on an unknown kid.

    ``refetch_cooldown`` is the least time between two fetches, whatever triggers them; a
    failed fetch keeps the keys already known. ``clock`` is injectable for tests.
    """

    def __init__(
        self,
        url: str,
        *,
        ttl: float = 3600.0,
        refetch_cooldown: float = 60.0,
        timeout: float = 5.0,
        allow_insecure_loopback: bool = False,
        ca_file: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = check_url(url, allow_insecure_loopback=allow_insecure_loopback)
        self.ttl = ttl
        self.refetch_cooldown = refetch_cooldown
        self.timeout = timeout
        self._allow_insecure_loopback = allow_insecure_loopback
        self._ca_file = ca_file
        self._clock = clock
        self._lock = threading.Lock()
        self._keys: dict[str | None, JwkDict] = {}
        self._fetched_at: float | None = None  # last successful fetch
        self._tried_at: float | None = None  # last attempt, successful or not
        self._last_error: SignInError | None = None
        self.fetch_count = 0

    def signing_key(self, kid: str | None) -> JwkDict:
        """The JWK for ``kid``, fetching the JWKS when it is stale or the kid is new."""
        keys = self._keys
        jwk = _pick(keys, kid)
        if jwk is not None and not self._stale():
            return jwk
        with self._lock:
            if self._may_fetch():
                self._fetch()
            jwk = _pick(self._keys, kid)
        if jwk is not None:
            return jwk
        if not self._keys and self._last_error is not None:
            raise ProviderUnavailable("jwks_unavailable", str(self._last_error))
        raise SignInError("unknown_key", f"no key with kid {kid!r} at {self.url}")

    def _stale(self) -> bool:
        return self._fetched_at is None or self._clock() - self._fetched_at >= self.ttl

    def _may_fetch(self) -> bool:
        return self._tried_at is None or self._clock() - self._tried_at >= self.refetch_cooldown

    def _fetch(self) -> None:
        self._tried_at = self._clock()
        self.fetch_count += 1
        try:
            document = fetch_json(self.url, timeout=self.timeout, ca_file=self._ca_file,
                                  allow_insecure_loopback=self._allow_insecure_loopback)
            keys = parse_jwks(document)
            if not keys:
                raise ValueError("the JWKS holds no usable signing key")
        except SignInError as exc:
            self._last_error = exc
            return
        except ValueError as exc:
            self._last_error = ProviderUnavailable("jwks_unavailable", f"{self.url}: {exc}")
            return
        # The whole set is replaced: a key the IdP withdrew stops verifying at once.
        self._keys = keys
        self._fetched_at = self._tried_at
        self._last_error = None
