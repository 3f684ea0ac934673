"""Bulk-seed a PostgreSQL database with a large program, for the benchmarks.

At ``scale=1.0``: 50,000 staff (5,000 of them mentors, 60 departments), 20,000 newcomers with
40 agencies, about 22,000 referrals, 12,000 matches, 96,000 sessions, 1,000,000 hours entries
(summed into about 150,000 rows of the monthly roll-up), 86,000 check-ins and 9,000 outcomes,
in well under a minute: every table is filled by one
``INSERT ... SELECT`` over ``generate_series`` inside the server, so no row crosses the wire.

Use it as a module (the HTTP benchmark does)::

    from bench.seed import seed
    counts = seed("postgresql+psycopg://kit@127.0.0.1:5432/bench", scale=0.1)

The schema is created from the kit's models when it is missing; the database must hold no
program yet. The values are deterministic (no randomness): two runs give the same figures.
"""

from __future__ import annotations

import time

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from kit.models import Base
from kit.models.sessions import DEFAULT_SESSION_TYPES
from kit.services.hours_rollup import fill_statement
from kit.services.occupations import load_occupations

BASE_SIZES = {"staff": 50_000, "newcomers": 20_000, "hours": 1_000_000}
AGENCIES = 40
COHORTS = 12
DEPARTMENTS = 60
#: The day the seeded program is seen from: recent matches are active, older ones closed.
TODAY = "2026-11-20"

