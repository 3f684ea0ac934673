"""Where a kit page's time goes: single requests in-process, statements and a profile.

Run from the project root (as a module, like bench.http)::

    .venv/bin/python -m bench.profile_pages --scale 0.1            # a quick look
    .venv/bin/python -m bench.profile_pages --page dashboard --profile
    .venv/bin/python -m bench.profile_pages --url postgresql+psycopg://kit@127.0.0.1:5432/b

It starts a throwaway PostgreSQL server and seeds it with ``bench.seed.seed(url, scale)``
(``--url`` uses a database seeded before instead), builds the app the way bench/http.py does,
and sends each page ``--requests`` requests with Flask's test client, after a few to warm up.
For each page it prints the median time of a request (and of this process's CPU time, which
other load on a shared machine disturbs less), and the statements per request with the time
they took (SQLAlchemy cursor events: the time the database and the driver took); ``--sql``
lists one request's statements. ``--profile`` adds cProfile's 25 costliest functions, by
cumulative and by own time. Each run adds a benchmark API key to the database, as bench/http.py
does.
"""

from __future__ import annotations

import sys

if not __package__:  # bench/http.py would shadow the standard library's http package
    sys.exit("run it as a module from the project root: .venv/bin/python -m bench.profile_pages")

import argparse
import cProfile
import os
import pstats
import secrets
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from sqlalchemy import event

from bench.http import ROOT, choose_people, create_bench_app, seed_database, session_cookie


@dataclass
class Statements:
    """Statements one engine ran, with the time each took."""

    count: int = 0
    seconds: float = 0.0
    timed: list[tuple[str, float]] = field(default_factory=list)  # (statement, seconds)


@contextmanager
def timing_statements(app: Flask) -> Iterator[Statements]:
    """Count and time every statement the app's engine runs inside the block."""
    from kit import get_state

    with app.app_context():
        engine = get_state().db.engine
    seen = Statements()

    def before(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        conn.info.setdefault("bench_started", []).append(time.perf_counter())

    def after(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seconds = time.perf_counter() - conn.info["bench_started"].pop()
        seen.seconds += seconds
        seen.count += 1
        seen.timed.append((statement, seconds))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def measure(app: Flask, path: str, headers: dict[str, str], requests: int,
            profile: cProfile.Profile | None) -> tuple[float, float, Statements]:
    """Median milliseconds of one request (wall clock, then this process's CPU), and the
    statements of all ``requests``."""
    client = app.test_client()
    headers = dict(headers)
    if "Cookie" in headers:  # the test client keeps cookies in its jar, not in headers
        name, _, value = headers.pop("Cookie").partition("=")
        client.set_cookie(name, value)
    for _ in range(3):  # warm-up: templates compiled, catalogs loaded, pool connected
        response = client.get(path, headers=headers)
        if response.status_code != 200:
            raise SystemExit(f"{path}: status {response.status_code}")
    times, cpu_times = [], []
    with timing_statements(app) as statements:
        for _ in range(requests):
            started, cpu_started = time.perf_counter(), time.process_time()
            if profile is not None:
                profile.enable()
            client.get(path, headers=headers)
            if profile is not None:
                profile.disable()
            times.append(time.perf_counter() - started)
            cpu_times.append(time.process_time() - cpu_started)
    return statistics.median(times) * 1000, statistics.median(cpu_times) * 1000, statements


def print_profile(profile: cProfile.Profile, top: int = 25) -> None:
    """cProfile's costliest functions, by cumulative and by own time."""
    stats = pstats.Stats(profile, stream=sys.stdout)
    stats.strip_dirs()
    for key in ("cumulative", "tottime"):
        print(f"--- top {top} by {key}")
        stats.sort_stats(key).print_stats(top)


def pages_of(url: str, secret: str, seeded_by: str) -> list[tuple[str, str, dict[str, str]]]:
    """(name, path, headers) of each page bench/http.py measures, but the report."""
    signed = choose_people(url, secret, seeded_by)
    mentor = {"Cookie": session_cookie(url, secret, signed.mentor_id)}
    coordinator = {"Cookie": session_cookie(url, secret, signed.coordinator_id)}
    return [
        ("hello", "/hello", {}),
        ("dashboard", "/mentoring/staff/", mentor),
        ("queue", "/mentoring/coordinator/referrals", coordinator),
        ("api", "/mentoring/api/v1/referrals", {"Authorization": f"Bearer {signed.api_key}"}),
    ]


def run(url: str, args: argparse.Namespace, seeded_by: str) -> None:
    """Measure the chosen pages on the database at ``url``."""
    secret = secrets.token_hex(32)
    pages = [page for page in pages_of(url, secret, seeded_by)
             if not args.page or page[0] in args.page]
    os.environ.update(BENCH_DATABASE_URL=url, BENCH_SECRET_KEY=secret)
    app = create_bench_app()
    print(f"{args.requests} requests per page, median of one request:")
    for name, path, headers in pages:
        profile = cProfile.Profile() if args.profile else None
        median, cpu, statements = measure(app, path, headers, args.requests, profile)
        print(f"  {name:<10} {median:7.2f} ms  (CPU {cpu:6.2f} ms)  "
              f"{statements.count / args.requests:5.1f} statements "
              f"{statements.seconds * 1000 / args.requests:6.2f} ms in SQL", flush=True)
        if args.sql:  # each statement of one request, with its median time over the run
            per_request = statements.count // args.requests
            for i, (text, _) in enumerate(statements.timed[:per_request]):
                ms = statistics.median(t for _, t in statements.timed[i::per_request]) * 1000
                print(f"     {ms:6.2f} ms  {' '.join(text.split())[:140]}")
        if profile is not None:
            print_profile(profile)


def main(argv: list[str] | None = None) -> int:
    """Seed (unless ``--url``), then measure each page."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="data size (bench.seed)")
    parser.add_argument("--url", help="an already seeded database: no server, no seeding")
    parser.add_argument("--requests", type=int, default=50, help="measured requests per page")
    parser.add_argument("--page", action="append", choices=("hello", "dashboard", "queue", "api"),
                        help="measure only this page (repeatable)")
    parser.add_argument("--profile", action="store_true", help="print cProfile's top 25")
    parser.add_argument("--sql", action="store_true", help="print one request's statements")
    args = parser.parse_args(argv)
    if args.url:
        run(args.url, args, "an existing database")
        return 0
    sys.path.insert(0, str(ROOT / "tests"))
    from servers.postgres import PostgresServer

    with PostgresServer() as server:
        url = server.create_database("kit_bench")
        started = time.monotonic()
        seeded_by = seed_database(url, args.scale)
        print(f"seeded with {seeded_by} in {time.monotonic() - started:.0f} s", flush=True)
        run(url, args, seeded_by)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
