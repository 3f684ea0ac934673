"""A small OpenID Connect provider on 127.0.0.1 for tests, with keys generated at test time.

It serves a discovery document, a JWKS, an authorization endpoint that signs the person in at
once and redirects back with a code, and a token endpoint that checks the client's secret and
the PKCE verifier and answers an id_token signed with the current key. Tests can rotate keys,
count requests per path and take the whole server down (connections refused) and back up on
the same port.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

CLIENT_ID = "mentoring-kit"
CLIENT_SECRET = "test-client-secret"


@dataclass
class SigningKey:
    """A private key generated for the test, with its kid and algorithm."""

    kid: str
    alg: str
    private_key: Any

    @property
    def public_key(self) -> Any:
        """The public half."""
        return self.private_key.public_key()

    def public_jwk(self) -> dict[str, Any]:
        """The public key as a JWK, as an IdP publishes it."""
        codec = ECAlgorithm if self.alg.startswith("ES") else RSAAlgorithm
        jwk = codec.to_jwk(self.public_key, as_dict=True)
        return {**jwk, "kid": self.kid, "use": "sig", "alg": self.alg}

    def sign(self, claims: dict[str, Any], headers: dict[str, Any] | None = None) -> str:
        """A JWT with ``claims`` signed by this key (kid in the header unless overridden)."""
        return jwt.encode(claims, self.private_key, algorithm=self.alg,
                          headers={"kid": self.kid, **(headers or {})})


def rsa_key(kid: str | None = None, alg: str = "RS256") -> SigningKey:
    """A fresh 2048-bit RSA key for RS256 or PS256."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return SigningKey(kid or f"rsa-{secrets.token_hex(4)}", alg, private)


def ec_key(kid: str | None = None) -> SigningKey:
    """A fresh P-256 key for ES256."""
    return SigningKey(kid or f"ec-{secrets.token_hex(4)}", "ES256",
                      ec.generate_private_key(ec.SECP256R1()))


def jwks_of(*keys: SigningKey) -> dict[str, Any]:
    """A JWKS document publishing ``keys``."""
    return {"keys": [key.public_jwk() for key in keys]}


@dataclass
class _Grant:
    nonce: str | None
    challenge: str | None
    redirect_uri: str
    client_id: str


