"""Every kit page carries a strict CSP (no unsafe-inline), nosniff and a referrer policy."""

from __future__ import annotations

import pytest


def test_kit_pages_send_the_security_headers(client) -> None:
    headers = client.get("/mentoring/sign-in").headers
    policy = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "script-src 'self'" in policy
    assert "frame-ancestors 'self'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.kit_config(KIT_FRAME_ANCESTORS="'self' https://portal.city.example")
def test_an_intranet_that_frames_the_kit_can_allow_it(client) -> None:
    headers = client.get("/mentoring/sign-in").headers
    assert "frame-ancestors 'self' https://portal.city.example" in headers[
        "Content-Security-Policy"]
    assert "X-Frame-Options" not in headers


@pytest.mark.kit_config(KIT_CONTENT_SECURITY_POLICY=None)
def test_a_host_can_keep_the_policy_to_itself(client) -> None:
    headers = client.get("/mentoring/sign-in").headers
    assert "Content-Security-Policy" not in headers
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_host_pages_are_left_alone(app, client) -> None:
    app.add_url_rule("/host-page", "host_page", lambda: "hello")
    assert "Content-Security-Policy" not in client.get("/host-page").headers