STEPS: list[tuple[str, str]] = [
    ("agencies", """
        INSERT INTO kit_agency (id, name, email, region)
        SELECT i, 'Agency ' || i, 'intake' || i || '@agency.example', 'Region ' || (i % 5)
        FROM generate_series(1, :agencies) AS g(i)"""),
    ("cohorts", """
        INSERT INTO kit_cohort (id, name, starts_on, ends_on)
        SELECT i, 'Cohort ' || i, DATE '2024-01-01' + (i - 1) * 120,
               DATE '2024-01-01' + (i - 1) * 120 + 119
        FROM generate_series(1, :cohorts) AS g(i)"""),
    ("staff", """
        INSERT INTO kit_staff_member (id, directory_id, email, display_name, department,
                                      employee_number, preferred_locale)
        SELECT i, 'bench' || i, 'staff' || i || '@city.example', 'Staff member ' || i,
               CASE WHEN i % 97 = 0 THEN NULL ELSE 'Department ' || (1 + i % :departments) END,
               'E' || lpad(i::text, 7, '0'), CASE WHEN i % 3 = 0 THEN 'fr' ELSE 'en' END
        FROM generate_series(1, :staff) AS g(i)"""),
    ("roles", """
        INSERT INTO kit_staff_role (staff_id, role) VALUES (1, 'coordinator'), (2, 'admin')"""),
    ("units", """
        CREATE TEMP TABLE bench_unit AS
        SELECT row_number() OVER (ORDER BY code) - 1 AS n, code
        FROM kit_occupation WHERE level = 'unit'"""),
    # Fresh temporary tables have no statistics: without them the planner loops over them.
    ("units stats", "ANALYZE bench_unit"),
    ("volunteers", """
        INSERT INTO kit_volunteer_profile (id, staff_id, noc_code, years_experience, capacity,
                                           goals_text, status)
        SELECT i, i * 10, u.code, 2 + i % 20, 1 + i % 3, '', 'approved'
        FROM generate_series(1, :staff / 10) AS g(i)
        JOIN bench_unit u ON u.n = (i * i) % 97"""),
    ("newcomers", """
        INSERT INTO kit_newcomer (id, given_name, family_name, email, immigration_status,
                                  target_noc_code, career_goal, preferred_locale)
        SELECT i, 'Given' || i, 'Family' || i, 'newcomer' || i || '@mail.example',
               'permanent_resident', u.code, '', CASE WHEN i % 4 = 0 THEN 'fr' ELSE 'en' END
        FROM generate_series(1, :newcomers) AS g(i)
        JOIN bench_unit u ON u.n = (i * i) % 97"""),
    ("referrals", """
        INSERT INTO kit_referral (newcomer_id, agency_id, status, submitted_at, cohort_id)
        SELECT i, 1 + i % :agencies,
               (ARRAY['accepted', 'accepted', 'accepted', 'accepted', 'accepted', 'accepted',
                      'referred_back', 'withdrawn', 'submitted', 'draft'])[(1 + i % 10)::int],
               CASE WHEN i % 10 = 9 THEN NULL
                    ELSE TIMESTAMPTZ '2024-01-01 17:00+00' + (i % 1000) * INTERVAL '1 day' END,
               1 + i % :cohorts
        FROM generate_series(1, :newcomers) AS g(i)
        UNION ALL  -- one newcomer in ten is referred again by another agency
        SELECT i, 1 + (i + 7) % :agencies, 'submitted',
               TIMESTAMPTZ '2024-02-01 17:00+00' + (i % 1000) * INTERVAL '1 day', NULL
        FROM generate_series(1, :newcomers) AS g(i) WHERE i % 10 = 3"""),
    ("matches", """
        INSERT INTO kit_match (id, cohort_id, volunteer_id, newcomer_id, status, proposed_at,
                               started_on, planned_end_on, target_hours, closed_at,
                               close_reason)
        SELECT k, 1 + i % :cohorts, 1 + k % (:staff / 10), i, m.status,
               TIMESTAMPTZ '2024-01-01 17:00+00', m.started_on,
               m.started_on + 120, CASE WHEN m.started_on IS NULL THEN NULL ELSE 24 END,
               CASE WHEN m.status = 'closed' THEN (m.started_on + 120)::timestamptz END,
               CASE WHEN m.status = 'closed'
                    THEN (ARRAY['completed', 'completed', 'completed', 'ended_by_mentor'])
                         [(1 + k % 4)::int] END
        FROM (SELECT i, row_number() OVER (ORDER BY i) AS k
              FROM generate_series(1, :newcomers) AS g(i) WHERE i % 10 < 6) AS a
        CROSS JOIN LATERAL (SELECT
            CASE WHEN k % 10 < 4 THEN 'closed' WHEN k % 10 < 9 THEN 'active'
                 ELSE 'proposed' END AS status,
            CASE WHEN k % 10 < 4 THEN DATE '2024-01-15' + (k % 600)::int
                 WHEN k % 10 < 9 THEN CAST(:today AS date) - (k % 150)::int
            END AS started_on) AS m"""),
    ("sessions", """
        INSERT INTO kit_session (match_id, session_type_id, organizer_id, uid, starts_at,
                                 ends_at, status)
        SELECT m.id, t.id, v.staff_id, 'bench-' || m.id || '-' || s,
               (m.started_on + s * 12)::timestamptz + INTERVAL '17 hours',
               (m.started_on + s * 12)::timestamptz + INTERVAL '19 hours',
               CASE WHEN m.started_on + s * 12 > CAST(:today AS date) THEN 'scheduled'
                    WHEN (m.id + s) % 11 = 0 THEN 'cancelled' ELSE 'attended' END
        FROM kit_match m
        JOIN kit_volunteer_profile v ON v.id = m.volunteer_id
        CROSS JOIN generate_series(0, 7) AS g(s)
        JOIN kit_session_type t ON t.id = 1 + (m.id + s) % 7
        -- one active match in four stops meeting after two sessions: it stalls
        WHERE m.started_on IS NOT NULL AND (m.id % 4 <> 0 OR s < 2)"""),
    ("match list", """
        CREATE TEMP TABLE bench_match AS
        SELECT row_number() OVER (ORDER BY m.id) - 1 AS n, m.id, v.staff_id, m.started_on
        FROM kit_match m JOIN kit_volunteer_profile v ON v.id = m.volunteer_id
        WHERE m.started_on IS NOT NULL"""),
    ("match list stats", "ANALYZE bench_match"),
    ("hours", """
        INSERT INTO kit_hours_entry (staff_id, match_id, worked_on, hours, category, status)
        SELECT CASE WHEN i % 10 < 3 THEN 1 + (i::bigint * 7919) % :staff ELSE b.staff_id END,
               CASE WHEN i % 10 < 3 THEN NULL ELSE b.id END,
               LEAST(b.started_on + ((i / :match_count) % 120)::int, CAST(:today AS date)),
               0.5 + (i % 8) * 0.5,
               (ARRAY['event', 'event', 'event', 'session', 'preparation', 'correspondence',
                      'session', 'preparation', 'other', 'session'])[(1 + i % 10)::int],
               CASE WHEN i % 20 = 0 THEN 'rejected' WHEN i % 10 IN (1, 2) THEN 'pending'
                    ELSE 'confirmed' END
        FROM generate_series(1, :hours) AS g(i)
        JOIN bench_match b ON b.n = i % :match_count"""),
    ("check-ins", """
        INSERT INTO kit_check_in (match_id, respondent, period_start, satisfaction,
                                  has_concern, answered_at)
        SELECT m.id, r.respondent,
               (date_trunc('month', m.started_on) + k * INTERVAL '1 month')::date,
               CASE WHEN (m.id + k) % 9 = 0 THEN NULL ELSE 1 + (m.id * 3 + k + r.n) % 5 END,
               (m.id + k + r.n) % 5 = 0 AND (m.id + k) % 9 <> 0,
               CASE WHEN (m.id + k) % 9 = 0 THEN NULL
                    ELSE (m.started_on + 30 * (k + 1))::timestamptz END
        FROM kit_match m
        CROSS JOIN generate_series(0, 3) AS g(k)
        CROSS JOIN (VALUES (0, 'mentor'), (1, 'newcomer')) AS r(n, respondent)
        WHERE m.started_on IS NOT NULL
          AND m.started_on + 30 * k <= CAST(:today AS date)"""),
    ("outcomes", """
        INSERT INTO kit_outcome (newcomer_id, match_id, "interval", status, employed_since,
                                 recorded_at, actor_kind)
        SELECT m.newcomer_id, m.id, o."interval", s.status,
               CASE WHEN s.status LIKE 'employed%' THEN m.started_on + 100 + m.id % 200 END,
               m.closed_at + o.months * INTERVAL '1 month', 'staff'
        FROM kit_match m
        CROSS JOIN (VALUES ('close', 0), ('3m', 3), ('6m', 6), ('12m', 12)) AS o("interval", months)
        CROSS JOIN LATERAL (SELECT (ARRAY['employed_in_field', 'employed_related',
                  'employed_outside', 'in_school', 'searching', 'unknown',
                  'employed_in_field', 'searching'])[(1 + (m.id + o.months) % 8)::int]
              AS status) AS s
        WHERE m.status = 'closed'
          AND m.closed_at + o.months * INTERVAL '1 month' <= CAST(:today AS timestamptz)"""),
]


