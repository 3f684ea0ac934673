"""A throwaway OpenLDAP directory for the demo: the city's staff from ``ldap/cityhall.ldif``.

``./scripts/demo`` runs ``python -m cityhall.directory start DIR`` when slapd is installed: a
private slapd on 127.0.0.1 (a free port, its files in DIR, a root password made up for the
run) with the memberof overlay, loaded online from the example's LDIF so that people get
``memberOf``. It prints the directory's address on standard output and who may sign in on
standard error; ``stop DIR`` stops it and deletes DIR; ``check`` says why no directory can
run here (exit status 1). A real city points ``KIT_AUTH_PROVIDERS`` at its own directory.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from cityhall.config import DIRECTORY_SUFFIX as SUFFIX

HOST = "127.0.0.1"
#: Every person's password in the demo directory, which lives only while the demo runs.
DEMO_PASSWORD = "demo-password"  # noqa: S105 - invented people in a throwaway directory
LDIF = Path(__file__).resolve().parent.parent / "ldap" / "cityhall.ldif"
SLAPD = Path("/usr/sbin/slapd")
MODULE_PATH = Path("/usr/lib/ldap")
SCHEMA_DIR = Path("/etc/ldap/schema")
ROOT_DN = f"cn=admin,{SUFFIX}"
_ATTEMPTS = 3
_TIMEOUT = 10.0


class DirectoryError(RuntimeError):
    """The demo directory could not be started or loaded."""


def unavailable_reason() -> str | None:
    """Why the demo directory cannot run on this machine, or None when it can."""
    if not SLAPD.is_file():
        return f"{SLAPD} is not installed (apt-get install slapd)"
    for module in ("back_mdb", "memberof"):
        if not (MODULE_PATH / f"{module}.so").exists():
            return f"slapd's {module} module is missing from {MODULE_PATH}"
    if importlib.util.find_spec("ldap") is None:
        return "python-ldap is not installed (pip install -e '.[ldap]')"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _read_ldif(path: Path) -> list[tuple[str, dict[str, list[bytes]]]]:
    import ldif  # python-ldap's LDIF parser

    with path.open(encoding="utf-8") as stream:
        parser = ldif.LDIFRecordList(stream)
        parser.parse()
    return parser.all_records


def people(path: Path = LDIF) -> list[tuple[str, str, str]]:
    """(uid, display name, description) of each person in the LDIF, in file order."""
    found = []
    for _dn, entry in _read_ldif(path):
        if b"inetOrgPerson" in entry.get("objectClass", []):
            uid, name, about = (entry.get(attribute, [b""])[0].decode()
                                for attribute in ("uid", "displayName", "description"))
            found.append((uid, name, about))
    return found


class DemoDirectory:
    """A slapd whose files live in ``base_dir``; a context manager, or start() and stop().

    slapd runs as a daemon (it outlives ``python -m cityhall.directory start``), so stop()
    finds it again through the pid file that slapd writes in ``base_dir``.
    """

    def __init__(self, base_dir: Path, ldif: Path = LDIF) -> None:
        """Prepare a directory in ``base_dir``; nothing runs until start()."""
        self.base_dir = base_dir
        self.ldif = ldif
        self.port: int | None = None

    @property
    def uri(self) -> str:
        """The ``ldap://127.0.0.1:PORT`` address (plain LDAP: it never leaves this machine)."""
        if self.port is None:
            raise DirectoryError("the directory has not been started")
        return f"ldap://{HOST}:{self.port}"

    @property
    def _pid_file(self) -> Path:
        return self.base_dir / "slapd.pid"

    def start(self) -> DemoDirectory:
        """Write the configuration, start slapd on a free port and load the LDIF."""
        reason = unavailable_reason()
        if reason is not None:
            raise DirectoryError(reason)
        root_password = secrets.token_urlsafe(24)
        (self.base_dir / "db").mkdir(parents=True, mode=0o700)
        conf = self.base_dir / "slapd.conf"
        conf.write_text(self._config(root_password))
        conf.chmod(0o600)
        for attempt in range(_ATTEMPTS):
            # Another program may take the port between probing and binding: try again.
            self.port = _free_port()
            status = subprocess.run(  # noqa: S603 - fixed binary, no shell
                [str(SLAPD), "-f", str(conf), "-h", f"{self.uri}/"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, timeout=_TIMEOUT, check=False,
            ).returncode
            if status == 0:
                break
            if attempt == _ATTEMPTS - 1:
                raise DirectoryError(f"slapd did not start (exit status {status}):\n"
                                     f"{self._diagnose(conf)}")
        self._wait_until_listening()
        self._load(root_password)
        return self

    def stop(self) -> None:
        """Stop slapd and delete ``base_dir``; safe to call more than once."""
        try:
            pid = int(self._pid_file.read_text().strip())
        except (OSError, ValueError):
            pid = None
        if pid is not None:
            self._terminate(pid)
        shutil.rmtree(self.base_dir, ignore_errors=True)

    def __enter__(self) -> DemoDirectory:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def _config(self, root_password: str) -> str:
        lines = [
            *(f"include {SCHEMA_DIR / name}.schema"
              for name in ("core", "cosine", "inetorgperson")),
            f"modulepath {MODULE_PATH}",
            "moduleload back_mdb",
            "moduleload memberof",
            f"pidfile {self._pid_file}",
            "database mdb",
            f'suffix "{SUFFIX}"',
            f'rootdn "{ROOT_DN}"',
            f"rootpw {root_password}",
            f"directory {self.base_dir / 'db'}",
            "maxsize 33554432",
            "dbnosync",
            "index objectClass,uid,member eq",
            # Anyone may search (the kit looks people up anonymously); passwords only bind.
            "access to attrs=userPassword by anonymous auth by * none",
            "access to * by * read",
            "overlay memberof",
            "memberof-group-oc groupOfNames",
            "memberof-member-ad member",
            "memberof-memberof-ad memberOf",
        ]
        return "\n".join(lines) + "\n"

    def _diagnose(self, conf: Path) -> str:
        # A daemon logs to syslog; slapd's configuration test says what is wrong on stderr.
        result = subprocess.run(  # noqa: S603 - fixed binary, no shell
            [str(SLAPD), "-Tt", "-f", str(conf)], stdin=subprocess.DEVNULL,
            capture_output=True, text=True, timeout=_TIMEOUT, check=False,
        )
        return (result.stderr or result.stdout).strip() or "the configuration test passed"

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + _TIMEOUT
        while time.monotonic() < deadline:
            try:
                socket.create_connection((HOST, self.port or 0), timeout=0.5).close()
            except OSError:
                time.sleep(0.05)
            else:
                return
        raise DirectoryError(f"slapd did not listen on {self.uri} within {_TIMEOUT:.0f}s")

    def _load(self, root_password: str) -> None:
        # Online, not slapadd: the memberof overlay only sees entries added through slapd.
        import ldap
        import ldap.modlist

        conn = ldap.initialize(self.uri)
        try:
            conn.simple_bind_s(ROOT_DN, root_password)
            for dn, entry in _read_ldif(self.ldif):
                conn.add_s(dn, ldap.modlist.addModlist(entry))
        except ldap.LDAPError as exc:
            raise DirectoryError(f"loading {self.ldif.name} failed: {exc}") from exc
        finally:
            conn.unbind_s()

    def _terminate(self, pid: int) -> None:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        # slapd deletes its pid file once it has shut down.
        deadline = time.monotonic() + _TIMEOUT
        while self._pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        if self._pid_file.exists():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def main(argv: Sequence[str] | None = None) -> int:
    """``check``, ``start DIR`` or ``stop DIR`` (see the module's documentation)."""
    parser = argparse.ArgumentParser(prog="python -m cityhall.directory",
                                     description="The demo's throwaway staff directory.")
    parser.add_argument("action", choices=("check", "start", "stop"))
    parser.add_argument("base_dir", nargs="?", type=Path,
                        help="an empty directory for slapd's files (start, stop)")
    args = parser.parse_args(argv)
    if args.action == "check":
        reason = unavailable_reason()
        if reason is not None:
            print(reason, file=sys.stderr)
        return 0 if reason is None else 1
    if args.base_dir is None:
        parser.error(f"{args.action} needs the directory for slapd's files")
    directory = DemoDirectory(args.base_dir)
    if args.action == "stop":
        directory.stop()
        return 0
    try:
        directory.start()
    except (DirectoryError, OSError, subprocess.SubprocessError) as exc:
        directory.stop()
        print(f"The demo directory did not start: {exc}", file=sys.stderr)
        return 1
    print(directory.uri)
    print(f"Staff directory on {directory.uri}; every password is {DEMO_PASSWORD!r}:",
          file=sys.stderr)
    for uid, name, description in people():
        print(f"  {uid:<12} {name:<20} {description}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
