"""HTTP load benchmark: the kit under gunicorn on PostgreSQL, 32 users at once.

Run from the project root (as a module: a script named http.py would hide the standard
library's ``http`` package)::

    .venv/bin/python -m bench.http                 # the reports benchmark's data, scale 1.0
    .venv/bin/python -m bench.http --scale 0.1 --seconds 10

It starts a throwaway PostgreSQL server (tests/servers/postgres.py), fills it with
``bench.seed.seed(url, scale)`` (50,000 staff, 20,000 newcomers, 1,000,000 hours entries at
scale 1; the kit's demo program when that module is missing), serves the kit with gunicorn
(``--workers``, default 8: a kit request waits on PostgreSQL about a third of its time, so
four sync workers per core keep both cores busy) on 127.0.0.1 and drives each page in turn
with ``--users`` clients that send the next request as soon as the last one is answered (a
closed loop, no think time).
Signed-in pages get a session cookie signed with the app's secret, as a sign-in would leave it.

For each page it prints requests per second, the 50th and 99th percentile of the time to the
whole answer, errors, and the throughput as a share of a plain "hello" route on the same server
(the ceiling of this server and machine). Targets: every page >= 40 % of hello, p99 < 200 ms.
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as a script, this folder would shadow the standard library's http
    sys.exit("run it as a module from the project root: .venv/bin/python -m bench.http")

import argparse
import asyncio
import os
import secrets
import socket
import statistics
import subprocess
import time
from dataclasses import dataclass, field

from flask import Flask

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
HELLO = "/hello"


def create_bench_app() -> Flask:
    """The app gunicorn serves: a bare host with the kit on ``BENCH_DATABASE_URL``."""
    from kit import MentoringKit

    app = Flask("kit_bench")
    app.config.update(
        SECRET_KEY=os.environ["BENCH_SECRET_KEY"],
        SQLALCHEMY_DATABASE_URI=os.environ["BENCH_DATABASE_URL"],
        KIT_SECURE_COOKIES=False,  # plain HTTP on the loopback
        KIT_API_RATE_LIMIT=10**9,  # the benchmark is one key sending thousands of requests
    )
    MentoringKit().init_app(app)
    app.add_url_rule(HELLO, "hello", lambda: "hello")
    return app


# -- the data ----------------------------------------------------------------------------


@dataclass
class Signed:
    """Who the benchmark is: a mentor, a coordinator and an agency's API key."""

    mentor_id: int
    coordinator_id: int
    api_key: str
    seeded_by: str


def seed_database(url: str, scale: float) -> str:
    """Fill the database; return which seeder ran."""
    try:
        from bench.seed import seed
    except ImportError:
        seed = None
    if seed is not None:
        seed(url, scale=scale)
        return f"bench.seed.seed(scale={scale})"
    from kit import get_state
    from kit.demo.seed import seed_demo
    from kit.models import Base

    app = _local_app(url, secrets.token_hex(16))
    with app.app_context():
        Base.metadata.create_all(get_state().db.engine)
        seed_demo(get_state().db.session)
        get_state().db.session.remove()
        get_state().db.engine.dispose()
    return "kit.demo.seed.seed_demo (bench/seed.py was missing)"


def _local_app(url: str, secret: str) -> Flask:
    os.environ.update(BENCH_DATABASE_URL=url, BENCH_SECRET_KEY=secret)
    return create_bench_app()


def choose_people(url: str, secret: str, seeded_by: str) -> Signed:
    """The busiest mentor, a coordinator (made one if need be) and a key of the busiest agency."""
    from sqlalchemy import func, select, text

    from kit import get_state
    from kit.models import Match, Referral, StaffMember, VolunteerProfile
    from kit.services.agency_accounts import create_api_key
    from kit.services.audit import SYSTEM

    app = _local_app(url, secret)
    with app.app_context():
        db = get_state().db.session
        mentor_id = db.scalar(
            select(VolunteerProfile.staff_id).join(Match, Match.volunteer_id == VolunteerProfile.id)
            .group_by(VolunteerProfile.staff_id).order_by(func.count().desc()).limit(1))
        coordinator = db.scalars(select(StaffMember).where(
            StaffMember.roles.any(role="coordinator"))).first()
        if coordinator is None:
            coordinator = db.scalars(select(StaffMember).order_by(StaffMember.id)).first()
            db.execute(text("INSERT INTO kit_staff_role (staff_id, role) VALUES (:id, "
                            "'coordinator')"), {"id": coordinator.id})
        agency_id = db.scalar(select(Referral.agency_id).group_by(Referral.agency_id)
                              .order_by(func.count().desc()).limit(1))
        key = create_api_key(db, SYSTEM, agency_id=agency_id, name="Benchmark",
                             scopes=("referrals:read",)).secret
        db.commit()
        db.execute(text("ANALYZE"))
        signed = Signed(mentor_id, coordinator.id, key, seeded_by)
        db.remove()
        get_state().db.engine.dispose()
    return signed


def session_cookie(url: str, secret: str, staff_id: int) -> str:
    """A Cookie header for ``staff_id``, signed with the server's secret."""
    app = _local_app(url, secret)
    now = int(time.time())
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    value = serializer.dumps({"kit_identity": {"kind": "staff", "id": staff_id, "link": None,
                                               "at": now, "seen": now + 3600}})
    return f"{app.config['SESSION_COOKIE_NAME']}={value}"


# -- the load ----------------------------------------------------------------------------


@dataclass
class Result:
    """What one page's run measured."""

    name: str
    path: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    alone: float = 0.0  # median time of one request with no other traffic, in seconds

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[
            round(share * 100) - 1] * 1000


