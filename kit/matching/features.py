"""Mentor and newcomer profiles, and their vectorized encodings for scoring.

Pure code: numpy only. A profile is what a coordinator sees (codes and words); the encoded arrays
are what the scorer reads. Mentors and newcomers are encoded against one shared vocabulary built
from the mentors, so a word only a newcomer uses still counts in the size of their goal set (for
the Jaccard overlap) but can match no mentor.

Encodings:
- NOC 2021 codes become one integer per level (broad 1 digit, major 2, sub-major 3, minor 4,
  unit group 5), so "same minor group" is an integer equality; TEER is the second digit.
- languages and goal tokens become bitsets (uint64 words);
- availability becomes a 7 x 48 half-hour bitmask packed in six uint64 words (Monday 00:00 is
  bit 0), so overlapping half-hours are a popcount of an AND.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from kit.reference.naics import naics_sector_code

NOC_LEVEL_NAMES = ("broad", "major", "submajor", "minor", "unit")
SLOTS_PER_DAY = 48
SLOTS_PER_WEEK = 7 * SLOTS_PER_DAY
AVAILABILITY_WORDS = (SLOTS_PER_WEEK + 63) // 64
MAX_CAPACITY = 3

# Missing categorical values get a different sentinel on each side so they never match.
NEWCOMER_MISSING = -1
MENTOR_MISSING = -2

Window = tuple[int, int, int]  # (weekday 0 = Monday, start minute, end minute)


def availability_mask(windows: Iterable[Window]) -> int:
    """The half-hour bitmask of weekly windows; a half-hour counts only when wholly inside one.

    ``(1, 9 * 60, 11 * 60)`` (Tuesday 9:00 to 11:00) sets four bits. Windows may not cross
    midnight: split them.
    """
    mask = 0
    for weekday, start, end in windows:
        if not 0 <= weekday < 7 or not 0 <= start <= end <= 24 * 60:
            raise ValueError(f"invalid availability window: {(weekday, start, end)!r}")
        first = -(-start // 30)  # round the start up to the next half-hour
        last = end // 30
        for slot in range(first, last):
            mask |= 1 << (weekday * SLOTS_PER_DAY + slot)
    return mask


def _mask_words(mask: int) -> np.ndarray:
    if mask < 0 or mask >> SLOTS_PER_WEEK:
        raise ValueError("an availability mask has 336 bits (7 days x 48 half-hours)")
    return np.array(
        [(mask >> (64 * w)) & 0xFFFF_FFFF_FFFF_FFFF for w in range(AVAILABILITY_WORDS)],
        dtype=np.uint64,
    )


def _as_mask(availability: int | Iterable[Window]) -> int:
    return availability if isinstance(availability, int) else availability_mask(availability)


@dataclass(frozen=True)
class MentorProfile:
    """A volunteer mentor as the matcher sees them."""

    id: object
    noc: str | None
    naics: str | None = None
    languages: frozenset[str] = frozenset()
    goals: frozenset[str] = frozenset()
    location: str | None = None
    availability: int | tuple[Window, ...] = 0
    years: float = 0.0
    capacity: int = 1
    remaining: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.capacity <= MAX_CAPACITY:
            raise ValueError(f"mentor capacity must be 1 to {MAX_CAPACITY}")
        if self.remaining is not None and not 0 <= self.remaining <= self.capacity:
            raise ValueError("remaining capacity must be between 0 and the capacity")

    @property
    def free(self) -> int:
        """Places still open (the capacity when nothing else says)."""
        return self.capacity if self.remaining is None else self.remaining

    @property
    def availability_mask(self) -> int:
        """The weekly half-hour bitmask."""
        return _as_mask(self.availability)


@dataclass(frozen=True)
class NewcomerProfile:
    """A newcomer (mentee) as the matcher sees them."""

    id: object
    noc: str | None
    naics: str | None = None
    languages: frozenset[str] = frozenset()
    preferred_language: str = "en"
    goals: frozenset[str] = frozenset()
    location: str | None = None
    availability: int | tuple[Window, ...] = 0

    @property
    def availability_mask(self) -> int:
        """The weekly half-hour bitmask."""
        return _as_mask(self.availability)


def noc_levels(code: str | None, missing: int) -> list[int]:
    """The code of each level of a NOC code as integers, ``missing`` where the code is coarser."""
    if not code:
        return [missing] * 5
    if not code.isdigit() or len(code) > 5:
        raise ValueError(f"not a NOC 2021 code: {code!r}")
    return [int(code[: n + 1]) if len(code) > n else missing for n in range(5)]


def teer_of(code: str | None) -> int:
    """The TEER category (second digit of a NOC 2021 code), or -1 if unknown."""
    return int(code[1]) if code and len(code) > 1 else -1


def sector_of(naics: str | None) -> str | None:
    """The NAICS sector of any NAICS code ("5413" -> "54"), or None."""
    return naics_sector_code(naics) if naics else None


@dataclass
class Vocabulary:
    """Token -> bit (languages, goals) and value -> integer (locations, sectors) tables."""

    languages: dict[str, int] = field(default_factory=dict)
    goals: dict[str, int] = field(default_factory=dict)
    locations: dict[str, int] = field(default_factory=dict)
    sectors: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_mentors(cls, mentors: Sequence[MentorProfile]) -> Vocabulary:
        """Every value any mentor uses; a newcomer value outside it matches nobody anyway."""
        vocab = cls()
        for m in mentors:
            for lang in sorted(m.languages):
                vocab.languages.setdefault(lang, len(vocab.languages))
            for goal in sorted(m.goals):
                vocab.goals.setdefault(goal, len(vocab.goals))
            if m.location:
                vocab.locations.setdefault(m.location, len(vocab.locations))
            sector = sector_of(m.naics)
            if sector:
                vocab.sectors.setdefault(sector, len(vocab.sectors))
        return vocab


def _bitsets(token_sets: Sequence[Iterable[str]], table: dict[str, int]) -> np.ndarray:
    words = max(1, (len(table) + 63) // 64)
    out = np.zeros((len(token_sets), words), dtype=np.uint64)
    for row, tokens in enumerate(token_sets):
        for token in tokens:
            bit = table.get(token)
            if bit is not None:
                out[row, bit // 64] |= np.uint64(1 << (bit % 64))
    return out


def _categories(values: Sequence[str | None], table: dict[str, int], missing: int) -> np.ndarray:
    return np.array([table.get(v, missing) if v else missing for v in values], dtype=np.int32)


@dataclass
class _Side:
    ids: list[object]
    noc_codes: list[str | None]
    noc: np.ndarray  # (n, 5) int32, one column per NOC level, broad first
    teer: np.ndarray  # (n,) int8, -1 unknown
    sector: np.ndarray  # (n,) int32
    languages: np.ndarray  # (n, words) uint64
    goals: np.ndarray  # (n, words) uint64
    goal_count: np.ndarray  # (n,) int16, including words no mentor uses
    location: np.ndarray  # (n,) int32
    availability: np.ndarray  # (n, 6) uint64

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class MentorFeatures(_Side):
    """Encoded mentors; ``remaining`` is what the capacity mask and the assignment read."""

    years: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    capacity: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    remaining: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    vocabulary: Vocabulary = field(default_factory=Vocabulary)


@dataclass
class NewcomerFeatures(_Side):
    """Encoded newcomers."""

    prefers_french: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))


def _side(profiles: Sequence[MentorProfile] | Sequence[NewcomerProfile], vocab: Vocabulary,
          missing: int) -> dict[str, object]:
    n = len(profiles)
    availability = np.zeros((n, AVAILABILITY_WORDS), dtype=np.uint64)
    for row, p in enumerate(profiles):
        availability[row] = _mask_words(p.availability_mask)
    return {
        "ids": [p.id for p in profiles],
        "noc_codes": [p.noc for p in profiles],
        "noc": np.array([noc_levels(p.noc, missing) for p in profiles], np.int32).reshape(n, 5),
        "teer": np.array([teer_of(p.noc) for p in profiles], dtype=np.int8),
        "sector": _categories([sector_of(p.naics) for p in profiles], vocab.sectors, missing),
        "languages": _bitsets([p.languages for p in profiles], vocab.languages),
        "goals": _bitsets([p.goals for p in profiles], vocab.goals),
        "goal_count": np.array([len(p.goals) for p in profiles], dtype=np.int16),
        "location": _categories([p.location for p in profiles], vocab.locations, missing),
        "availability": availability,
    }


def encode_mentors(mentors: Sequence[MentorProfile]) -> MentorFeatures:
    """Encode mentors (and build the vocabulary newcomers are encoded against)."""
    vocab = Vocabulary.from_mentors(mentors)
    return MentorFeatures(
        **_side(mentors, vocab, MENTOR_MISSING),  # type: ignore[arg-type]
        years=np.array([m.years for m in mentors], dtype=np.float32),
        capacity=np.array([m.capacity for m in mentors], dtype=np.int8),
        remaining=np.array([m.free for m in mentors], dtype=np.int8),
        vocabulary=vocab,
    )


def encode_newcomers(newcomers: Sequence[NewcomerProfile], mentors: MentorFeatures
                     ) -> NewcomerFeatures:
    """Encode newcomers against the mentors' vocabulary."""
    return NewcomerFeatures(
        **_side(newcomers, mentors.vocabulary, NEWCOMER_MISSING),  # type: ignore[arg-type]
        prefers_french=np.array([n.preferred_language == "fr" for n in newcomers], dtype=bool),
    )


def popcount(words: np.ndarray) -> np.ndarray:
    """Set bits per element of an unsigned integer array (numpy 2's bitwise_count, or a table)."""
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(words)
    as_bytes = np.ascontiguousarray(words).view(np.uint8).reshape(*words.shape, -1)
    return _BYTE_POPCOUNT[as_bytes].sum(axis=-1, dtype=np.uint8)


_BYTE_POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)


def overlap_half_hours(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Common half-hours of packed availability rows; broadcasts like ``a & b`` on the rows."""
    return popcount(a & b).sum(axis=-1, dtype=np.int32)


def slot_matrix(availability: np.ndarray, slots: np.ndarray) -> np.ndarray:
    """Availability rows unpacked to float32 0/1 columns for the given slot numbers.

    Scoring many pairs at once is a matrix product of these (BLAS), which beats a popcount per
    pair once there are more than a few dozen pairs per row.
    """
    bits = np.unpackbits(availability.view(np.uint8), axis=1, bitorder="little")
    return np.ascontiguousarray(bits[:, slots], dtype=np.float32)
