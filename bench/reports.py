"""Benchmark of the reports: every report page, export and the HR JSON on a large program.

Run from the project root (PostgreSQL 15 installed, see docs/reports.md):

    .venv/bin/python bench/reports.py               # 50,000 staff, 1,000,000 hours entries
    .venv/bin/python bench/reports.py --scale 0.1   # a tenth of that, for a quick look

It starts a throwaway PostgreSQL server (the tests' own, tests/servers/postgres.py), creates
the kit's schema, seeds it with bench/seed.py, then requests each URL as a signed-in
coordinator through the app, once to warm up and ``--repeat`` times to measure: without
filters (all time), for one year, and for one year, one department and one NOC category.
It prints one line per URL with the median and slowest time against the 500 ms target and
exits with 1 when a median misses it.
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import statistics
import sys
import time
from pathlib import Path

# The bench folder holds http.py, which would hide the standard library's http package from
# Flask: take the folder off the import path, and put the project root and tests/ on it.
_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path[:] = [str(ROOT), str(ROOT / "tests"),
               *(p for p in sys.path if Path(p or ".").resolve() != _HERE)]

from flask import Flask  # noqa: E402

from bench.seed import counts, seed  # noqa: E402
from kit import MentoringKit, get_state  # noqa: E402
from servers.postgres import PostgresServer  # noqa: E402

TARGET_MS = 500.0
REPORTS = ("hours", "funnel", "matches", "outcomes", "satisfaction")
YEAR = "date_from=2025-01-01&date_to=2025-12-31"
FILTERED = YEAR + "&department=Department+7&noc=2"
PATHS = ([("overview", "/"), ("printable page", "/print")]
         + [(name, f"/{name}") for name in REPORTS]
         + [(f"{name} CSV", f"/{name}.csv") for name in REPORTS]
         + [(f"{name} XLSX", f"/{name}.xlsx") for name in REPORTS]
         + [("HR JSON (500 staff a page)", "/hours.json"), ("funders CSV", "/funder.csv"),
            ("funders XLSX", "/funder.xlsx")])


def make_app(url: str) -> Flask:
    """A bare host application that embeds the kit on the benchmark's database."""
    app = Flask("kit_bench")
    app.config.update(SECRET_KEY=secrets.token_hex(16), SQLALCHEMY_DATABASE_URI=url,
                      KIT_SECURE_COOKIES=False)
    MentoringKit().init_app(app)
    return app


def measure(app: Flask, path: str, repeat: int) -> tuple[float, float, int, int]:
    """Median and slowest milliseconds of ``repeat`` requests (after one warm-up), the
    status code and the size of the answer."""
    client = app.test_client()
    now = int(time.time())
    with client.session_transaction() as session:
        session["kit_identity"] = {"kind": "staff", "id": 1, "link": None, "at": now,
                                   "seen": now}
    response = client.get(path)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times), response.status_code, len(response.data)


def main() -> int:
    """Seed, measure, print the table; 1 when a median misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 50,000 staff")
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per URL")
    args = parser.parse_args()
    load_at_start = os.getloadavg()
    with PostgresServer() as server:
        url = server.create_database("kit_bench")
        started = time.perf_counter()
        seed(url, args.scale)
        seeded = time.perf_counter() - started
        rows = counts(url)
        print(f"PostgreSQL {server.bindir.parent.name}, Python {platform.python_version()}, "
              f"{platform.machine()}, {os.cpu_count()} cores; seeded in {seeded:.1f} s:")
        print("  " + ", ".join(f"{table.removeprefix('kit_')} {n:,}"
                               for table, n in rows.items()))
        app = make_app(url)
        misses = 0
        print(f"\n| {'report':<28} | filters  | median ms | slowest ms | bytes     | "
              f"< {TARGET_MS:.0f} ms |")
        print(f"|{'-' * 30}|----------|-----------|------------|-----------|----------|")
        for label, path in PATHS:
            for name, query in (("all time", ""), ("one year", YEAR), ("typical", FILTERED)):
                full = f"/mentoring/reports{path}" + (f"?{query}" if query else "")
                median, slowest, status, size = measure(app, full, args.repeat)
                ok = status == 200 and median < TARGET_MS
                misses += not ok
                verdict = "yes" if ok else ("NO" if status == 200 else f"HTTP {status}")
                print(f"| {label:<28} | {name:<8} | {median:9.0f} | {slowest:10.0f} | "
                      f"{size:9,} | {verdict:<8} |", flush=True)
        with app.app_context():
            get_state().db.engine.dispose()
    # The machine may be shared: the load says how much the timings owe to other work.
    print("\nload average (1, 5, 15 min) at the start: {:.2f} {:.2f} {:.2f}, at the end: "
          "{:.2f} {:.2f} {:.2f}".format(*load_at_start, *os.getloadavg()))
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
