"""Email: composing one message, and the transports that deliver it (SMTP, or the console).

The outbox (:mod:`kit.services.outbox`) decides *when* to send; this module only knows *how*.
A transport raises :class:`TransportUnavailable` when the mail server cannot be reached at all
(refused, timed out, TLS or login failed), so the sender stops trying the rest of its batch, and
any other exception when one message is refused.
"""

from __future__ import annotations

import email.policy
import ipaddress
import re
import smtplib
import ssl
import sys
from collections.abc import Mapping
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any, Protocol, TextIO

from kit.config import localized
from kit.models.base import utcnow

SECURITY_MODES = ("none", "starttls", "ssl")

# iTIP (RFC 5546) puts METHOD in the VCALENDAR; RFC 6047 wants the same in the MIME type.
_ICAL_METHOD = re.compile(r"^METHOD:([A-Za-z-]+)\s*$", re.MULTILINE)


class TransportUnavailable(Exception):
    """The mail server cannot be reached or refuses the session: every message would fail."""


class Transport(Protocol):
    """Delivers composed messages; ``close`` ends any connection kept between messages."""

    def send(self, message: EmailMessage) -> None:
        """Deliver ``message`` or raise."""

    def close(self) -> None:
        """Release the connection, if any."""


def parse_mailbox(value: str) -> Address:
    """Parse one address such as ``zoe@example.org`` or ``Zoë O'Brien <zoe@example.org>``.

    Raises ValueError unless ``value`` is exactly one well-formed address.
    """
    if not isinstance(value, str) or "\r" in value or "\n" in value:
        raise ValueError(f"not an email address: {value!r}")
    header = email.policy.default.header_factory("To", value)
    addresses = header.addresses
    if header.defects or len(addresses) != 1 or not addresses[0].username \
            or not addresses[0].domain:
        raise ValueError(f"not exactly one email address: {value!r}")
    return addresses[0]


def format_mailbox(address: str, name: str | None = None) -> str:
    """``Name <address>`` with the quoting the name needs; the address alone without a name."""
    parsed = parse_mailbox(address)
    return str(Address(display_name=name or parsed.display_name, addr_spec=parsed.addr_spec))


def ical_method(ical: str) -> str | None:
    """The iTIP METHOD (REQUEST, CANCEL, ...) of an iCalendar text, or None when it has none."""
    match = _ICAL_METHOD.search(ical)
    return match.group(1).upper() if match else None


