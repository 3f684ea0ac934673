"""Fixtures of the API tests."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from api.support import ApiClient, api_client
from factories import Factory


@pytest.fixture
def api(client: FlaskClient, factory: Factory, db) -> ApiClient:
    """An agency's system with a read and write key; occupation 21300 exists."""
    factory.occupation("21300")
    return api_client(client, factory, db, factory.agency("Harbourview Newcomer Services"))

