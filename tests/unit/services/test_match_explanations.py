"""Why a pair fits, phrased in the reader's language (English and French)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import make_app
from flask import Flask
from flask_babel import force_locale

from kit import get_state
from kit.matching import MentorProfile, NewcomerProfile, Reason, explain
from kit.services.explanations import language_name, occupation_label, reason_text, reason_texts

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def app() -> Iterator[Flask]:
    application = make_app("sqlite://")
    yield application
    with application.app_context():
        get_state().db.engine.dispose()


def phrase(app: Flask, locale: str, reason: Reason) -> str:
    with app.test_request_context(), force_locale(locale):
        return reason_text(reason, locale)


ENGLISH = [
    (Reason("same_unit_group", 4.0, {"noc_code": "21300"}),
     "Same occupation: Civil engineers (21300)"),
    (Reason("same_minor_group", 3.2, {"noc_code": "2130"}),
     "Same minor group of occupations: Civil and mechanical engineers (2130)"),
    (Reason("same_major_group", 1.6, {"noc_code": "21"}),
     "Same major group of occupations: Professional occupations in natural and applied "
     "sciences (21)"),
    (Reason("similar_teer", 0.4, {"newcomer_teer": 1, "mentor_teer": 2}),
     "Similar training and duties (TEER 1 and 2)"),
    (Reason("same_industry", 1.0, {"naics": "54"}),
     "Same industry: Professional, scientific and technical services (NAICS 54)"),
    (Reason("shared_language", 1.0, {"language": "fr", "languages": ["fr", "vi"]}),
     "Both speak French, Vietnamese"),
    (Reason("both_french", 1.0, {"language": "fr"}), "Both speak French"),
    (Reason("goals_overlap", 0.5, {"goals": ["bridges", "design"]}),
     "Shared career goals: bridges, design"),
    (Reason("same_location", 0.5, {"location": "Port Alder"}), "Same area: Port Alder"),
    (Reason("availability_overlap", 1.0, {"hours_per_week": 4.0}),
     "Availability overlaps 4 h a week"),
    (Reason("availability_overlap", 0.4, {"hours_per_week": 1.5}),
     "Availability overlaps 1.5 h a week"),
    (Reason("experienced_mentor", 0.4, {"years": 8.0}),
     "Experienced mentor: 8 years in the profession"),
    (Reason("experienced_mentor", 0.1, {"years": 1.0}),
     "Experienced mentor: 1 year in the profession"),
]


@pytest.mark.parametrize(("reason", "expected"), ENGLISH, ids=[r.code for r, _ in ENGLISH])
def test_reasons_in_english(app: Flask, reason: Reason, expected: str) -> None:
    assert phrase(app, "en", reason) == expected


FRENCH = [
    (Reason("same_unit_group", 4.0, {"noc_code": "21300"}),
     f"Même profession{NBSP}: Ingénieurs civils/ingénieures civiles (21300)"),
    (Reason("both_french", 1.0, {"language": "fr"}), "Parlent tous deux français"),
    (Reason("shared_language", 1.0, {"language": "vi", "languages": ["vi"]}),
     "Parlent tous deux vietnamien"),
    (Reason("availability_overlap", 1.0, {"hours_per_week": 1.5}),
     f"Disponibilités communes{NBSP}: 1,5{NBSP}h par semaine"),
    (Reason("same_industry", 1.0, {"naics": "54"}), "Même secteur d'activité (SCIAN 54)"),
    (Reason("experienced_mentor", 0.4, {"years": 8.0}),
     f"Mentor d'expérience{NBSP}: 8 ans dans la profession"),
]


@pytest.mark.parametrize(("reason", "expected"), FRENCH, ids=[r.code for r, _ in FRENCH])
def test_reasons_in_french(app: Flask, reason: Reason, expected: str) -> None:
    # Needs the French catalog with this work's messages (merged from /tmp/fr/matching.json).
    assert phrase(app, "fr", reason) == expected


def test_every_reason_code_of_the_engine_is_phrased(app: Flask) -> None:
    newcomer = NewcomerProfile("n", "21300", naics="5413", languages=frozenset({"fr", "vi"}),
                               preferred_language="fr", goals=frozenset({"bridges"}),
                               location="Port Alder", availability=((1, 540, 780),))
    mentor = MentorProfile("m", "21300", naics="5412", languages=frozenset({"fr"}),
                           goals=frozenset({"bridges", "codes"}), location="Port Alder",
                           availability=((1, 600, 840),), years=12)
    reasons = explain(newcomer, mentor)
    with app.test_request_context(), force_locale("en"):
        texts = reason_texts(reasons)
    assert texts[0] == "Same occupation: Civil engineers (21300)"
    assert "Availability overlaps 3 h a week" in texts
    assert all("_" not in text for text in texts)


def test_titles_and_language_names_follow_the_locale(app: Flask) -> None:
    with app.test_request_context():
        assert occupation_label("21300", "fr") == "Ingénieurs civils/ingénieures civiles (21300)"
        assert occupation_label("99999", "en") == "99999"
        assert occupation_label(None) == ""
        assert language_name("vi", "en") == "Vietnamese"
        assert language_name("vi", "fr") == "vietnamien"
        assert language_name("xx", "en") == "xx"