@dataclass
class LocalIdP:
    """The provider; use as a context manager. ``issuer`` is ``http://127.0.0.1:<port>``."""

    keys: list[SigningKey] = field(default_factory=list)
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET
    token_auth_method: str = "client_secret_basic"
    person: dict[str, Any] = field(default_factory=lambda: {
        "sub": "u-1001", "email": "amara.okafor@cityhall.example", "name": "Amara Okafor",
        "groups": ["staff", "mentors"], "department": "Engineering",
    })
    #: Claims merged into the next id_tokens (e.g. {"aud": "other"}), and a whole id_token
    #: to answer instead of a fresh one (replays).
    extra_claims: dict[str, Any] = field(default_factory=dict)
    id_token_override: str | None = None
    #: A JWKS document to serve instead of the public keys of :attr:`keys`.
    raw_jwks: dict[str, Any] | None = None
    hits: Counter[str] = field(default_factory=Counter)
    port: int = 0

    def __post_init__(self) -> None:
        if not self.keys:
            self.keys = [rsa_key()]
        self._grants: dict[str, _Grant] = {}
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def __enter__(self) -> LocalIdP:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        """Serve on 127.0.0.1 (a free port the first time, the same port afterwards)."""
        idp = self

        class Handler(_Handler):
            provider = idp

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and close the socket: connections are refused until :meth:`start`."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            assert self._thread is not None
            self._thread.join(timeout=5)
            self._server = None

    # -- what the tests read and change ----------------------------------------------------
    @property
    def issuer(self) -> str:
        """The issuer identifier (and base URL)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def jwks_url(self) -> str:
        """The JWKS endpoint."""
        return self.issuer + "/jwks"

    @property
    def signing_key(self) -> SigningKey:
        """The key new id_tokens are signed with (the last one added)."""
        return self.keys[-1]

    def rotate(self, new_key: SigningKey, *, keep_old: bool = True) -> None:
        """Publish ``new_key`` and sign with it from now on; drop the old keys unless kept."""
        self.keys = [*self.keys, new_key] if keep_old else [new_key]

    def id_token(self, *, nonce: str | None = None, key: SigningKey | None = None,
                 **claims: Any) -> str:
        """An id_token for :attr:`person` as the token endpoint would issue it."""
        now = int(time.time())
        payload = {"iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + 300,
                   **self.person, **self.extra_claims, **claims}
        if nonce is not None:
            payload["nonce"] = nonce
        return (key or self.signing_key).sign(payload)

    def authorize(self, url: str) -> dict[str, str]:
        """Open the authorization URL as a browser would; the redirect's query parameters."""
        opener = urllib.request.build_opener(_NoRedirect())
        try:
            opener.open(url, timeout=5).close()
        except urllib.error.HTTPError as exc:
            if exc.code != 302:
                raise
            location = exc.headers["Location"]
            exc.close()
            return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
        raise AssertionError("the authorization endpoint did not redirect")

    # -- endpoints -------------------------------------------------------------------------
    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": self.issuer + "/authorize",
            "token_endpoint": self.issuer + "/token",
            "jwks_uri": self.jwks_url,
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": sorted({k.alg for k in self.keys}),
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": [self.token_auth_method],
        }

    def grant(self, query: dict[str, str]) -> tuple[int, dict[str, str]]:
        redirect_uri = query.get("redirect_uri", "")
        if query.get("client_id") != self.client_id or not redirect_uri:
            return 400, {}
        if query.get("response_type") != "code" or query.get("code_challenge_method") != "S256":
            return 302, {"Location": _with_query(redirect_uri, error="invalid_request",
                                                 state=query.get("state", ""))}
        code = secrets.token_urlsafe(16)
        self._grants[code] = _Grant(query.get("nonce"), query.get("code_challenge"),
                                    redirect_uri, query["client_id"])
        return 302, {"Location": _with_query(redirect_uri, code=code,
                                             state=query.get("state", ""))}

    def token(self, form: dict[str, str], authorization: str | None) -> tuple[int, dict]:
        if self._client_of(form, authorization) != self.client_id:
            return 401, {"error": "invalid_client"}
        grant = self._grants.pop(form.get("code", ""), None)  # codes are single-use
        if grant is None or form.get("grant_type") != "authorization_code":
            return 400, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(
            hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if form.get("redirect_uri") != grant.redirect_uri or challenge != grant.challenge:
            return 400, {"error": "invalid_grant"}
        id_token = self.id_token_override or self.id_token(nonce=grant.nonce)
        return 200, {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer",
                     "expires_in": 300, "id_token": id_token}

    def _client_of(self, form: dict[str, str], authorization: str | None) -> str | None:
        if self.token_auth_method == "client_secret_post":
            ok = form.get("client_secret") == self.client_secret
            return form.get("client_id") if ok else None
        if not authorization or not authorization.startswith("Basic "):
            return None
        pair = base64.b64decode(authorization[6:]).decode()
        client_id, _, secret = pair.partition(":")
        client_id, secret = urllib.parse.unquote_plus(client_id), urllib.parse.unquote_plus(secret)
        return client_id if secret == self.client_secret else None


def _with_query(url: str, **params: str) -> str:
    return url + ("&" if "?" in url else "?") + urllib.parse.urlencode(params)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class _Handler(BaseHTTPRequestHandler):
    provider: LocalIdP

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        self.provider.hits[url.path] += 1
        if url.path == "/.well-known/openid-configuration":
            self._json(200, self.provider.discovery())
        elif url.path == "/jwks":
            self._json(200, self.provider.raw_jwks or jwks_of(*self.provider.keys))
        elif url.path == "/authorize":
            status, headers = self.provider.grant(dict(urllib.parse.parse_qsl(url.query)))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._json(404, {"error": "not_found"})

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        self.provider.hits[url.path] += 1
        length = int(self.headers.get("Content-Length") or 0)
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        if url.path == "/token":
            self._json(*self.provider.token(form, self.headers.get("Authorization")))
        else:
            self._json(404, {"error": "not_found"})

    def _json(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
