"""``flask kit ...`` commands an operator runs: migrations and reference data."""

from __future__ import annotations

from conftest import make_app
from sqlalchemy import func, inspect, select

from kit import get_state
from kit.models import Occupation


def test_db_upgrade_current_check_and_downgrade(db_url: str) -> None:
    app = make_app(db_url)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["kit", "db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "Kit schema at" in result.output
    with app.app_context():
        tables = set(inspect(get_state().db.engine).get_table_names())
    assert {"kit_staff_member", "kit_referral", "kit_match", "kit_alembic_version"} <= tables
    assert runner.invoke(args=["kit", "db", "check"]).exit_code == 0
    assert runner.invoke(args=["kit", "db", "current"]).output.strip() != "base"
    result = runner.invoke(args=["kit", "db", "downgrade", "base"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Kit schema at base."
    with app.app_context():
        left = [t for t in inspect(get_state().db.engine).get_table_names() if t.startswith("kit_")]
        get_state().db.engine.dispose()
    assert left == []


def test_occupations_load_is_safe_to_repeat(app, runner) -> None:
    for _ in range(2):
        result = runner.invoke(args=["kit", "occupations", "load"])
        assert result.exit_code == 0, result.output
        assert "822" in result.output
    with app.app_context():
        db = get_state().db.session
        assert db.scalar(select(func.count()).select_from(Occupation)) == 822
        civil = db.get(Occupation, "21300")
        assert civil.title_fr.startswith("Ingénieurs civils")
        assert db.get(Occupation, "00010").level == "unit"
