"""A real, throwaway OpenLDAP slapd for tests, and a silent server that never answers.

The server lives in a temporary directory: a slapd.conf with the mdb backend, the memberof
overlay (so people get ``memberOf``) and refint, listening on 127.0.0.1 on free ports. With
``tls=True`` it also speaks LDAPS and StartTLS with a certificate for 127.0.0.1/localhost signed
by a CA made at start-up; ``ca_file`` trusts it, ``other_ca_file`` is a CA that does not.
``ldap/ad-style.schema`` adds sAMAccountName, userPrincipalName and userAccountControl.
Entries are loaded online with ldapadd, since slapadd bypasses the overlays.

The server allows ``bind_anon_dn``: a bind with a DN and an empty password succeeds as
anonymous, as Active Directory does by default. The kit must refuse it before binding.
"""

from __future__ import annotations

import atexit
import datetime as dt
import ipaddress
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType

from servers.base import ThrowawayServer

HOST = "127.0.0.1"
SUFFIX = "dc=city,dc=example"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "root-secret"
CITY_LDIF = Path(__file__).parent / "ldap" / "city.ldif"
AD_SCHEMA = Path(__file__).parent / "ldap" / "ad-style.schema"
SLAPD = "/usr/sbin/slapd"
MODULE_PATH = "/usr/lib/ldap"
SCHEMA_DIR = "/etc/ldap/schema"
_START_ATTEMPTS = 3
_READY_TIMEOUT = 10.0


class SlapdError(RuntimeError):
    """The server could not be set up, started or loaded."""


