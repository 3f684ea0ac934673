"""The JWKS cache against a real HTTP server on 127.0.0.1: caching, rotation, floods, outages."""

from __future__ import annotations

import secrets
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from kit.auth.jwks import JwksCache
from kit.auth.providers import ProviderUnavailable, SignInError
from kit.auth.tokens import TokenSettings, verify_jwt
from servers.idp import CLIENT_ID, LocalIdP, SigningKey, ec_key, rsa_key


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="module")
def rsa() -> SigningKey:
    return rsa_key("rsa-1")


@pytest.fixture(scope="module")
def ec() -> SigningKey:
    return ec_key("ec-1")


@pytest.fixture
def idp(rsa: SigningKey, ec: SigningKey) -> Iterator[LocalIdP]:
    with LocalIdP(keys=[rsa, ec]) as provider:
        yield provider


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def cache(idp: LocalIdP, clock: Clock) -> JwksCache:
    return JwksCache(idp.jwks_url, ttl=3600, refetch_cooldown=60, timeout=2,
                     allow_insecure_loopback=True, clock=clock)


def verify(token: str, idp: LocalIdP, cache: JwksCache) -> dict[str, Any]:
    return verify_jwt(token, TokenSettings(idp.issuer, CLIENT_ID), cache)


def code_of(token: str, idp: LocalIdP, cache: JwksCache) -> str:
    with pytest.raises(SignInError) as caught:
        verify(token, idp, cache)
    return caught.value.code


def test_plain_http_is_refused_unless_loopback_is_explicitly_allowed(idp: LocalIdP) -> None:
    with pytest.raises(ValueError, match="https"):
        JwksCache(idp.jwks_url)
    with pytest.raises(ValueError, match="https"):
        JwksCache("http://idp.example/jwks", allow_insecure_loopback=True)
    assert JwksCache("https://idp.example/jwks").url == "https://idp.example/jwks"


def test_rsa_and_ec_tokens_verify_with_one_fetch(idp: LocalIdP, cache: JwksCache,
                                                 rsa: SigningKey, ec: SigningKey) -> None:
    for _ in range(5):
        assert verify(idp.id_token(key=rsa), idp, cache)["sub"] == "u-1001"
        assert verify(idp.id_token(key=ec), idp, cache)["sub"] == "u-1001"
    assert idp.hits["/jwks"] == 1


def test_rotated_key_is_verified_after_one_refetch(idp: LocalIdP, cache: JwksCache,
                                                   clock: Clock) -> None:
    verify(idp.id_token(), idp, cache)
    clock.advance(61)
    idp.rotate(rsa_key("rsa-2"))
    assert verify(idp.id_token(), idp, cache)["iss"] == idp.issuer
    verify(idp.id_token(), idp, cache)
    assert idp.hits["/jwks"] == 2


def test_rotation_within_the_cooldown_waits_for_the_cooldown(idp: LocalIdP, cache: JwksCache,
                                                             clock: Clock) -> None:
    verify(idp.id_token(), idp, cache)
    idp.rotate(ec_key("ec-2"))
    assert code_of(idp.id_token(), idp, cache) == "unknown_key"
    assert idp.hits["/jwks"] == 1
    clock.advance(60)
    assert verify(idp.id_token(), idp, cache)
    assert idp.hits["/jwks"] == 2


def test_withdrawn_key_stops_verifying_once_the_cache_expires(
        idp: LocalIdP, cache: JwksCache, clock: Clock, rsa: SigningKey) -> None:
    old_token = idp.id_token(key=rsa)
    verify(old_token, idp, cache)
    idp.rotate(rsa_key("rsa-3"), keep_old=False)
    clock.advance(3600)
    assert code_of(old_token, idp, cache) == "unknown_key"


def test_flood_of_random_kids_causes_no_refetch_storm(idp: LocalIdP, cache: JwksCache,
                                                      clock: Clock, ec: SigningKey) -> None:
    verify(idp.id_token(key=ec), idp, cache)
    refused = 0
    for _ in range(1000):
        clock.advance(0.05)  # the flood lasts 50 s of the cache's time: less than a cooldown
        token = ec.sign({"iss": idp.issuer, "aud": CLIENT_ID, "sub": "x",
                         "iat": int(time.time()), "exp": int(time.time()) + 60},
                        headers={"kid": secrets.token_hex(8)})
        refused += code_of(token, idp, cache) == "unknown_key"
    assert refused == 1000
    assert idp.hits["/jwks"] <= 2
    assert cache.fetch_count == idp.hits["/jwks"]
    # Genuine tokens kept verifying throughout.
    assert verify(idp.id_token(key=ec), idp, cache)


def test_jwks_down_with_a_warm_cache_keeps_verifying(idp: LocalIdP, cache: JwksCache,
                                                     clock: Clock) -> None:
    verify(idp.id_token(), idp, cache)
    token = idp.id_token()
    idp.stop()
    clock.advance(7200)  # past the ttl: the refetch fails, the known keys stay
    assert verify(token, idp, cache)["sub"] == "u-1001"
    assert code_of(ec_key("ec-9").sign({"sub": "x"}), idp, cache) == "unknown_key"
    idp.start()
    clock.advance(61)
    assert verify(token, idp, cache)
    assert cache.fetch_count == 3


def test_jwks_down_with_a_cold_cache_is_a_clear_unavailable(idp: LocalIdP,
                                                           cache: JwksCache) -> None:
    token = idp.id_token()
    idp.stop()
    with pytest.raises(ProviderUnavailable) as caught:
        verify(token, idp, cache)
    assert caught.value.code == "jwks_unavailable"


def test_silent_jwks_endpoint_fails_within_the_timeout(clock: Clock, rsa: SigningKey) -> None:
    # A server that accepts connections and never answers.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/jwks"
        cache = JwksCache(url, timeout=0.3, allow_insecure_loopback=True, clock=clock)
        started = time.monotonic()
        with pytest.raises(ProviderUnavailable):
            verify_jwt(rsa.sign({"sub": "x"}), TokenSettings("https://idp.example", "c"), cache)
        assert time.monotonic() - started < 2


def test_symmetric_and_private_keys_in_a_jwks_are_never_used(idp: LocalIdP,
                                                              cache: JwksCache) -> None:
    hmac_key = {"kty": "oct", "kid": "hmac-1", "k": "c2VjcmV0", "alg": "HS256"}
    leaked = {**ec_key("leaky").public_jwk(), "d": "AAAA"}
    idp.raw_jwks = {"keys": [hmac_key, leaked]}
    with pytest.raises(ProviderUnavailable) as caught:
        cache.signing_key("hmac-1")
    assert "no usable signing key" in caught.value.detail
