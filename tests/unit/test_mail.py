"""Composing email and choosing a transport, without a server."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest

from kit.config import ConfigError, load_config
from kit.mail import (
    ConsoleTransport,
    SMTPTransport,
    compose,
    format_mailbox,
    ical_method,
    parse_mailbox,
    sender_from_config,
    transport_from_config,
)

ICAL = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:CANCEL\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n")


def test_names_in_any_script_are_encoded_for_the_wire() -> None:
    message = compose(sender="Programme de mentorat <mentorat@ville.example>",
                      recipient="Zoë O'Brien <zoe@example.org>",
                      subject="Nguyễn Thị Lan, bienvenue",
                      body_text="Bonjour Zoë", date=datetime(2027, 10, 5, 9, 30, tzinfo=UTC))
    wire = message.as_bytes()
    assert wire.isascii()
    assert b"=?utf-8?" in wire
    assert message["Subject"] == "Nguyễn Thị Lan, bienvenue"
    assert message["To"].addresses[0].display_name == "Zoë O'Brien"
    assert message["Date"] == "Tue, 05 Oct 2027 09:30:00 +0000"
    assert message["Message-ID"].endswith("@ville.example>")
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "text/plain"
    assert message.get_content() == "Bonjour Zoë\n"


def test_text_html_and_calendar_are_alternatives() -> None:
    message = compose(sender="m@city.example", recipient="a@example.org", subject="Session",
                      body_text="See you", body_html="<p>See you</p>", ical=ICAL, locale="en",
                      message_id="<outbox.1@city.example>")
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == [
        "text/plain", "text/html", "text/calendar"]
    calendar = list(message.iter_parts())[2]
    assert calendar.get_param("method") == "CANCEL"
    assert message["Content-Language"] == "en"
    assert message["Message-ID"] == "<outbox.1@city.example>"


def test_the_calendar_method_comes_from_the_icalendar_text() -> None:
    assert ical_method("BEGIN:VCALENDAR\nMETHOD:request\nEND:VCALENDAR") == "REQUEST"
    assert ical_method(ICAL) == "CANCEL"
    assert ical_method("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n") is None
    without = compose(sender="m@city.example", recipient="a@example.org", subject="s",
                      body_text="t", ical="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    assert list(without.iter_parts())[1].get_param("method") is None


@pytest.mark.parametrize("value", ["", "not an address", "a@example.org, b@example.org",
                                   "a@example.org\r\nBcc: x@example.org", "@example.org"])
def test_only_one_well_formed_address_is_accepted(value: str) -> None:
    with pytest.raises(ValueError, match="address"):
        parse_mailbox(value)


def test_a_name_is_quoted_when_it_needs_it() -> None:
    assert format_mailbox("lan@example.org", "Nguyễn, Lan") == '"Nguyễn, Lan" <lan@example.org>'
    assert format_mailbox("Zoë <zoe@example.org>") == "Zoë <zoe@example.org>"
    assert format_mailbox("zoe@example.org") == "zoe@example.org"


def test_the_console_transport_prints_what_a_person_reads() -> None:
    out = io.StringIO()
    ConsoleTransport(out).send(compose(sender="m@city.example", recipient="Zoë <z@example.org>",
                                       subject="Hello Zoë", body_text="Body text",
                                       body_html="<p>x</p>", ical=ICAL))
    printed = out.getvalue()
    assert "To: Zoë <z@example.org>" in printed
    assert "Subject: Hello Zoë" in printed
    assert "Body text" in printed
    assert "[text/calendar; method=CANCEL]" in printed
    assert "[text/html]" in printed


def test_a_password_is_never_sent_in_clear_to_another_machine() -> None:
    with pytest.raises(ValueError, match="unencrypted"):
        SMTPTransport("mail.city.example", 25, username="relay", password="secret")
    SMTPTransport("127.0.0.1", 25, username="relay", password="secret")
    SMTPTransport("mail.city.example", 587, security="starttls", username="u", password="p")


def test_a_non_ascii_password_is_refused_without_repeating_it() -> None:
    with pytest.raises(ValueError, match="ASCII") as caught:
        SMTPTransport("127.0.0.1", 25, username="relay", password="sécret")
    assert "sécret" not in str(caught.value)


def test_the_backend_and_sender_come_from_the_configuration() -> None:
    config = load_config({})
    assert isinstance(transport_from_config(config), ConsoleTransport)
    assert sender_from_config(config) == "Mentoring program <mentoring@localhost>"
    config = load_config({"KIT_MAIL_BACKEND": "smtp", "KIT_SMTP_HOST": "mail.city.example",
                          "KIT_SMTP_PORT": 587, "KIT_SMTP_SECURITY": "starttls",
                          "KIT_MAIL_SENDER": "Ville <ville@city.example>"})
    transport = transport_from_config(config)
    assert isinstance(transport, SMTPTransport)
    assert (transport.host, transport.port, transport.security) == (
        "mail.city.example", 587, "starttls")
    assert sender_from_config(config) == "Ville <ville@city.example>"


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"KIT_MAIL_BACKEND": "sendmail"}, "KIT_MAIL_BACKEND"),
        ({"KIT_MAIL_SENDER": "mentoring"}, "KIT_MAIL_SENDER"),
        ({"KIT_SMTP_PORT": 70000}, "KIT_SMTP_PORT"),
        ({"KIT_SMTP_PORT": "25"}, "KIT_SMTP_PORT"),
        ({"KIT_SMTP_SECURITY": "tls"}, "KIT_SMTP_SECURITY"),
        ({"KIT_SMTP_TIMEOUT": 0}, "KIT_SMTP_TIMEOUT"),
        ({"KIT_SMTP_PASSWORD": ""}, "KIT_SMTP_PASSWORD"),
        ({"KIT_OUTBOX_MAX_ATTEMPTS": 0}, "KIT_OUTBOX_MAX_ATTEMPTS"),
    ],
)
def test_a_wrong_mail_setting_names_its_key(settings: dict, named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        load_config(settings)


def test_a_bad_password_setting_is_not_repeated_in_the_error() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config({"KIT_SMTP_PASSWORD": 12345678})
    assert "12345678" not in str(caught.value)
