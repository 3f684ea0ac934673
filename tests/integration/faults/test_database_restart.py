"""PostgreSQL restarted under traffic: clean 503 pages, then recovery without restarting the app.

A real werkzeug server on 127.0.0.1 serves the kit; a thread keeps requesting the mentor's
dashboard and the API's referral list while the test stops the database server and starts it
again. Every answer is either the page (200) or a translated 503 with ``Retry-After``: never a
500 or a traceback. Once the database is back, the same app (same process, same pool) answers
200 again, and a write retried with its Idempotency-Key is saved exactly once.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.serving import BaseWSGIServer, make_server

from factories import Factory
from kit import get_state
from kit.i18n import gettext
from kit.models import Referral
from kit.services.agency_accounts import create_api_key
from kit.services.audit import SYSTEM
from servers.postgres import PostgresServer

pytestmark = pytest.mark.postgres

STAFF_HOME = "/mentoring/staff/"
API_LIST = "/mentoring/api/v1/referrals"
#: Upper bound of the whole test's traffic, so that a hang fails fast instead of waiting.
MAX_REQUESTS = 2000
REFERRAL = {
    "given_name": "Nguyễn Thị", "family_name": "Lan", "email": "lan@mail.example",
    "birth_date": "1990-05-17", "preferred_locale": "fr", "languages": ["vi", "en"],
    "language_test": "CLB", "clb_listening": 7, "clb_speaking": 6, "clb_reading": 7,
    "clb_writing": 6, "immigration_status": "permanent_resident", "country_of_education": "VN",
    "target_noc": "21300", "years_experience": 6, "residence_area": "Port Alder",
    "job_search_workshop_completed": True, "consent": True,
    "career_goal": "Work as a civil engineer on municipal water projects.",
}


@pytest.fixture(autouse=True)
def _needs_postgres(request: pytest.FixtureRequest) -> None:
    if request.config.getoption("--db") != "postgresql":
        pytest.skip("restarts a real PostgreSQL server; run with --db=postgresql")


@dataclass
class Answer:
    """What the traffic thread saw for one request."""

    phase: str
    path: str
    status: int
    retry_after: str | None
    body: str


@dataclass
class Traffic:
    """A thread that requests the pages in turn until told to stop, recording each answer."""

    port: int
    headers: dict[str, dict[str, str]]
    phase: str = "before"
    answers: list[Answer] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        paths = list(self.headers)
        while not self.stop.is_set() and len(self.answers) < MAX_REQUESTS:
            path = paths[len(self.answers) % len(paths)]
            self.answers.append(self.request(path))

    def request(self, path: str, method: str = "GET", body: str | None = None,
                extra: dict[str, str] | None = None) -> Answer:
        phase = self.phase
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, body=body,
                               headers={**self.headers.get(path, {}), **(extra or {})})
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        # A request that spans a change of phase is labelled with both ("before->down").
        label = phase if phase == self.phase else f"{phase}->{self.phase}"
        return Answer(label, path, response.status, response.getheader("Retry-After"), text)

    def seen(self, phase: str, status: int | None = None) -> int:
        return sum(1 for a in self.answers
                   if a.phase == phase and (status is None or a.status == status))

    def wait_for(self, phase: str, count: int, status: int | None = None,
                 limit: float = 20) -> None:
        deadline = time.monotonic() + limit
        while self.seen(phase, status) < count:
            assert time.monotonic() < deadline, f"no {count} answers in {phase}: {self.tally()}"
            time.sleep(0.01)

    def tally(self) -> dict[str, Counter[int]]:
        result: dict[str, Counter[int]] = {}
        for answer in self.answers:
            result.setdefault(answer.phase, Counter())[answer.status] += 1
        return result


@pytest.fixture
def served(app: Flask) -> Iterator[BaseWSGIServer]:
    """The app behind a real threaded werkzeug server on 127.0.0.1."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    thread.join(5)


def session_cookie(app: Flask, staff_id: int) -> str:
    """A Cookie header signed with the app's secret, as the sign-in would leave it."""
    now = int(time.time())
    value = app.session_interface.get_signing_serializer(app).dumps(  # type: ignore[attr-defined]
        {"kit_identity": {"kind": "staff", "id": staff_id, "link": None, "at": now, "seen": now}})
    return f"{app.config['SESSION_COOKIE_NAME']}={value}"


def french(app: Flask, text: str) -> str:
    """``text`` as a French reader gets it (English until the catalog has it)."""
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        return gettext(text)


def test_a_database_restart_gives_503s_then_recovers_by_itself(
        app: Flask, db, factory: Factory, served: BaseWSGIServer,
        postgres_server: PostgresServer) -> None:
    mentor = factory.staff("Lan Nguyen")
    factory.volunteer(mentor)
    factory.occupation("21300")
    key = create_api_key(db, SYSTEM, agency_id=factory.agency().id, name="Case system",
                         scopes=("referrals:read", "referrals:write")).secret
    db.commit()
    mentor_id = mentor.id
    db.remove()  # the requests run in other threads, with sessions of their own
    traffic = Traffic(served.server_port, {
        STAFF_HOME: {"Cookie": session_cookie(app, mentor_id), "Accept-Language": "fr"},
        API_LIST: {"Authorization": f"Bearer {key}"},
    })
    thread = threading.Thread(target=traffic.run, daemon=True)
    thread.start()
    try:
        traffic.wait_for("before", 10)
        traffic.phase = "down"
        postgres_server.halt("fast")  # cuts the pooled connections, mid-request for some
        traffic.wait_for("down", 10, status=503)
        # A write during the outage fails cleanly; its retry after recovery is kept once.
        write = {"Authorization": f"Bearer {key}", "Idempotency-Key": "lan-2026-1",
                 "Content-Type": "application/json"}
        refused = traffic.request("/mentoring/api/v1/referrals", "POST", json.dumps(REFERRAL),
                                  write)
        traffic.phase = "restarting"
        postgres_server.start()
        traffic.phase = "after"
        traffic.wait_for("after", 20)
        saved = traffic.request("/mentoring/api/v1/referrals", "POST", json.dumps(REFERRAL),
                                write)
        again = traffic.request("/mentoring/api/v1/referrals", "POST", json.dumps(REFERRAL),
                                write)
    finally:
        traffic.stop.set()
        thread.join(10)
        postgres_server.start()

    tally = traffic.tally()
    print(f"\nanswers by phase: { {p: dict(c) for p, c in tally.items()} }")
    assert set(tally["before"]) == {200}
    assert set(tally["after"]) == {200}, "the app did not recover by itself"
    assert set(tally["down"]) <= {200, 503}  # a request may finish just before the stop
    outage = [a for a in traffic.answers if a.status != 200]
    assert outage and all(a.status == 503 and a.retry_after for a in outage), {
        (a.phase, a.status) for a in outage}
    assert not any("Traceback" in a.body for a in traffic.answers)
    page = next(a for a in outage if a.path == STAFF_HOME)
    assert '<html lang="fr">' in page.body
    assert french(app, "Temporarily unavailable") in page.body
    error = json.loads(next(a for a in outage if a.path == API_LIST).body)["error"]
    assert error["code"] == "unavailable"

    assert (refused.status, refused.retry_after) == (503, "10")
    assert saved.status == 201 and again.status == 201, saved.body
    assert json.loads(saved.body)["id"] == json.loads(again.body)["id"]
    with app.app_context():
        assert get_state().db.session.scalar(select(func.count(Referral.id))) == 1