def _session_types(conn: Connection) -> None:
    for index, (code, minutes, is_group) in enumerate(DEFAULT_SESSION_TYPES, start=1):
        conn.execute(text("INSERT INTO kit_session_type (id, code, default_minutes, is_group) "
                          "VALUES (:id, :code, :minutes, :group) ON CONFLICT DO NOTHING"),
                     {"id": index, "code": code, "minutes": minutes, "group": is_group})


def _reset_sequences(conn: Connection) -> None:
    # Rows were given explicit ids: move each sequence past them so the kit can insert.
    for table in Base.metadata.sorted_tables:
        if "id" in table.c and table.c.id.primary_key and table.c.id.autoincrement:
            conn.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                f"COALESCE((SELECT max(id) FROM {table.name}), 0) + 1, false)"))


def seed(url: str, scale: float = 1.0, *, echo: bool = False) -> dict[str, float]:
    """Fill the PostgreSQL database at ``url`` (a SQLAlchemy URL) with a program of ``scale``
    times the base sizes; return the seconds each step took. Creates the kit's tables first
    when they are missing; refuses a database that already holds staff."""
    sizes = {name: max(1, int(count * scale)) for name, count in BASE_SIZES.items()}
    engine = create_engine(url)
    if engine.dialect.name != "postgresql":
        raise ValueError("the bench seeds PostgreSQL only (generate_series, lateral joins)")
    timings: dict[str, float] = {}
    try:
        Base.metadata.create_all(engine)
        with Session(engine) as session:
            if session.execute(text("SELECT count(*) FROM kit_staff_member")).scalar():
                raise RuntimeError("this database already holds a program: seed an empty one")
            started = time.perf_counter()
            load_occupations(session)
            timings["occupations"] = time.perf_counter() - started
        with engine.begin() as conn:
            # Foreign keys are checked by one trigger call per row: skip them while loading
            # (the ids are consistent by construction; CHECK and UNIQUE still apply). Needs a
            # superuser, which the throwaway server's role is; elsewhere the checks just run.
            if conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                            ).scalar():
                conn.execute(text("SET LOCAL session_replication_role = replica"))
            _session_types(conn)
            params = {**sizes, "agencies": AGENCIES, "cohorts": COHORTS,
                      "departments": DEPARTMENTS, "today": TODAY}
            for name, statement in STEPS:
                started = time.perf_counter()
                if name == "hours":
                    params["match_count"] = conn.execute(
                        text("SELECT count(*) FROM bench_match")).scalar()
                conn.execute(text(statement), params)
                timings[name] = time.perf_counter() - started
                if echo:
                    print(f"  {name:<12} {timings[name]:6.2f} s", flush=True)
            # The entries went in by SQL, past the ORM: sum them into the monthly roll-up the
            # reports read, with the kit's own INSERT ... SELECT.
            started = time.perf_counter()
            conn.execute(fill_statement())
            timings["hours roll-up"] = time.perf_counter() - started
            _reset_sequences(conn)
        started = time.perf_counter()
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
        timings["analyze"] = time.perf_counter() - started
    finally:
        engine.dispose()
    return timings


def counts(url: str) -> dict[str, int]:
    """How many rows each seeded table holds."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0  # noqa: S608
                    for table in ("kit_staff_member", "kit_volunteer_profile", "kit_newcomer",
                                  "kit_agency", "kit_referral", "kit_match", "kit_session",
                                  "kit_hours_entry", "kit_hours_month", "kit_check_in",
                                  "kit_outcome")}
    finally:
        engine.dispose()
