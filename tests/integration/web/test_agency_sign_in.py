"""Caseworkers: accept an invitation, choose a password, sign in; failures are explained."""

from __future__ import annotations

import re

import pytest
from conftest import csrf_token
from flask import Flask

from kit.services.agency_accounts import invite_agency_user
from kit.services.audit import Actor

PASSWORD = "Harbour view 2027 intake"


@pytest.fixture
def invitation(app: Flask, db, factory) -> str:
    agency = factory.agency("Harbourview Newcomer Services")
    _user, token = invite_agency_user(db, Actor("staff", None), app.secret_key,
                                      agency_id=agency.id, email="ana@harbourview.example",
                                      display_name="Ana Souza")
    db.commit()
    return token


def accept(client, token: str, password: str = PASSWORD, confirm: str | None = None):
    page = client.get(f"/mentoring/invitation/{token}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return client.post(f"/mentoring/invitation/{token}", data={
        "csrf_token": csrf, "password": password, "confirm": confirm or password})


def sign_in(client, email: str = "ana@harbourview.example", password: str = PASSWORD,
            **headers: str):
    return client.post("/mentoring/sign-in/agency", data={
        "csrf_token": csrf_token(client), "email": email, "password": password,
        "next": "/mentoring/agency/"}, headers=headers)


def test_the_whole_invitation_and_sign_in(client, invitation: str) -> None:
    page = client.get(f"/mentoring/invitation/{invitation}").get_data(as_text=True)
    assert "Welcome, Ana Souza" in page and "Harbourview Newcomer Services" in page
    response = accept(client, invitation)
    assert response.headers["Location"] == "/mentoring/sign-in"
    assert "Your password is saved." in client.get("/mentoring/sign-in").get_data(as_text=True)
    response = sign_in(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/mentoring/agency/"
    assert "Referrals from Harbourview" in client.get("/mentoring/agency/").get_data(as_text=True)
    assert client.get(f"/mentoring/invitation/{invitation}").status_code == 404


def test_the_password_form_explains_each_mistake(client, invitation: str) -> None:
    response = accept(client, invitation, "short")
    assert response.status_code == 400
    assert "Use between 12 and 1,024 characters." in response.get_data(as_text=True)
    response = accept(client, invitation, PASSWORD, "something else entirely")
    assert "The two passwords are not the same." in response.get_data(as_text=True)
    response = accept(client, invitation, "aaaaaaaaaaaaaaaaaa")
    assert "not based on your e-mail address" in response.get_data(as_text=True)
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_a_broken_invitation_says_what_to_do(client) -> None:
    response = client.get("/mentoring/invitation/not-a-token")
    assert response.status_code == 404
    assert "not valid or was already used" in response.get_data(as_text=True)


def test_a_wrong_password_is_refused_without_saying_which_part(client, invitation) -> None:
    accept(client, invitation)
    for email, password in [("ana@harbourview.example", "wrong password here"),
                            ("nobody@harbourview.example", PASSWORD)]:
        response = sign_in(client, email, password)
        assert response.status_code == 401
        assert "The user name or the password is not right." in response.get_data(as_text=True)
    assert client.get("/mentoring/agency/").status_code == 302


def test_an_empty_form_gets_field_messages(client) -> None:
    response = sign_in(client, "", "")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Enter your e-mail address." in html and "Enter your password." in html


def test_a_missing_csrf_token_changes_nothing(client, invitation) -> None:
    accept(client, invitation)
    response = client.post("/mentoring/sign-in/agency", data={
        "email": "ana@harbourview.example", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/mentoring/agency/").status_code == 302


@pytest.mark.kit_config(KIT_SIGN_IN_MAX_FAILURES=3)
def test_repeated_failures_lock_the_account_for_a_while(client, invitation) -> None:
    accept(client, invitation)
    for _ in range(3):
        assert sign_in(client, password="not the password").status_code == 401
    response = sign_in(client)
    assert response.status_code == 429
    assert "Too many failed attempts. Try again in 15 minutes." in response.get_data(as_text=True)


def test_the_sign_in_page_offers_what_is_configured(client) -> None:
    html = client.get("/mentoring/sign-in").get_data(as_text=True)
    assert "Agency caseworkers" in html
    assert "Development sign-in" not in html
    assert 'autocomplete="current-password"' in html
