"""The demo: what ``flask kit demo`` promises, and the city hall intranet that embeds the kit."""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from types import ModuleType
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from kit import get_state, migrations
from kit.demo.seed import DemoDataExists, seed_demo
from kit.models import (
    Agency,
    AgencyUser,
    HoursEntry,
    Match,
    MentoringSession,
    Newcomer,
    Referral,
    StaffMember,
    StaffRole,
    VolunteerProfile,
    enable_sqlite_foreign_keys,
)
from kit.models.matches import MATCH_OPEN_STATUSES, MATCH_STATUSES
from kit.models.referrals import REFERRAL_STATUSES
from kit.models.sessions import SESSION_STATUSES

CITYHALL = Path(__file__).resolve().parents[2] / "examples" / "cityhall"
TODAY = date(2026, 10, 20)
#: The seeder's "now": noon on TODAY in the city's time zone.
DEMO_NOW = datetime.combine(TODAY, time(12), ZoneInfo("America/Vancouver"))


@pytest.fixture(scope="module")
def cityhall() -> Iterator[ModuleType]:
    """The example host package, imported from examples/cityhall."""
    sys.path.insert(0, str(CITYHALL))
    try:
        import cityhall

        yield cityhall
    finally:
        sys.path.remove(str(CITYHALL))


def city_app(cityhall: ModuleType, db_url: str, **overrides: object) -> Flask:
    """The city's intranet in demo mode on the database at ``db_url``."""
    from cityhall.config import TestingConfig

    config = type("Config", (TestingConfig,), {"KIT_DATABASE_URI": db_url, **overrides})
    return cityhall.create_app(config)


@pytest.fixture
def demo_app(cityhall: ModuleType, db_url: str) -> Iterator[Flask]:
    """The intranet on a fresh database of the kind ``--db`` selects, schema created."""
    app = city_app(cityhall, db_url)
    with app.app_context():
        migrations.upgrade(get_state().db.engine)
    yield app
    with app.app_context():
        get_state().db.session.remove()
        get_state().db.engine.dispose()


