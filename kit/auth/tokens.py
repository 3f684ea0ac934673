"""Verification of signed JWTs (OIDC id_tokens, proxy assertions) and their mapping to people.

Every refusal is a :class:`SignInError` with a stable code:

``token_too_large``, ``malformed_token``, ``algorithm_not_allowed``, ``unsupported_crit``,
``unknown_key`` (or ProviderUnavailable ``jwks_unavailable``), ``key_type_mismatch``,
``unusable_key``, ``bad_signature``, ``expired``, ``not_yet_valid``, ``wrong_issuer``,
``wrong_audience``, ``missing_claim`` (detail names the claim), ``wrong_azp``, ``nonce_mismatch``,
``invalid_token`` (anything else PyJWT refuses).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import jwt
from jwt import PyJWK
from jwt import exceptions as jwt_errors

from kit.auth.jwks import KeySource
from kit.auth.providers import DirectoryPerson, SignInError

DEFAULT_ALGORITHMS = ("RS256", "ES256", "PS256")
#: Which key a signature algorithm needs: (kty, crv). HS* and "none" are absent on purpose:
#: a verifier that trusts only published public keys must never accept a shared-secret MAC.
KEY_TYPES: dict[str, tuple[str, str | None]] = {
    **{f"{family}{bits}": ("RSA", None) for family in ("RS", "PS") for bits in (256, 384, 512)},
    "ES256": ("EC", "P-256"),
    "ES384": ("EC", "P-384"),
    "ES512": ("EC", "P-521"),
    "EdDSA": ("OKP", "Ed25519"),
}
# Claims whose absence would make a check silently pass.
ALWAYS_REQUIRED = ("iss", "aud", "exp", "iat")

_ERROR_CODES: tuple[tuple[type[Exception], str], ...] = (
    (jwt_errors.ExpiredSignatureError, "expired"),
    (jwt_errors.ImmatureSignatureError, "not_yet_valid"),
    (jwt_errors.InvalidIssuerError, "wrong_issuer"),
    (jwt_errors.InvalidAudienceError, "wrong_audience"),
    (jwt_errors.InvalidSignatureError, "bad_signature"),
    (jwt_errors.InvalidAlgorithmError, "algorithm_not_allowed"),
    (jwt_errors.InvalidKeyError, "unusable_key"),  # e.g. an RSA key shorter than 2048 bits
    (jwt_errors.DecodeError, "malformed_token"),
)


@dataclass(frozen=True)
class TokenSettings:
    """What a token must satisfy: who issued it, for whom, signed how, and how fresh."""

    issuer: str
    audience: str
    algorithms: tuple[str, ...] = DEFAULT_ALGORITHMS
    leeway: int = 60
    required_claims: tuple[str, ...] = ("sub",)
    max_token_bytes: int = 16 * 1024

    def __post_init__(self) -> None:
        if not self.issuer or not self.audience:
            raise ValueError("issuer and audience must not be empty")
        unsafe = [alg for alg in self.algorithms if alg not in KEY_TYPES]
        if unsafe or not self.algorithms:
            raise ValueError(f"algorithms must be a non-empty subset of {sorted(KEY_TYPES)}; "
                             f"refused {unsafe!r} (never 'none' or HS*)")
        if not 0 <= self.leeway <= 300:
            raise ValueError("leeway must be between 0 and 300 seconds")


def verify_jwt(
    token: str | bytes, settings: TokenSettings, keys: KeySource, *, nonce: str | None = None
) -> dict[str, Any]:
    """Verify signature and claims of ``token``; return its claims or raise SignInError."""
    if isinstance(token, bytes):
        try:
            token = token.decode("ascii")
        except UnicodeDecodeError:
            raise SignInError("malformed_token", "not ASCII") from None
    # Checked before any parsing so that a huge header cannot cost memory or CPU.
    if len(token) > settings.max_token_bytes:
        raise SignInError("token_too_large", f"{len(token)} bytes")
    header = _header(token)
    alg = header.get("alg")
    if alg not in settings.algorithms:
        raise SignInError("algorithm_not_allowed", repr(alg))
    if "crit" in header:
        # No JWS extension is understood here, so any critical one must be refused (RFC 7515).
        raise SignInError("unsupported_crit", repr(header["crit"]))
    kid = header.get("kid")
    if kid is not None and not isinstance(kid, str):
        raise SignInError("malformed_token", "kid is not a string")
    key = _key_for(keys.signing_key(kid), alg)
    required = list(dict.fromkeys((*ALWAYS_REQUIRED, *settings.required_claims)))
    try:
        claims = jwt.decode(
            token, key=key, algorithms=[alg], audience=settings.audience, issuer=settings.issuer,
            leeway=settings.leeway,
            options={"require": required, "enforce_minimum_key_length": True},
        )
    except jwt_errors.MissingRequiredClaimError as exc:
        raise SignInError("missing_claim", exc.claim) from None
    except jwt_errors.PyJWTError as exc:
        code = next((code for kind, code in _ERROR_CODES if isinstance(exc, kind)),
                    "invalid_token")
        raise SignInError(code, str(exc)) from None
    _check_azp(claims, settings.audience)
    if nonce is not None:
        value = claims.get("nonce")
        if not isinstance(value, str) or not hmac.compare_digest(value, nonce):
            raise SignInError("nonce_mismatch")
    return claims


def verify_id_token(
    token: str | bytes, settings: TokenSettings, keys: KeySource, *, nonce: str | None = None
) -> dict[str, Any]:
    """Verify an OIDC id_token: :func:`verify_jwt` with ``sub`` always required."""
    if "sub" not in settings.required_claims:
        settings = replace(settings, required_claims=(*settings.required_claims, "sub"))
    return verify_jwt(token, settings, keys, nonce=nonce)


def _header(token: str) -> dict[str, Any]:
    # Read here rather than with jwt.get_unverified_header, which folds an unknown "crit" into
    # a generic error: the refusal should say what was wrong.
    parts = token.split(".")
    if len(parts) != 3:
        raise SignInError("malformed_token", "not three dot-separated parts")
    try:
        header = json.loads(base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4)))
    except (ValueError, binascii.Error):
        raise SignInError("malformed_token", "header is not base64url JSON") from None
    if not isinstance(header, dict):
        raise SignInError("malformed_token", "header is not a JSON object")
    return header


def _key_for(jwk: Mapping[str, Any], alg: str) -> PyJWK:
    kty, crv = KEY_TYPES[alg]
    if jwk.get("kty") != kty or (crv is not None and jwk.get("crv") != crv):
        raise SignInError("key_type_mismatch", f"{alg} token for a {jwk.get('kty')} key")
    if jwk.get("alg") not in (None, alg):
        raise SignInError("key_type_mismatch", f"{alg} token for a {jwk.get('alg')} key")
    try:
        return PyJWK(dict(jwk), algorithm=alg)
    except jwt_errors.PyJWTError as exc:
        raise SignInError("key_type_mismatch", str(exc)) from None


def _check_azp(claims: Mapping[str, Any], client_id: str) -> None:
    aud = claims.get("aud")
    azp = claims.get("azp")
    if isinstance(aud, list) and len(aud) > 1 and azp is None:
        raise SignInError("missing_claim", "azp")
    if azp is not None and azp != client_id:
        raise SignInError("wrong_azp", repr(azp))


def claim(claims: Mapping[str, Any], path: str) -> Any:
    """The value at ``path`` in ``claims``; dots walk nested objects ("realm_access.roles")."""
    if path in claims:
        return claims[path]
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


@dataclass(frozen=True)
class ClaimMapping:
    """Which claim holds each field of a :class:`DirectoryPerson` (None: not provided)."""

    directory_id: str = "sub"
    email: str = "email"
    display_name: str = "name"
    department: str | None = None
    title: str | None = None
    employee_number: str | None = None
    preferred_locale: str | None = "locale"
    groups: str | None = "groups"

    def person(self, claims: Mapping[str, Any]) -> DirectoryPerson:
        """The person the verified ``claims`` describe; SignInError("missing_claim") if unsure."""
        directory_id = _text(claims, self.directory_id)
        email = _text(claims, self.email)
        if directory_id is None:
            raise SignInError("missing_claim", self.directory_id)
        if email is None:
            raise SignInError("missing_claim", self.email)
        return DirectoryPerson(
            directory_id=directory_id,
            email=email,
            display_name=_text(claims, self.display_name) or email,
            department=_text(claims, self.department),
            title=_text(claims, self.title),
            employee_number=_text(claims, self.employee_number),
            preferred_locale=_text(claims, self.preferred_locale),
            groups=_groups(claims, self.groups),
        )


def _text(claims: Mapping[str, Any], path: str | None) -> str | None:
    value = claim(claims, path) if path else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _groups(claims: Mapping[str, Any], path: str | None) -> frozenset[str]:
    value = claim(claims, path) if path else None
    if isinstance(value, str):
        value = value.split()  # some IdPs send one space-separated string
    if not isinstance(value, list):
        return frozenset()
    return frozenset(item for item in value if isinstance(item, str) and item)
