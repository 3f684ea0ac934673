"""What every part of the demo seeder shares: the random source, the calendar and name helpers."""

from __future__ import annotations

import random
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kit.demo.people import CULTURES_BY_KEY, Culture

# Letters that Unicode does not decompose into an ASCII base letter.
_ASCII_EXTRA = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O",
                              "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE"})


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters and digits of ``text`` (for email addresses and user ids)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_EXTRA))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", "", plain.lower())


@dataclass
class Person:
    """A generated name with its culture."""

    culture: Culture
    given: str
    family: str

    @property
    def full_name(self) -> str:
        """The name as its bearer writes it."""
        return self.culture.full_name(self.given, self.family)


@dataclass
class DemoContext:
    """The seeder's shared state: one random source, "today", and names already used."""

    rng: random.Random
    today: date
    timezone: ZoneInfo
    used_names: set[str] = field(default_factory=set)
    used_emails: set[str] = field(default_factory=set)
    used_given: set[str] = field(default_factory=set)

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """A moment at local wall-clock time on ``day``, as a timezone-aware UTC datetime."""
        return datetime.combine(day, time(hour, minute), self.timezone).astimezone(UTC)

    @property
    def now(self) -> datetime:
        """Noon today, local time: the demo's idea of "now" (so runs are reproducible)."""
        return self.at(self.today, 12)

    def days_ago(self, days: int, hour: int = 10) -> datetime:
        """A moment ``days`` before today at ``hour`` local time."""
        return self.at(self.today - timedelta(days=days), hour)

    def workday(self, day: date) -> date:
        """``day`` or the next Monday when it falls on a weekend."""
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return day

    def uid(self) -> str:
        """A reproducible iCalendar UID."""
        return f"{uuid.UUID(int=self.rng.getrandbits(128), version=4)}@mentoring-kit"

    def person(self, weights: dict[str, int]) -> Person:
        """A new person from a culture picked by ``weights``, with a name not used before."""
        keys = list(weights)
        for attempt in range(400):
            culture = CULTURES_BY_KEY[self.rng.choices(keys, [weights[k] for k in keys])[0]]
            given = self.rng.choice(culture.given_names)
            family = self.rng.choice(culture.family_names) if culture.family_names else ""
            # Prefer given names not used yet, so that the lists look varied.
            if attempt < 100 and given in self.used_given:
                continue
            if self.claim_name(Person(culture, given, family)):
                return Person(culture, given, family)
        raise RuntimeError("ran out of distinct demo names")

    def claim_name(self, person: Person) -> bool:
        """Reserve ``person``'s name; False when someone already has it."""
        if person.full_name in self.used_names:
            return False
        self.used_names.add(person.full_name)
        self.used_given.add(person.given)
        return True

    def email(self, person: Person, domain: str) -> str:
        """A unique ASCII address such as ``lan.nguyen@portalder.example``."""
        parts = [ascii_slug(person.given.split()[-1] if person.culture.family_first
                            else person.given)]
        if person.family:
            parts.append(ascii_slug(person.family))
        base = ".".join(part for part in parts if part) or "person"
        candidate, number = f"{base}@{domain}", 2
        while candidate in self.used_emails:
            candidate, number = f"{base}{number}@{domain}", number + 1
        self.used_emails.add(candidate)
        return candidate
