"""Helpers for the API tests: agencies with keys, and a client that speaks JSON with a key."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from factories import Factory
from kit.models import Agency
from kit.services.agency_accounts import create_api_key
from kit.services.audit import SYSTEM

BASE = "/mentoring/api/v1"

#: A complete, valid referral as an agency's system sends it.
REFERRAL = {
    "given_name": "Nguyễn Thị", "family_name": "Lan", "email": "lan@mail.example",
    "phone": "+1 604-555-0101", "birth_date": "1990-05-17", "preferred_locale": "fr",
    "languages": ["vi", "en"], "language_test": "CLB", "clb_listening": 7, "clb_speaking": 6,
    "clb_reading": 7, "clb_writing": 6, "immigration_status": "permanent_resident",
    "country_of_education": "VN", "highest_credential": "Bachelor of civil engineering",
    "target_noc": "21300", "years_experience": 6, "naics_sector": "23",
    "career_goal": "Work as a civil engineer on municipal water projects.",
    "residence_area": "Port Alder", "availability_note": "Weekday mornings",
    "job_search_workshop_completed": True, "consent": True,
}


@dataclass
class ApiClient:
    """The test client with one agency's key in every request's Authorization header."""

    client: FlaskClient
    secret: str
    agency: Agency

    def call(self, method: str, path: str, body: Any = None, *, raw: bytes | None = None,
             headers: dict[str, str] | None = None, auth: bool = True,
             content_type: str = "application/json") -> TestResponse:
        """Send a request; ``body`` is sent as JSON, ``raw`` as it is."""
        sent = dict(headers or {})
        if auth:
            sent.setdefault("Authorization", f"Bearer {self.secret}")
        data = raw if raw is not None else (None if body is None else json.dumps(body))
        return self.client.open(BASE + path, method=method, data=data, headers=sent,
                                content_type=content_type if data is not None else None)

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> TestResponse:
        return self.call("POST", path, body, **kwargs)

    def put(self, path: str, body: Any = None, **kwargs: Any) -> TestResponse:
        return self.call("PUT", path, body, **kwargs)

    def refer(self, **changes: Any) -> dict[str, Any]:
        """Create a referral and return its JSON (fails the test unless it was created)."""
        response = self.post("/referrals", {**REFERRAL, **changes})
        assert response.status_code == 201, response.get_json()
        return response.get_json()


def api_client(client: FlaskClient, factory: Factory, db, agency: Agency | None = None,
               scopes: tuple[str, ...] = ("referrals:read", "referrals:write")) -> ApiClient:
    """A key for ``agency`` (a new one when None) with ``scopes``, ready to call the API."""
    agency = agency or factory.agency(f"Agency {secrets.token_hex(4)}")
    issued = create_api_key(db, SYSTEM, agency_id=agency.id, name="Case system",
                            scopes=scopes)
    db.commit()
    return ApiClient(client, issued.secret, agency)


def error_of(response: TestResponse) -> dict[str, Any]:
    """The error object of a JSON error answer (and check that it is one)."""
    assert response.mimetype == "application/json", response.data[:200]
    body = response.get_json()
    assert set(body) == {"error"} and body["error"]["code"] and body["error"]["message"]
    return body["error"]
