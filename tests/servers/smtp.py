"""A real SMTP server on 127.0.0.1 for tests (aiosmtpd), recording every message it accepts.

It listens on a free port that it keeps across ``stop()`` and ``start()``, so a test can take
the mail server down and bring it back where the kit expects it. With ``tls="starttls"`` or
``tls="ssl"`` it presents a certificate for 127.0.0.1 signed by a throwaway CA (``ca_file``);
with ``login=(user, password)`` it offers AUTH over TLS only, as real servers do.

aiosmtpd is a development dependency: it is imported unconditionally so that CI fails, rather
than skips, when it is missing.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import socket
import ssl
import tempfile
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Received:
    """One message as the server got it: the envelope and the parsed message."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes
    message: EmailMessage
    authenticated: bool


class _Recorder:
    def __init__(self) -> None:
        self.messages: list[Received] = []
        self.refused: set[str] = set()
        self.lock = threading.Lock()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.refused:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = bytes(envelope.original_content or envelope.content)
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        with self.lock:
            self.messages.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), raw,
                                          parsed, bool(session.authenticated)))
        return "250 Message accepted for delivery"


def _write_certificates(directory: Path) -> tuple[Path, Path, Path]:
    """A CA and a server certificate for 127.0.0.1 and localhost that it signs."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)

    def builder(subject: str, issuer: str, key: ec.EllipticCurvePrivateKey) -> Any:
        return (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
        )

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = builder("Mail Test CA", "Mail Test CA", ca_key).add_extension(
        x509.BasicConstraints(ca=True, path_length=0), critical=True
    ).sign(ca_key, hashes.SHA256())
    key = ec.generate_private_key(ec.SECP256R1())
    cert = builder("localhost", "Mail Test CA", key).add_extension(
        x509.SubjectAlternativeName(
            [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(HOST))]
        ),
        critical=False,
    ).sign(ca_key, hashes.SHA256())
    pem = serialization.Encoding.PEM
    paths = directory / "ca.pem", directory / "server.pem", directory / "server.key"
    paths[0].write_bytes(ca_cert.public_bytes(pem))
    paths[1].write_bytes(cert.public_bytes(pem))
    paths[2].write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


class SMTPServer:
    """A recording SMTP server; use as a context manager so that it always stops."""

    def __init__(self, *, tls: str | None = None,
                 login: tuple[str, str] | None = None) -> None:
        """Prepare the server on a free port; ``start()`` (or ``with``) runs it."""
        if tls not in (None, "starttls", "ssl"):
            raise ValueError("tls must be None, 'starttls' or 'ssl'")
        self.port = free_port()
        self.tls = tls
        self.login = login
        self._recorder = _Recorder()
        self._controller: Controller | None = None
        self._tmp = tempfile.TemporaryDirectory(prefix="kit-smtp-")
        self.ca_file: str | None = None
        self._server_context: ssl.SSLContext | None = None
        if tls:
            ca, cert, key = _write_certificates(Path(self._tmp.name))
            self.ca_file = str(ca)
            self._server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            self._server_context.load_cert_chain(cert, key)

    @property
    def host(self) -> str:
        """The address the server listens on."""
        return HOST

    @property
    def running(self) -> bool:
        """True while the server accepts connections."""
        return self._controller is not None

    @property
    def messages(self) -> list[Received]:
        """A copy of every message received so far, in order."""
        with self._recorder.lock:
            return list(self._recorder.messages)

    def refuse(self, address: str) -> None:
        """Answer 550 (no such user) for ``address`` from now on."""
        with self._recorder.lock:
            self._recorder.refused.add(address)

    def client_context(self) -> ssl.SSLContext:
        """A client TLS context that trusts this server's CA."""
        return ssl.create_default_context(cafile=self.ca_file)

    def _authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str,
                      auth_data: Any) -> AuthResult:
        ok = (isinstance(auth_data, LoginPassword) and self.login is not None
              and (auth_data.login.decode(), auth_data.password.decode()) == self.login)
        return AuthResult(success=ok, handled=False)

    def start(self) -> SMTPServer:
        """Listen (again) on the server's port."""
        if self._controller is not None:
            return self
        options: dict[str, Any] = {}
        if self.tls == "ssl":
            options["ssl_context"] = self._server_context
        elif self.tls == "starttls":
            options.update(tls_context=self._server_context, require_starttls=True)
        if self.login is not None:
            # aiosmtpd counts only STARTTLS as TLS; over implicit TLS it must offer AUTH
            # without requiring it (``Received.authenticated`` tells whether the client did).
            implicit = self.tls == "ssl"
            options.update(authenticator=self._authenticate, auth_required=not implicit,
                           auth_require_tls=not implicit)
        controller = Controller(self._recorder, hostname=HOST, port=self.port,
                                server_hostname="localhost", ready_timeout=5, **options)
        controller.start()
        self._controller = controller
        return self

    def stop(self) -> None:
        """Stop listening: clients now get 'connection refused' on the same port."""
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    def close(self) -> None:
        """Stop and remove the certificates."""
        self.stop()
        self._tmp.cleanup()

    def __enter__(self) -> SMTPServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


class SilentServer:
    """Accepts TCP connections on 127.0.0.1 and never says a word: an SMTP server that hangs."""

    def __init__(self) -> None:
        """Listen on a free port at once; connections wait in the backlog unanswered."""
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind((HOST, 0))
        self._sock.listen(16)
        self.port = int(self._sock.getsockname()[1])

    def close(self) -> None:
        """Stop listening."""
        self._sock.close()

    def __enter__(self) -> SilentServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