async def _request(port: int, raw: bytes) -> tuple[int, float]:
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(raw)
        await writer.drain()
        data = await reader.read()  # gunicorn's sync workers close after each answer
    finally:
        writer.close()
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
    return status, time.perf_counter() - started


async def _drive(port: int, result: Result, headers: dict[str, str], users: int,
                 seconds: float, warm_up: float) -> None:
    lines = [f"GET {result.path} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close",
             *(f"{k}: {v}" for k, v in headers.items())]
    raw = ("\r\n".join(lines) + "\r\n\r\n").encode()
    begin = time.perf_counter()
    measure_from = begin + warm_up
    stop_at = measure_from + seconds

    async def user() -> None:
        while time.perf_counter() < stop_at:
            status, elapsed = await _request(port, raw)
            # Counted when answered inside the window: a slow page still shows its rate.
            if measure_from <= time.perf_counter() <= stop_at:
                if status == 200:
                    result.latencies.append(elapsed)
                else:
                    result.errors += 1

    await asyncio.gather(*(user() for _ in range(users)))
    result.seconds = seconds


def run_load(port: int, pages: list[tuple[str, str, dict[str, str]]], users: int,
             seconds: float, warm_up: float) -> list[Result]:
    """Drive each page in turn; return its measurements."""
    results = []
    for name, path, headers in pages:
        result = Result(name, path)
        # The service time first: one user, so that queueing under load can be told apart.
        alone = Result(name, path)
        asyncio.run(_drive(port, alone, headers, 1, min(seconds, 3.0), 1.0))
        result.alone = statistics.median(alone.latencies) if alone.latencies else 0.0
        asyncio.run(_drive(port, result, headers, users, seconds, warm_up))
        results.append(result)
        print(f"  {name:<28} alone {result.alone * 1000:6.1f} ms"
              f" {result.rate:8.1f} req/s  p50 {result.percentile(0.5):6.1f} ms"
              f"  p99 {result.percentile(0.99):6.1f} ms  errors {result.errors}", flush=True)
    return results


# -- the server --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def start_gunicorn(url: str, secret: str, workers: int) -> tuple[subprocess.Popen[bytes], int]:
    """gunicorn serving the bench app on a free port; returns once /hello answers."""
    port = _free_port()
    env = {**os.environ, "BENCH_DATABASE_URL": url, "BENCH_SECRET_KEY": secret,
           "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
        [sys.executable, "-m", "gunicorn", "--workers", str(workers),
         "--config", "python:kit.gunicorn_conf", "--bind", f"{HOST}:{port}",
         "--backlog", "256", "--log-level", "warning",
         "bench.http:create_bench_app()"], cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = asyncio.run(_request(port, f"GET {HELLO} HTTP/1.1\r\nHost: x\r\n"
                                                   "Connection: close\r\n\r\n".encode()))
            if status == 200:
                return process, port
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not answer within 60 s")


def markdown(results: list[Result], hello: Result) -> str:
    """The results as the table of docs/performance.md."""
    rows = ["| page | path | alone ms | req/s | p50 ms | p99 ms | errors | % of hello |",
            "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        share = f"{100 * r.rate / hello.rate:.0f} %" if hello.rate else "-"
        rows.append(f"| {r.name} | `{r.path}` | {r.alone * 1000:.1f} | {r.rate:.0f} | "
                    f"{r.percentile(0.5):.1f} | "
                    f"{r.percentile(0.99):.1f} | {r.errors} | {share} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit 1 when a page misses a target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="data size (bench.seed)")
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=15.0, help="measured time per page")
    parser.add_argument("--warm-up", type=float, default=3.0, help="unmeasured time per page")
    parser.add_argument("--workers", type=int, default=8, help="gunicorn worker processes")
    parser.add_argument("--report", default="/mentoring/reports/hours",
                        help="the report page to measure")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT / "tests"))
    from servers.postgres import PostgresServer

    secret = secrets.token_hex(32)
    with PostgresServer() as server:
        url = server.create_database("kit_bench")
        started = time.monotonic()
        seeded_by = seed_database(url, args.scale)
        signed = choose_people(url, secret, seeded_by)
        print(f"seeded with {seeded_by} in {time.monotonic() - started:.0f} s", flush=True)
        mentor = {"Cookie": session_cookie(url, secret, signed.mentor_id)}
        coordinator = {"Cookie": session_cookie(url, secret, signed.coordinator_id)}
        pages = [
            ("hello (ceiling)", HELLO, {}),
            ("mentor's dashboard", "/mentoring/staff/", mentor),
            ("coordinator's referral queue", "/mentoring/coordinator/referrals", coordinator),
            ("report", args.report, coordinator),
            ("API referral list", "/mentoring/api/v1/referrals",
             {"Authorization": f"Bearer {signed.api_key}"}),
        ]
        process, port = start_gunicorn(url, secret, args.workers)
        try:
            print(f"gunicorn, {args.workers} workers, {args.users} users, "
                  f"{args.seconds:.0f} s per page:", flush=True)
            results = run_load(port, pages, args.users, args.seconds, args.warm_up)
        finally:
            process.terminate()
            process.wait(30)
    hello, kit_pages = results[0], results[1:]
    print()
    print(markdown(results, hello))
    missed = [r.name for r in kit_pages
              if r.errors or r.rate < 0.4 * hello.rate or r.percentile(0.99) >= 200]
    print(f"\ntargets (>= 40 % of hello, p99 < 200 ms, no errors) missed by: {missed or 'none'}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())