@pytest.fixture(scope="module")
def seeded_client(cityhall: ModuleType, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[FlaskClient]:
    """A browser on the seeded intranet (one SQLite database shared by the page tests)."""
    path = tmp_path_factory.mktemp("cityhall") / "demo.sqlite"
    app = city_app(cityhall, f"sqlite:///{path}")
    with app.app_context():
        migrations.upgrade(get_state().db.engine)
        seed_demo(get_state().db.session, today=TODAY)
    yield app.test_client()
    with app.app_context():
        get_state().db.session.remove()
        get_state().db.engine.dispose()


def _count(db: Session, model: type, *where: object) -> int:
    return db.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_the_demo_holds_what_it_promises(demo_app: Flask) -> None:
    with demo_app.app_context():
        db = get_state().db.session
        summary = seed_demo(db, today=TODAY)

        assert summary.cohorts == ("Winter 2026", "Fall 2026")
        professions = db.scalars(select(VolunteerProfile.noc_code).distinct()
                                 .where(VolunteerProfile.status == "approved")).all()
        assert len(professions) == 16
        assert _count(db, StaffMember) >= 150
        roles = Counter(db.scalars(select(StaffRole.role)))
        assert roles["coordinator"] >= 2 and roles["admin"] == 1
        assert {"en", "fr"} <= set(db.scalars(select(StaffMember.preferred_locale)))
        assert 60 <= _count(db, VolunteerProfile) <= 90
        assert set(db.scalars(select(VolunteerProfile.status))) == {
            "pending", "approved", "paused", "withdrawn"}

        assert _count(db, Agency) >= 4
        agencies_with_users = db.scalars(select(AgencyUser.agency_id).distinct()).all()
        assert len(agencies_with_users) == _count(db, Agency)
        assert _count(db, Newcomer) >= 40
        assert _count(db, Newcomer, Newcomer.preferred_locale == "fr") >= 3
        assert {"CLB", "NCLC"} <= set(db.scalars(select(Newcomer.language_test)))
        assert set(db.scalars(select(Referral.status))) == set(REFERRAL_STATUSES)

        matches = db.scalars(select(Match)).all()
        assert {match.status for match in matches} == set(MATCH_STATUSES)
        assert len({m.close_reason for m in matches if m.status == "closed"}) >= 3
        assert all(match.status_changes for match in matches)
        assert all(match.proposed_at.tzinfo is not None for match in matches)
        # Capacity holds: no mentor has more open matches than offered, no newcomer two.
        open_matches = [m for m in matches if m.status in MATCH_OPEN_STATUSES]
        per_mentor = Counter(m.volunteer for m in open_matches)
        assert all(count <= mentor.capacity for mentor, count in per_mentor.items())
        assert len({m.newcomer_id for m in open_matches}) == len(open_matches)

        assert _count(db, MentoringSession, MentoringSession.starts_at < DEMO_NOW) > 50
        assert _count(db, MentoringSession, MentoringSession.starts_at > DEMO_NOW) > 5
        assert set(db.scalars(select(MentoringSession.status))) == set(SESSION_STATUSES)
        assert _count(db, MentoringSession, MentoringSession.match_id.is_(None)) >= 2
        hours = db.scalar(select(func.sum(HoursEntry.hours)))
        assert hours is not None and hours > 0
        assert {"pending", "confirmed"} <= set(db.scalars(select(HoursEntry.status)))
        assert summary.check_ins > 0 and summary.outcomes > 0


def test_names_are_written_the_way_people_write_them(demo_app: Flask) -> None:
    with demo_app.app_context():
        db = get_state().db.session
        seed_demo(db, today=TODAY)
        staff = set(db.scalars(select(StaffMember.display_name)))
        newcomers = db.scalars(select(Newcomer)).all()

    assert {"Zoë O'Brien", "Łukasz Wójcik", "Geneviève Côté"} <= staff
    names = {n.display_name for n in newcomers}
    assert {"Nguyễn Thị Lan", "José Ramírez-García", "Suharti"} <= names
    assert sum(not name.isascii() for name in staff | names) >= 40
    assert any(n.family_name is None for n in newcomers)
    assert len(staff) == _staff_count(demo_app)  # nobody shares a name


def _staff_count(app: Flask) -> int:
    with app.app_context():
        return _count(get_state().db.session, StaffMember)


def test_seeding_again_is_refused_and_changes_nothing(demo_app: Flask) -> None:
    with demo_app.app_context():
        db = get_state().db.session
        seed_demo(db, today=TODAY)
        before = _count(db, StaffMember), _count(db, Match), _count(db, HoursEntry)
        with pytest.raises(DemoDataExists, match="--reset"):
            seed_demo(db, today=TODAY)
        db.rollback()
        assert (_count(db, StaffMember), _count(db, Match), _count(db, HoursEntry)) == before


def test_the_same_seed_gives_the_same_demo(tmp_path: Path) -> None:
    def fingerprint(name: str) -> list[tuple[object, ...]]:
        engine = create_engine(f"sqlite:///{tmp_path / name}")
        enable_sqlite_foreign_keys(engine)
        migrations.upgrade(engine)
        with Session(engine) as db:
            seed_demo(db, seed=7, today=TODAY)
            rows = db.execute(
                select(StaffMember.display_name, Newcomer.email, Match.status, Match.score)
                .join(VolunteerProfile, VolunteerProfile.id == Match.volunteer_id)
                .join(StaffMember, StaffMember.id == VolunteerProfile.staff_id)
                .join(Newcomer, Newcomer.id == Match.newcomer_id)
                .order_by(Match.id)
            ).all()
        engine.dispose()
        return [tuple(row) for row in rows]

    assert fingerprint("a.sqlite") == fingerprint("b.sqlite")


def test_the_demo_command_seeds_once_and_resets_on_request(demo_app: Flask) -> None:
    runner = demo_app.test_cli_runner()

    first = runner.invoke(args=["kit", "demo", "--no-serve"])
    assert first.exit_code == 0, first.output
    assert "http://127.0.0.1:5000/mentoring/sign-in/dev" in first.output
    assert re.search(r"\d{3} staff members", first.output)

    again = runner.invoke(args=["kit", "demo", "--no-serve", "--port", "5123"])
    assert again.exit_code == 0, again.output
    assert "already holds the demo" in again.output
    assert "http://127.0.0.1:5123/" in again.output
    with demo_app.app_context():
        staff = _count(get_state().db.session, StaffMember)

    reset = runner.invoke(args=["kit", "demo", "--no-serve", "--reset"])
    assert reset.exit_code == 0, reset.output
    assert "Seeded the demo" in reset.output
    with demo_app.app_context():
        assert _count(get_state().db.session, StaffMember) == staff


def test_the_demo_command_refuses_an_app_outside_demo_mode(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["kit", "demo", "--no-serve"])
    assert result.exit_code != 0
    assert "KIT_DEMO_MODE" in result.output
    with app.app_context():
        assert _count(get_state().db.session, StaffMember) == 0


def test_the_city_home_page_renders_in_both_languages(seeded_client: FlaskClient) -> None:
    english = seeded_client.get("/", headers={"Accept-Language": "en"})
    assert english.status_code == 200
    page = english.get_data(as_text=True)
    assert "City of Port Alder" in page
    assert "Latest news" in page and "Zoë O&#39;Brien" in page

    french = seeded_client.get("/", headers={"Accept-Language": "fr-CA,fr"})
    page = french.get_data(as_text=True)
    assert '<html lang="fr">' in page
    assert "Ville de Port Alder" in page and "Dernières nouvelles" in page


def test_the_city_intranet_answers_unknown_pages_with_its_own_page(
        seeded_client: FlaskClient) -> None:
    response = seeded_client.get("/no-such-page")
    assert response.status_code == 404
    assert "City of Port Alder" in response.get_data(as_text=True)


def test_mentoring_pages_render_inside_the_city_layout(seeded_client: FlaskClient) -> None:
    response = seeded_client.get("/mentoring/sign-in/dev")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "City of Port Alder" in page and 'class="ch-header"' in page
    assert "Newcomer Mentoring Program" in page
    # The demo's people are offered for signing in.
    assert "Zoë O&#39;Brien" in page and "Colin MacLeod" in page

    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
    persona = re.search(r'name="persona" value="(staff:\d+)">.*?<button[^>]*>([^<]+)</button>',
                        page, re.DOTALL)
    assert token and persona
    signed_in = seeded_client.post("/mentoring/sign-in/dev", data={
        "csrf_token": token.group(1), "persona": persona.group(1), "next": "/"},
        follow_redirects=True)
    assert signed_in.status_code == 200
    # Back on the city's home page, the city's header knows who signed in to the kit.
    assert f'<span class="ch-user">{persona.group(2)}</span>' in signed_in.get_data(as_text=True)

    landing = seeded_client.get("/mentoring/", follow_redirects=True)
    assert landing.status_code == 200
    assert 'class="ch-header"' in landing.get_data(as_text=True)
