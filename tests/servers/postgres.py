"""A real, throwaway PostgreSQL server for tests.

The server lives in a temporary directory, listens on 127.0.0.1 on a free high
port, trusts every local connection as the ``kit`` role and trades durability
for speed (``fsync=off``). As root the PostgreSQL tools run as the ``postgres``
OS user, since initdb refuses to run as root.
"""

from __future__ import annotations

import atexit
import glob
import os
import re
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from servers.base import ThrowawayServer

if TYPE_CHECKING:
    from psycopg.sql import Composable

ROLE = "kit"
HOST = "127.0.0.1"
_SERVICE_USER = "postgres"
_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_START_ATTEMPTS = 3


class PostgresServerError(RuntimeError):
    """The server could not be set up, started or stopped."""


def _version_key(bindir: str) -> tuple[int, ...]:
    version = Path(bindir).parent.name
    return tuple(int(part) for part in re.findall(r"\d+", version)) or (0,)


def find_bindir() -> Path | None:
    """Return the newest PostgreSQL bin directory holding initdb and pg_ctl, or None."""
    candidates = [
        d
        for d in glob.glob("/usr/lib/postgresql/*/bin")
        if os.access(os.path.join(d, "initdb"), os.X_OK)
        and os.access(os.path.join(d, "pg_ctl"), os.X_OK)
    ]
    if not candidates:
        return None
    return Path(max(candidates, key=_version_key))


def _running_as_root() -> bool:
    return os.geteuid() == 0


def _service_user_ids() -> tuple[int, int] | None:
    import pwd

    try:
        entry = pwd.getpwnam(_SERVICE_USER)
    except KeyError:
        return None
    return entry.pw_uid, entry.pw_gid


def unavailable_reason() -> str | None:
    """Say why a server cannot be started here, or return None when it can."""
    if find_bindir() is None:
        return (
            "PostgreSQL binaries not found under /usr/lib/postgresql/*/bin"
            " (apt-get install postgresql)"
        )
    if _running_as_root():
        if _service_user_ids() is None:
            return f"running as root and there is no '{_SERVICE_USER}' user to run PostgreSQL"
        if shutil.which("runuser") is None:
            return "running as root and runuser is missing"
    return None


def available() -> bool:
    """Return True when a throwaway PostgreSQL server can be started on this machine."""
    return unavailable_reason() is None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _check_name(name: str) -> str:
    if not _NAME_RE.match(name):
        raise ValueError(f"invalid database name for tests: {name!r}")
    return name


class PostgresServer(ThrowawayServer):
    """A private PostgreSQL server; use as a context manager so it always stops."""

    def __init__(self) -> None:
        """Prepare the server; nothing runs until start()."""
        bindir = find_bindir()
        if bindir is None:
            raise PostgresServerError(unavailable_reason() or "PostgreSQL is not available")
        self.bindir = bindir
        self.port: int | None = None
        self.base_dir: Path | None = None
        self._running = False

    available = staticmethod(available)

    # -- lifecycle ---------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        """The cluster's data directory."""
        return self._base() / "data"

    @property
    def log_file(self) -> Path:
        """The server log, useful when a test fails."""
        return self._base() / "server.log"

    @property
    def running(self) -> bool:
        """True while the server accepts connections."""
        return self._running

    def start(self) -> PostgresServer:
        """Create the cluster on first use and start the server (no-op if running)."""
        if self._running:
            return self
        if self.base_dir is None:
            self._initdb()
            atexit.register(self.stop)
        if self.port is not None:
            self._pg_start(self.port)
        else:
            self._start_on_free_port()
        return self

    def halt(self, mode: str = "fast") -> None:
        """Stop the server but keep its data; start() brings it back on the same port.

        ``mode`` is pg_ctl's shutdown mode: smart, fast or immediate (a crash).
        """
        if not self._running:
            return
        self._running = False
        self._pg_ctl("stop", "-w", "-t", "60", "-m", mode)

    def restart(self, mode: str = "fast") -> None:
        """Stop and start the server on the same port; open connections are cut."""
        self.halt(mode)
        self.start()

    def stop(self) -> None:
        """Stop the server and delete its files. Safe to call more than once."""
        try:
            if self._running:
                try:
                    self.halt("fast")
                except PostgresServerError:
                    self._pg_ctl("stop", "-w", "-t", "30", "-m", "immediate", check=False)
        finally:
            self._running = False
            self._remove_files()

    # -- databases -----------------------------------------------------------

    def url(self, dbname: str = "postgres") -> str:
        """Return the SQLAlchemy URL of a database on this server."""
        if self.port is None:
            raise PostgresServerError("the server has not been started")
        return f"postgresql+psycopg://{ROLE}@{HOST}:{self.port}/{_check_name(dbname)}"

    def create_database(self, name: str) -> str:
        """Create an empty database (UTF-8) and return its SQLAlchemy URL."""
        from psycopg import sql

        self._admin(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8'").format(
            sql.Identifier(_check_name(name))
        ))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, closing any connection still open to it."""
        from psycopg import sql

        self._admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(_check_name(name))
        ))

    def _admin(self, statement: Composable) -> None:
        import psycopg

        with psycopg.connect(
            host=HOST, port=self.port, user=ROLE, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(statement)

    # -- internals -----------------------------------------------------------

    def _base(self) -> Path:
        if self.base_dir is None:
            raise PostgresServerError("the server has not been created")
        return self.base_dir

    def _command(self, tool: str, *args: str) -> list[str]:
        cmd = [str(self.bindir / tool), *args]
        if _running_as_root():
            return ["runuser", "-u", _SERVICE_USER, "--", *cmd]
        return cmd

    def _run(self, cmd: list[str], what: str, check: bool = True) -> None:
        result = subprocess.run(  # noqa: S603 - fixed tool paths, no shell
            cmd,
            cwd=self._base(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=120,
            check=False,
        )
        if check and result.returncode != 0:
            raise PostgresServerError(
                f"{what} failed ({result.returncode}):\n{result.stdout}{self._log_tail()}"
            )

    def _pg_ctl(self, *args: str, check: bool = True) -> None:
        self._run(self._command("pg_ctl", "-D", str(self.data_dir), *args), "pg_ctl", check)

    def _initdb(self) -> None:
        self.base_dir = Path(tempfile.mkdtemp(prefix="kit-pg-"))
        if _running_as_root():
            ids = _service_user_ids()
            if ids is None:
                raise PostgresServerError(unavailable_reason() or "no postgres user")
            os.chown(self.base_dir, *ids)
        self._run(
            self._command(
                "initdb", "-D", str(self.data_dir), "-A", "trust", "-U", ROLE,
                "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
            ),
            "initdb",
        )

    def _start_on_free_port(self) -> None:
        # Another process may take the port between probing and binding: retry.
        for attempt in range(_START_ATTEMPTS):
            port = _free_port()
            try:
                self._pg_start(port)
            except PostgresServerError:
                if attempt == _START_ATTEMPTS - 1:
                    raise
            else:
                return

    def _pg_start(self, port: int) -> None:
        options = " ".join([
            f"-p {port}",
            f"-k {self._base()}",
            f"-c listen_addresses={HOST}",
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off",
        ])
        self._pg_ctl("start", "-w", "-t", "60", "-o", options, "-l", str(self.log_file))
        self.port = port
        self._running = True

    def _log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_file.read_text(errors="replace")
        except OSError:
            return ""
        return "\n--- server log ---\n" + "\n".join(text.splitlines()[-lines:])
