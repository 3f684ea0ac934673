"""The SMTP transport against a real server: STARTTLS, implicit TLS, login, certificates."""

from __future__ import annotations

import pytest

from kit.mail import SMTPTransport, TransportUnavailable, compose
from servers.smtp import SMTPServer

LOGIN = ("mentoring-relay", "relay-secret")


def message():
    return compose(sender="mentoring@city.example", recipient="Zoë O'Brien <zoe@example.org>",
                   subject="Welcome, Zoë", body_text="Welcome!")


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_with_login_delivers(security: str) -> None:
    with SMTPServer(tls=security, login=LOGIN) as server:
        transport = SMTPTransport(server.host, server.port, security=security,
                                  username=LOGIN[0], password=LOGIN[1],
                                  ssl_context=server.client_context(), timeout=5)
        transport.send(message())
        transport.send(message())
        transport.close()
        assert len(server.messages) == 2
        assert all(received.authenticated for received in server.messages)


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_an_untrusted_certificate_is_refused(security: str) -> None:
    with SMTPServer(tls=security) as server:
        transport = SMTPTransport(server.host, server.port, security=security, timeout=5)
        with pytest.raises(TransportUnavailable, match="CERTIFICATE_VERIFY_FAILED"):
            transport.send(message())
        assert server.messages == []


def test_a_wrong_password_makes_the_server_unavailable() -> None:
    with SMTPServer(tls="starttls", login=LOGIN) as server:
        transport = SMTPTransport(server.host, server.port, security="starttls",
                                  username=LOGIN[0], password="wrong",
                                  ssl_context=server.client_context(), timeout=5)
        with pytest.raises(TransportUnavailable, match="535") as caught:
            transport.send(message())
        assert "wrong" not in str(caught.value)


def test_starttls_is_never_silently_dropped() -> None:
    with SMTPServer() as server:
        transport = SMTPTransport(server.host, server.port, security="starttls", timeout=5)
        with pytest.raises(TransportUnavailable, match="STARTTLS"):
            transport.send(message())
        assert server.messages == []


def test_a_server_that_demands_tls_refuses_plain_mail() -> None:
    with SMTPServer(tls="starttls") as server:
        transport = SMTPTransport(server.host, server.port, timeout=5)
        with pytest.raises(TransportUnavailable, match="STARTTLS"):
            transport.send(message())


def test_the_connection_is_reopened_after_the_server_restarts() -> None:
    with SMTPServer() as server:
        transport = SMTPTransport(server.host, server.port, timeout=5)
        transport.send(message())
        server.stop()
        with pytest.raises(TransportUnavailable):
            transport.send(message())
        server.start()
        transport.send(message())
        transport.close()
        assert len(server.messages) == 2