def compose(*, sender: str, recipient: str, subject: str, body_text: str,
            body_html: str | None = None, ical: str | None = None, locale: str | None = None,
            message_id: str | None = None, date: datetime | None = None) -> EmailMessage:
    """Build the message: plain text, optional HTML and iCalendar parts as alternatives.

    Non-ASCII names and subjects are encoded on sending (RFC 2047), bodies are UTF-8 in
    quoted-printable; the calendar part is ``text/calendar`` with the METHOD of the iCalendar
    text, which calendar clients need to show an invitation or a cancellation.
    """
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = format_datetime(date or utcnow())
    domain = parse_mailbox(sender).domain
    message["Message-ID"] = message_id or make_msgid(domain=domain)
    # Keeps out-of-office replies and mail loops away from automatic notifications (RFC 3834).
    message["Auto-Submitted"] = "auto-generated"
    # Quoted-printable keeps the message 7-bit: no relay needs 8BITMIME to carry "Zoë".
    message.set_content(body_text, cte="quoted-printable")
    if body_html:
        message.add_alternative(body_html, subtype="html", cte="quoted-printable")
    if ical:
        method = ical_method(ical)
        message.add_alternative(ical, subtype="calendar", cte="quoted-printable",
                                params={"method": method} if method else {})
    if locale:
        # After the parts: set_content() drops every Content-* header set before it.
        message["Content-Language"] = locale
    return message


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SMTPTransport:
    """Sends through an SMTP server; one connection is reused for a batch of messages.

    ``security`` is ``none``, ``starttls`` (refused, never downgraded, when the server does not
    offer it) or ``ssl`` (implicit TLS, usually port 465). Certificates are verified against
    the system's trust store unless an ``ssl_context`` is given.
    """

    def __init__(self, host: str, port: int, *, security: str = "none",
                 username: str | None = None, password: str | None = None,
                 timeout: float = 10.0, ssl_context: ssl.SSLContext | None = None) -> None:
        if security not in SECURITY_MODES:
            raise ValueError(f"security must be one of {', '.join(SECURITY_MODES)}")
        if username and security == "none" and not _is_loopback(host):
            raise ValueError("refusing to send the SMTP password unencrypted over the network; "
                             "use security 'starttls' or 'ssl'")
        if not (username or "").isascii() or not (password or "").isascii():
            # smtplib encodes AUTH as ASCII; fail at start-up instead of on every message.
            raise ValueError("the SMTP user name and password must be ASCII")
        self.host, self.port, self.security, self.timeout = host, port, security, timeout
        self.username = username
        self._password = password
        self._ssl_context = ssl_context
        self._connection: smtplib.SMTP | None = None

    def __repr__(self) -> str:
        return f"<SMTPTransport {self.host}:{self.port} {self.security}>"

    def _connect(self) -> smtplib.SMTP:
        context = self._ssl_context or ssl.create_default_context()
        connection: smtplib.SMTP | None = None
        try:
            if self.security == "ssl":
                connection = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                              context=context)
            else:
                connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.security == "starttls":
                connection.starttls(context=context)
            if self.username:
                connection.login(self.username, self._password or "")
        except (OSError, smtplib.SMTPException) as exc:
            if connection is not None:
                connection.close()
            raise self._unavailable(exc) from exc
        return connection

    def send(self, message: EmailMessage) -> None:
        """Deliver ``message``; a broken connection is dropped and reported as unavailable."""
        if self._connection is None:
            self._connection = self._connect()
        try:
            self._connection.send_message(message)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError,
                smtplib.SMTPNotSupportedError) as exc:
            # The server refused this message only; start the next one on a clean session,
            # unless it is closing the session for everyone (421).
            self.close()
            if getattr(exc, "smtp_code", None) == 421:
                raise self._unavailable(exc) from exc
            raise
        except (OSError, smtplib.SMTPException) as exc:
            # Disconnected, timed out, or the sender refused: every message would fail alike.
            self.close()
            raise self._unavailable(exc) from exc

    def _unavailable(self, exc: BaseException) -> TransportUnavailable:
        return TransportUnavailable(
            f"SMTP server {self.host}:{self.port}: {type(exc).__name__}: {exc}"
        )

    def close(self) -> None:
        """Say QUIT politely if the server is still there, then drop the connection."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()


class ConsoleTransport:
    """Prints each message instead of sending it: for development and demos."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream

    def send(self, message: EmailMessage) -> None:
        """Print the headers a person reads, the text part and which other parts there are."""
        stream = self._stream or sys.stdout
        lines = [f"{name}: {message[name]}" for name in ("From", "To", "Subject", "Date")]
        text = message.get_body(("plain",))
        lines += ["", text.get_content().rstrip() if text is not None else ""]
        for part in message.iter_parts():
            if part.get_content_type() != "text/plain":
                method = part.get_param("method")
                lines.append(f"[{part.get_content_type()}{f'; method={method}' if method else ''}]")
        stream.write("\n".join(["-" * 72, *lines, "-" * 72, ""]))
        stream.flush()

    def close(self) -> None:
        """Nothing to release."""


def sender_from_config(config: Mapping[str, Any]) -> str:
    """The From address: ``KIT_MAIL_SENDER``, named after the program when it has no name."""
    return format_mailbox(config["KIT_MAIL_SENDER"],
                          parse_mailbox(config["KIT_MAIL_SENDER"]).display_name
                          or localized(config["KIT_PROGRAM_NAME"], "en"))


def transport_from_config(config: Mapping[str, Any]) -> Transport:
    """The transport chosen by ``KIT_MAIL_BACKEND``, set up from the ``KIT_SMTP_*`` keys."""
    if config["KIT_MAIL_BACKEND"] == "console":
        return ConsoleTransport()
    return SMTPTransport(
        config["KIT_SMTP_HOST"], config["KIT_SMTP_PORT"], security=config["KIT_SMTP_SECURITY"],
        username=config["KIT_SMTP_USERNAME"], password=config["KIT_SMTP_PASSWORD"],
        timeout=config["KIT_SMTP_TIMEOUT"],
    )
