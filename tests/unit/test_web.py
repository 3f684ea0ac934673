"""Redirect targets after sign-in or a language change stay on this site."""

from __future__ import annotations

import pytest
from flask import Flask

from kit.web import safe_next


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/mentoring/staff/", "/mentoring/staff/"),
        ("/mentoring/agency/?page=2", "/mentoring/agency/?page=2"),
        ("https://evil.example/", "/fallback"),
        ("//evil.example/", "/fallback"),
        ("/\\evil.example", "/fallback"),
        ("javascript:alert(1)", "/fallback"),
        ("", "/fallback"),
        (None, "/fallback"),
        ("relative/path", "/fallback"),
    ],
)
def test_safe_next(target: str | None, expected: str) -> None:
    app = Flask(__name__)
    app.add_url_rule("/fallback", "fallback", lambda: "")
    with app.test_request_context():
        assert safe_next(target, "fallback") == expected