def unavailable_reason() -> str | None:
    """Say why a server cannot be started here, or return None when it can."""
    if not Path(SLAPD).is_file():
        return f"{SLAPD} not found (apt-get install slapd ldap-utils)"
    if shutil.which("ldapadd") is None:
        return "ldapadd not found (apt-get install ldap-utils)"
    if not Path(MODULE_PATH, "back_mdb.so").exists():
        return f"back_mdb module not found in {MODULE_PATH}"
    try:
        import ldap  # noqa: F401
    except ImportError:
        return "python-ldap is not installed (pip install -e '.[dev]')"
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _write_certificates(directory: Path) -> dict[str, Path]:
    """A CA, a server certificate it signs (127.0.0.1, localhost) and an unrelated CA."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)

    def name(common_name: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])

    def ca(common_name: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (
            x509.CertificateBuilder()
            .subject_name(name(common_name))
            .issuer_name(name(common_name))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True, content_commitment=False, key_encipherment=False,
                    data_encipherment=False, key_agreement=False, key_cert_sign=True,
                    crl_sign=True, encipher_only=False, decipher_only=False,
                ),
                critical=True,
            )
            .sign(key, hashes.SHA256())
        )
        return key, cert

    ca_key, ca_cert = ca("City Hall Test CA")
    _, other_ca_cert = ca("Somebody Else's CA")
    server_key = ec.generate_private_key(ec.SECP256R1())
    server_cert = (
        x509.CertificateBuilder()
        .subject_name(name("localhost"))
        .issuer_name(ca_cert.subject)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([
                x509.DNSName("localhost"),
                x509.IPAddress(ipaddress.ip_address(HOST)),
            ]),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    files = {
        "ca": directory / "ca.pem",
        "other_ca": directory / "other-ca.pem",
        "cert": directory / "server.pem",
        "key": directory / "server.key",
    }
    files["ca"].write_bytes(ca_cert.public_bytes(pem))
    files["other_ca"].write_bytes(other_ca_cert.public_bytes(pem))
    files["cert"].write_bytes(server_cert.public_bytes(pem))
    files["key"].write_bytes(
        server_key.private_bytes(
            pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    files["key"].chmod(0o600)
    return files


class SlapdServer(ThrowawayServer):
    """A private slapd; use as a context manager so it always stops."""

    def __init__(self, ldif: Path | None = CITY_LDIF, tls: bool = True) -> None:
        """Prepare the server; nothing runs until start()."""
        reason = unavailable_reason()
        if reason is not None:
            raise SlapdError(reason)
        self.ldif = ldif
        self.tls = tls
        self.base_dir: Path | None = None
        self.port: int | None = None
        self.tls_port: int | None = None
        self._certs: dict[str, Path] = {}
        self._process: subprocess.Popen[bytes] | None = None

    # -- addresses -------------------------------------------------------------

    @property
    def uri(self) -> str:
        """The plain ``ldap://`` URI (StartTLS upgrades it when the server has TLS)."""
        return f"ldap://{HOST}:{self._port(self.port)}"

    @property
    def ldaps_uri(self) -> str:
        """The ``ldaps://`` URI; only with ``tls=True``."""
        if not self.tls:
            raise SlapdError("this server was started without TLS")
        return f"ldaps://{HOST}:{self._port(self.tls_port)}"

    @property
    def ca_file(self) -> str:
        """The CA certificate that signed the server's certificate."""
        return str(self._cert("ca"))

    @property
    def other_ca_file(self) -> str:
        """A CA certificate that did not sign the server's certificate."""
        return str(self._cert("other_ca"))

    @property
    def running(self) -> bool:
        """True while the slapd process is alive."""
        return self._process is not None and self._process.poll() is None

    # -- lifecycle ---------------------------------------------------------------

    def start(self) -> SlapdServer:
        """Create the database and load the LDIF on first use, then start (no-op if running)."""
        if self.running:
            return self
        first = self.base_dir is None
        if first:
            self._prepare()
            atexit.register(self.stop)
        if self.port is not None:
            self._launch()
        else:
            self._launch_on_free_ports()
        if first and self.ldif is not None:
            self.load_ldif(self.ldif)
        return self

    def halt(self) -> None:
        """Stop the server but keep its data; start() brings it back on the same ports."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def stop(self) -> None:
        """Stop the server and delete its files. Safe to call more than once."""
        try:
            self.halt()
        finally:
            self._remove_files()

    def load_ldif(self, path: Path) -> None:
        """Add the entries of an LDIF file online (the overlays see every entry)."""
        result = subprocess.run(  # noqa: S603 - fixed tool, no shell
            ["ldapadd", "-x", "-H", self.uri, "-D", ROOT_DN, "-w", ROOT_PASSWORD,  # noqa: S607
             "-f", str(path)],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if result.returncode != 0:
            raise SlapdError(f"ldapadd {path.name} failed:\n{result.stdout}{result.stderr}")

    # -- internals -----------------------------------------------------------------

    def _port(self, port: int | None) -> int:
        if port is None:
            raise SlapdError("the server has not been started")
        return port

    def _cert(self, kind: str) -> Path:
        if kind not in self._certs:
            raise SlapdError("this server was started without TLS")
        return self._certs[kind]

    def _prepare(self) -> None:
        self.base_dir = Path(tempfile.mkdtemp(prefix="kit-slapd-"))
        (self.base_dir / "db").mkdir()
        tls_lines: list[str] = []
        if self.tls:
            self._certs = _write_certificates(self.base_dir)
            tls_lines = [
                f"TLSCACertificateFile {self._certs['ca']}",
                f"TLSCertificateFile {self._certs['cert']}",
                f"TLSCertificateKeyFile {self._certs['key']}",
            ]
        conf = [
            *(f"include {SCHEMA_DIR}/{name}.schema"
              for name in ("core", "cosine", "inetorgperson", "nis")),
            f"include {AD_SCHEMA}",
            f"modulepath {MODULE_PATH}",
            "moduleload back_mdb",
            "moduleload memberof",
            "moduleload refint",
            f"pidfile {self.base_dir / 'slapd.pid'}",
            f"argsfile {self.base_dir / 'slapd.args'}",
            # A DN with an empty password binds as anonymous: the kit must refuse it first.
            "allow bind_anon_dn",
            *tls_lines,
            "database mdb",
            f'suffix "{SUFFIX}"',
            f'rootdn "{ROOT_DN}"',
            f"rootpw {ROOT_PASSWORD}",
            f"directory {self.base_dir / 'db'}",
            "maxsize 33554432",
            "dbnosync",
            "index objectClass,uid,member,uniqueMember,memberUid eq",
            "access to attrs=userPassword by self write by anonymous auth by * none",
            "access to * by * read",
            "overlay memberof",
            "memberof-group-oc groupOfNames",
            "memberof-member-ad member",
            "memberof-memberof-ad memberOf",
            "memberof-refint TRUE",
            "overlay refint",
            "refint_attributes member uniqueMember",
        ]
        (self.base_dir / "slapd.conf").write_text("\n".join(conf) + "\n")

    def _launch_on_free_ports(self) -> None:
        # Another process may take a port between probing and binding: retry.
        for attempt in range(_START_ATTEMPTS):
            self.port = free_port()
            self.tls_port = free_port() if self.tls else None
            try:
                self._launch()
            except SlapdError:
                if attempt == _START_ATTEMPTS - 1:
                    raise
            else:
                return

    def _launch(self) -> None:
        base = self.base_dir
        if base is None:
            raise SlapdError("the server has not been created")
        urls = f"ldap://{HOST}:{self.port}/"
        if self.tls:
            urls += f" ldaps://{HOST}:{self.tls_port}/"
        log = (base / "slapd.log").open("ab")
        # -d keeps slapd in the foreground, so the process is ours to stop.
        self._process = subprocess.Popen(  # noqa: S603 - fixed binary, no shell
            [SLAPD, "-f", str(base / "slapd.conf"), "-h", urls, "-d", "0"],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + _READY_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self._process = None
                raise SlapdError(f"slapd exited at start-up:\n{self._log_tail()}")
            try:
                socket.create_connection((HOST, self._port(self.port)), timeout=0.5).close()
            except OSError:
                time.sleep(0.02)
            else:
                return
        self.halt()
        raise SlapdError(f"slapd did not listen within {_READY_TIMEOUT}s:\n{self._log_tail()}")

    def _log_tail(self, lines: int = 30) -> str:
        if self.base_dir is None:
            return ""
        try:
            text = (self.base_dir / "slapd.log").read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


class SilentServer:
    """A TCP server on 127.0.0.1 that accepts connections and never says a word.

    Proves that a bind gives up after the operation timeout: ``OPT_NETWORK_TIMEOUT`` alone
    covers only the TCP connect, which succeeds here.
    """

    def __init__(self) -> None:
        """Listen on a free port at once; accept in a background thread."""
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind((HOST, 0))
        self._sock.listen(16)
        self._sock.settimeout(0.1)
        self.port = int(self._sock.getsockname()[1])
        self._held: list[socket.socket] = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def uri(self) -> str:
        """The ``ldap://`` URI of the silent server."""
        return f"ldap://{HOST}:{self.port}"

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._held.append(conn)

    def close(self) -> None:
        """Stop accepting and drop every held connection."""
        self._stopping.set()
        self._thread.join(timeout=5)
        for conn in self._held:
            conn.close()
        self._sock.close()

    def __enter__(self) -> SilentServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
