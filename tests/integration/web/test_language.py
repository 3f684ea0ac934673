"""Language: the person's preference, then the browser, then the default; a switch on every page."""

from __future__ import annotations

import pytest
from conftest import csrf_token, sign_in_as


def heading(client, path: str = "/mentoring/sign-in", **headers: str) -> str:
    html = client.get(path, headers=headers).get_data(as_text=True)
    return html.split("<h1>", 1)[1].split("</h1>", 1)[0]


def test_the_browser_language_decides_for_visitors(client) -> None:
    assert heading(client, **{"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"}) == "Connexion"
    assert heading(client, **{"Accept-Language": "en-CA"}) == "Sign in"
    assert heading(client, **{"Accept-Language": "de-DE"}) == "Sign in"


@pytest.mark.kit_config(KIT_DEFAULT_LOCALE="fr")
def test_the_default_applies_when_nothing_else_decides(client) -> None:
    assert heading(client) == "Connexion"
    assert 'lang="fr"' in client.get("/mentoring/sign-in").get_data(as_text=True)


def test_the_persons_preference_beats_the_browser(client, factory, db) -> None:
    staff = factory.staff(preferred_locale="fr")
    db.commit()
    sign_in_as(client, "staff", staff.id)
    assert heading(client, "/mentoring/staff/", **{"Accept-Language": "en"}) == "Mon bénévolat"


def test_the_switch_changes_the_language_and_remembers_it(client, factory, db) -> None:
    staff = factory.staff(preferred_locale="en")
    db.commit()
    sign_in_as(client, "staff", staff.id)
    token = csrf_token(client, "/mentoring/staff/")
    response = client.post("/mentoring/language", data={
        "csrf_token": token, "locale": "fr", "next": "/mentoring/staff/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/mentoring/staff/"
    assert heading(client, "/mentoring/staff/") == "Mon bénévolat"
    db.expire_all()
    assert staff.preferred_locale == "fr"


def test_the_switch_works_for_visitors_and_refuses_unknown_languages(client) -> None:
    token = csrf_token(client)
    client.post("/mentoring/language", data={"csrf_token": token, "locale": "fr"})
    assert heading(client) == "Connexion"
    assert client.post("/mentoring/language",
                       data={"csrf_token": token, "locale": "xx"}).status_code == 400


def test_the_switch_needs_its_csrf_token(client) -> None:
    assert client.post("/mentoring/language", data={"locale": "fr"}).status_code == 400
    assert heading(client) == "Sign in"


def test_the_switch_never_redirects_off_site(client) -> None:
    token = csrf_token(client)
    response = client.post("/mentoring/language", data={
        "csrf_token": token, "locale": "fr", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/mentoring/"
