"""Sessions: safe cookie flags, idle and absolute time-outs, sign-out, CSRF."""

from __future__ import annotations

import pytest
from conftest import csrf_token, sign_in_as


def test_the_session_cookie_is_secure_httponly_and_samesite(client, factory, db) -> None:
    staff = factory.staff()
    db.commit()
    sign_in_as(client, "staff", staff.id, seen_ago=120)
    cookie = client.get("/mentoring/staff/").headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.kit_config(KIT_SECURE_COOKIES=False)
def test_plain_http_development_can_drop_the_secure_flag(client, factory, db) -> None:
    staff = factory.staff()
    db.commit()
    sign_in_as(client, "staff", staff.id, seen_ago=120)
    assert "Secure" not in client.get("/mentoring/staff/").headers["Set-Cookie"]


@pytest.mark.kit_config(KIT_SESSION_IDLE_MINUTES=30)
def test_an_idle_session_expires_and_says_so(client, factory, db) -> None:
    staff = factory.staff()
    db.commit()
    sign_in_as(client, "staff", staff.id, seen_ago=29 * 60)
    assert client.get("/mentoring/staff/").status_code == 200
    sign_in_as(client, "staff", staff.id, seen_ago=31 * 60)
    response = client.get("/mentoring/staff/")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your session has expired: please sign in again." in page
    assert client.get("/mentoring/staff/").status_code == 302


@pytest.mark.kit_config(KIT_SESSION_MAX_HOURS=8)
def test_a_session_ends_after_the_absolute_limit_even_when_active(client, factory, db) -> None:
    staff = factory.staff()
    db.commit()
    sign_in_as(client, "staff", staff.id, signed_in_ago=7 * 3600)
    assert client.get("/mentoring/staff/").status_code == 200
    sign_in_as(client, "staff", staff.id, signed_in_ago=8 * 3600 + 1)
    assert client.get("/mentoring/staff/").status_code == 302


def test_sign_out_ends_the_session(client, factory, db) -> None:
    staff = factory.staff()
    db.commit()
    sign_in_as(client, "staff", staff.id)
    token = csrf_token(client, "/mentoring/staff/")
    response = client.post("/mentoring/sign-out", data={"csrf_token": token})
    assert response.headers["Location"] == "/mentoring/sign-in"
    assert "You are signed out." in client.get("/mentoring/sign-in").get_data(as_text=True)
    assert client.get("/mentoring/staff/").status_code == 302


def test_sign_out_is_not_a_get(client) -> None:
    assert client.get("/mentoring/sign-out").status_code == 405
