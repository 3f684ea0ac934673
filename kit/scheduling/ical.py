"""iCalendar content (RFC 5545, with the ``icalendar`` library): invitations and personal feeds.

Calendar programs (Outlook, Google, Apple) recognise an update by two things: the same ``UID`` and
a higher ``SEQUENCE``. The session keeps its UID for life; the service raises its sequence each
time the time, place or attendees change and when it is cancelled, then sends
``invitation(event)`` (``METHOD:REQUEST``) or ``invitation(event, "CANCEL")``.

Every time carries the employer's zone (``DTSTART;TZID=America/Vancouver:...``) and the calendar
holds the matching ``VTIMEZONE``, so an invitation shows the right hour in any program and zone.
Text is escaped by the library (commas, semicolons, new lines) and parameter values such as
``CN="Nguyễn, Thị (Lan)"`` are quoted (RFC 6868 for double quotes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Literal

from icalendar import Calendar, Event, vCalAddress

from kit.scheduling.errors import SchedulingError
from kit.scheduling.times import zone_info

PRODID = "-//Mentoring kit//Workplace sessions//EN"
ROLES = ("CHAIR", "REQ-PARTICIPANT", "OPT-PARTICIPANT", "NON-PARTICIPANT")
Method = Literal["REQUEST", "CANCEL"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


@dataclass(frozen=True)
class Person:
    """Someone named on an event: the organizer."""

    email: str
    name: str = ""


@dataclass(frozen=True)
class Attendee:
    """Someone invited; ``role`` is an iCalendar ROLE (``REQ-PARTICIPANT`` by default)."""

    email: str
    name: str = ""
    role: str = "REQ-PARTICIPANT"

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown attendee role {self.role!r}; one of {ROLES}")


@dataclass(frozen=True)
class CalendarEvent:
    """A session as calendars see it. Times are aware instants; ``zone`` is shown as TZID.

    Location fields and ``online_url`` carry the names of the session model. ``description`` is
    the text already written for the reader's language (visitor instructions, confidentiality
    note): see :func:`compose_description`.
    """

    uid: str
    sequence: int
    summary: str
    start: datetime
    end: datetime
    zone: str
    organizer: Person
    attendees: tuple[Attendee, ...] = ()
    location_building: str | None = None
    location_room: str | None = None
    location_address: str | None = None
    online_url: str | None = None
    description: str | None = None
    cancelled: bool = False

    def __post_init__(self) -> None:
        for value in (self.start, self.end):
            if value.tzinfo is None or value.utcoffset() is None:
                raise SchedulingError("naive_datetime", "event times must be timezone-aware")
        if not self.start < self.end:
            raise SchedulingError("invalid_interval", "an event must end after it starts")
        if self.sequence < 0:
            raise ValueError("SEQUENCE starts at 0")
        zone_info(self.zone)

    @property
    def location(self) -> str:
        """Building, room and address, or the online link when there is no place."""
        parts = [self.location_building, self.location_room, self.location_address]
        place = ", ".join(part.strip() for part in parts if part and part.strip())
        return place or (self.online_url or "")


def compose_description(sections: Iterable[tuple[str, str | None]]) -> str:
    """Join ``(heading, text)`` sections into one DESCRIPTION, skipping empty texts.

    The headings come translated from the caller, e.g. ``[(_("Visitor instructions"), ...),
    (_("Confidentiality"), ...)]``.
    """
    blocks = [f"{heading}:\n{text.strip()}" for heading, text in sections if text and text.strip()]
    return "\n\n".join(blocks)


def _param(value: str) -> str:
    """A parameter value without the line breaks or control characters RFC 5545 forbids there."""
    return _CONTROL.sub(" ", value).strip()


def _address(email: str, name: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{_param(email)}")
    if name.strip():
        address.params["CN"] = _param(name)
    return address


def _stamp(stamp: datetime | None) -> datetime:
    """DTSTAMP: when this file was made (now, unless a test fixes it)."""
    if stamp is None:
        return datetime.now(UTC)
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        raise SchedulingError("naive_datetime", "DTSTAMP must be timezone-aware")
    return stamp.astimezone(UTC)


def _vevent(item: CalendarEvent, *, stamp: datetime, with_attendees: bool, rsvp: bool) -> Event:
    tz = zone_info(item.zone)
    vevent = Event()
    vevent.add("uid", item.uid)
    vevent.add("sequence", item.sequence)
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", item.start.astimezone(tz))
    vevent.add("dtend", item.end.astimezone(tz))
    vevent.add("summary", item.summary)
    if item.location:
        vevent.add("location", item.location)
    if item.online_url:
        vevent.add("url", item.online_url)
    if item.description:
        vevent.add("description", item.description)
    vevent.add("organizer", _address(item.organizer.email, item.organizer.name), encode=0)
    if with_attendees:
        for person in item.attendees:
            address = _address(person.email, person.name)
            address.params["CUTYPE"] = "INDIVIDUAL"
            address.params["ROLE"] = person.role
            address.params["PARTSTAT"] = "NEEDS-ACTION"
            address.params["RSVP"] = "TRUE" if rsvp else "FALSE"
            vevent.add("attendee", address, encode=0)
    vevent.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    vevent.add("transp", "TRANSPARENT" if item.cancelled else "OPAQUE")
    return vevent


def _calendar(method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def _finish(calendar: Calendar, events: list[CalendarEvent]) -> str:
    if events:
        # VTIMEZONE rules for the years the events span (one year of margin), not 1970-2038:
        # invitations stay small and still describe every offset their times use.
        first = min(item.start for item in events).year - 1
        last = max(item.end for item in events).year + 2
        calendar.add_missing_timezones(first_date=date(first, 1, 1), last_date=date(last, 1, 1))
    return calendar.to_ical().decode("utf-8")


def invitation(
    event: CalendarEvent, method: Method = "REQUEST", *, stamp: datetime | None = None
) -> str:
    """An invitation email attachment: ``METHOD:REQUEST`` (new or update) or ``METHOD:CANCEL``.

    The caller raises ``event.sequence`` before sending an update or a cancellation; a
    cancellation carries ``STATUS:CANCELLED`` whatever ``event.cancelled`` says.
    """
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"unsupported METHOD {method!r}")
    cancel = method == "CANCEL"
    if cancel and not event.cancelled:
        event = replace(event, cancelled=True)
    calendar = _calendar(method)
    calendar.add_component(
        _vevent(event, stamp=_stamp(stamp), with_attendees=True, rsvp=not cancel)
    )
    return _finish(calendar, [event])


def feed(
    events: Iterable[CalendarEvent],
    name: str,
    *,
    zone: str | None = None,
    stamp: datetime | None = None,
) -> str:
    """A personal subscription feed (``METHOD:PUBLISH``) named ``name`` in the calendar program.

    Cancelled events stay in the feed with ``STATUS:CANCELLED`` so that subscribed calendars drop
    them. Attendees are left out: RFC 5546 publishes without them, and a feed URL travels further
    than an invitation.
    """
    items = sorted(events, key=lambda item: (item.start, item.uid))
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", name)
    # How often subscribed programs should look again (Outlook reads the X- form).
    calendar.add("x-published-ttl", "PT1H")
    shown_zone = zone or (items[0].zone if items else None)
    if shown_zone:
        calendar.add("x-wr-timezone", zone_info(shown_zone).key)
    stamp = _stamp(stamp)
    for item in items:
        calendar.add_component(_vevent(item, stamp=stamp, with_attendees=False, rsvp=False))
    return _finish(calendar, items)
