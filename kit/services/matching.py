"""Matching from the database: suggestions and a cohort's batch assignment.

Profiles are loaded in a few queries (volunteers with their places left, accepted newcomers
without an open match, their languages and availability), handed to the pure engine in
:mod:`kit.matching`, and the engine's indices are turned back into database ids. Nothing here
writes: :mod:`kit.services.match_proposals` stores the coordinator's rules and publishes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from kit.matching import (
    MentorProfile,
    NewcomerProfile,
    Reason,
    Scorer,
    Weights,
    assign,
    encode_mentors,
    encode_newcomers,
    explain,
    top_mentors,
    top_newcomers,
)
from kit.models import (
    AvailabilityWindow,
    Match,
    MatchPairRule,
    Newcomer,
    NewcomerLanguage,
    Referral,
    StaffMember,
    VolunteerLanguage,
    VolunteerProfile,
)
from kit.models.matches import MATCH_OPEN_STATUSES
from kit.reference.noc import normalize
from kit.services.matches import MatchError
from kit.state import get_state

SUGGESTIONS = 10
_WORD = re.compile(r"\w+")
# Words too common in career goals to say anything about a pair.
_STOP_WORDS = frozenset((
    "about", "again", "also", "and", "avec", "dans", "des", "for", "from", "get", "have",
    "into", "les", "job", "jobs", "more", "pour", "que", "qui", "sur", "the", "then", "this",
    "une", "use", "want", "with", "work", "working", "would"))


@dataclass(frozen=True)
class MentorCard:
    """What the coordinator sees of a mentor next to a score."""

    volunteer_id: int
    staff_id: int
    name: str
    department: str | None
    title: str | None
    noc_code: str
    capacity: int
    free: int
    manager_approval: str | None


@dataclass(frozen=True)
class NewcomerCard:
    """What the coordinator sees of a newcomer next to a score."""

    newcomer_id: int
    name: str
    noc_code: str | None
    preferred_locale: str


@dataclass(frozen=True)
class ScoredPair:
    """A mentor and a newcomer with the pair's score and the reasons behind it."""

    mentor: MentorCard
    newcomer: NewcomerCard
    score: float
    reasons: tuple[Reason, ...]
    pinned: bool = False


@dataclass
class BatchResult:
    """A cohort's best assignment, and what it could not use."""

    pairs: list[ScoredPair] = field(default_factory=list)
    unmatched: list[NewcomerCard] = field(default_factory=list)
    ignored_pins: list[MatchPairRule] = field(default_factory=list)
    rules: list[MatchPairRule] = field(default_factory=list)
    mentors: int = 0
    #: Names by id, for the rules' table.
    mentor_names: dict[int, str] = field(default_factory=dict)
    newcomer_names: dict[int, str] = field(default_factory=dict)

    @property
    def total(self) -> float:
        """The sum of the pairs' scores, which the assignment makes as large as it can be."""
        return sum(pair.score for pair in self.pairs)


@dataclass
class Pool:
    """Loaded profiles and the cards to show them, in the engine's index order."""

    mentors: list[MentorProfile]
    mentor_cards: list[MentorCard]
    newcomers: list[NewcomerProfile]
    newcomer_cards: list[NewcomerCard]
    declined: list[tuple[int, int]]
    excluded: list[tuple[int, int]]
    weights: Weights

    def scorer(self) -> Scorer:
        """The engine's scorer over this pool, declined and excluded pairs forbidden."""
        mentors = encode_mentors(self.mentors)
        return Scorer(encode_newcomers(self.newcomers, mentors), mentors, self.weights,
                      declined=self.declined, excluded=self.excluded)

    def pair(self, i: int, j: int, score: float, pinned: bool = False) -> ScoredPair:
        """Newcomer ``i`` and mentor ``j`` as a scored pair with its reasons."""
        return ScoredPair(self.mentor_cards[j], self.newcomer_cards[i], score,
                          tuple(explain(self.newcomers[i], self.mentors[j], self.weights)),
                          pinned)


def goal_tokens(text: str | None) -> frozenset[str]:
    """The words of a career goal that can match another person's ("bridges", "design")."""
    words = _WORD.findall(normalize(text or ""))
    return frozenset(w for w in words if len(w) >= 4 and not w.isdigit() and w not in _STOP_WORDS)


def configured_weights() -> Weights:
    """The scoring weights of ``KIT_MATCHING_WEIGHTS`` over the engine's defaults."""
    return Weights.from_mapping(get_state().config["KIT_MATCHING_WEIGHTS"])


def configured_min_score() -> float:
    """``KIT_MATCHING_MIN_SCORE``."""
    return float(get_state().config["KIT_MATCHING_MIN_SCORE"])


def _windows(db: Session, column: Any, ids: Sequence[int]) -> dict[int, list[tuple[int, int, int]]]:
    out: dict[int, list[tuple[int, int, int]]] = {}
    if not ids:
        return out
    for owner, day, start, end in db.execute(
            select(column, AvailabilityWindow.weekday, AvailabilityWindow.start_minute,
                   AvailabilityWindow.end_minute).where(column.in_(ids))):
        out.setdefault(owner, []).append((day, start, end))
    return out


def _languages(db: Session, table: Any, owner: Any, ids: Sequence[int]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    if ids:
        for owner_id, code in db.execute(select(owner, table.language).where(owner.in_(ids))):
            out.setdefault(owner_id, set()).add(code)
    return out


def open_counts(db: Session, volunteer_ids: Sequence[int] | None = None) -> dict[int, int]:
    """Open matches (proposed, accepted, active) per volunteer."""
    query = (select(Match.volunteer_id, func.count()).where(Match.status.in_(MATCH_OPEN_STATUSES))
             .group_by(Match.volunteer_id))
    if volunteer_ids is not None:
        query = query.where(Match.volunteer_id.in_(volunteer_ids))
    return {volunteer_id: count for volunteer_id, count in db.execute(query)}


def load_mentors(db: Session, volunteer_ids: Sequence[int] | None = None
                 ) -> tuple[list[MentorProfile], list[MentorCard]]:
    """Approved volunteers whose manager did not decline, with their places left.

    With ``volunteer_ids`` only those (whatever their status: the page of one mentor shows
    why nobody is suggested).
    """
    query = (select(VolunteerProfile, StaffMember)
             .join(StaffMember, StaffMember.id == VolunteerProfile.staff_id)
             .order_by(VolunteerProfile.id))
    if volunteer_ids is None:
        query = query.where(VolunteerProfile.status == "approved", StaffMember.is_active,
                            VolunteerProfile.manager_approval.is_distinct_from("declined"))
    else:
        query = query.where(VolunteerProfile.id.in_(volunteer_ids))
    rows = db.execute(query).all()
    ids = [profile.id for profile, _ in rows]
    languages = _languages(db, VolunteerLanguage, VolunteerLanguage.volunteer_id, ids)
    windows = _windows(db, AvailabilityWindow.volunteer_id, ids)
    counts = open_counts(db, ids)
    profiles, cards = [], []
    for profile, staff in rows:
        matchable = (profile.status == "approved" and staff.is_active
                     and profile.manager_approval != "declined")
        free = max(0, profile.capacity - counts.get(profile.id, 0)) if matchable else 0
        profiles.append(MentorProfile(
            id=profile.id, noc=profile.noc_code, naics=profile.naics_sector,
            languages=frozenset(languages.get(profile.id, ())),
            goals=goal_tokens(profile.goals_text), location=staff.work_location,
            availability=tuple(windows.get(profile.id, ())),
            years=float(profile.years_experience), capacity=profile.capacity, remaining=free))
        cards.append(MentorCard(profile.id, staff.id, staff.display_name, staff.department,
                                staff.title, profile.noc_code, profile.capacity, free,
                                profile.manager_approval))
    return profiles, cards


def _accepted(cohort_id: int | None) -> Any:
    condition = (Referral.newcomer_id == Newcomer.id) & (Referral.status == "accepted")
    if cohort_id is not None:
        condition = condition & (Referral.cohort_id == cohort_id)
    return exists().where(condition)


def _has_open_match() -> Any:
    return exists().where(Match.newcomer_id == Newcomer.id,
                          Match.status.in_(MATCH_OPEN_STATUSES))


def load_newcomers(db: Session, cohort_id: int | None = None,
                   newcomer_ids: Sequence[int] | None = None
                   ) -> tuple[list[NewcomerProfile], list[NewcomerCard]]:
    """Accepted newcomers without an open match (of one cohort), or exactly ``newcomer_ids``."""
    query = select(Newcomer).where(Newcomer.erased_at.is_(None)).order_by(Newcomer.id)
    if newcomer_ids is None:
        query = query.where(_accepted(cohort_id), ~_has_open_match())
    else:
        query = query.where(Newcomer.id.in_(newcomer_ids))
    rows = list(db.scalars(query))
    ids = [n.id for n in rows]
    languages = _languages(db, NewcomerLanguage, NewcomerLanguage.newcomer_id, ids)
    windows = _windows(db, AvailabilityWindow.newcomer_id, ids)
    profiles = [NewcomerProfile(
        id=n.id, noc=n.target_noc_code, naics=n.naics_sector,
        languages=frozenset(languages.get(n.id, ())), preferred_language=n.preferred_locale,
        goals=goal_tokens(n.career_goal), location=n.residence_area,
        availability=tuple(windows.get(n.id, ()))) for n in rows]
    cards = [NewcomerCard(n.id, n.display_name, n.target_noc_code, n.preferred_locale)
             for n in rows]
    return profiles, cards


def pair_rules(db: Session, volunteer_ids: Sequence[int], newcomer_ids: Sequence[int]
               ) -> tuple[set[tuple[int, int]], list[MatchPairRule]]:
    """(newcomer id, volunteer id) pairs that declined before, and the coordinator's rules."""
    if not volunteer_ids or not newcomer_ids:
        return set(), []
    declined = {(n, v) for v, n in db.execute(
        select(Match.volunteer_id, Match.newcomer_id).where(
            Match.status == "declined", Match.volunteer_id.in_(volunteer_ids),
            Match.newcomer_id.in_(newcomer_ids)))}
    rules = list(db.scalars(select(MatchPairRule).where(
        MatchPairRule.volunteer_id.in_(volunteer_ids),
        MatchPairRule.newcomer_id.in_(newcomer_ids)).order_by(MatchPairRule.created_at,
                                                              MatchPairRule.id)))
    return declined, rules


def _pool(db: Session, mentors: tuple[list[MentorProfile], list[MentorCard]],
          newcomers: tuple[list[NewcomerProfile], list[NewcomerCard]],
          weights: Weights | None) -> tuple[Pool, list[MatchPairRule]]:
    m_ids = [p.id for p in mentors[0]]
    n_ids = [p.id for p in newcomers[0]]
    declined, rules = pair_rules(db, m_ids, n_ids)  # type: ignore[arg-type]
    m_at = {v: j for j, v in enumerate(m_ids)}
    n_at = {n: i for i, n in enumerate(n_ids)}
    excluded = [(n_at[r.newcomer_id], m_at[r.volunteer_id]) for r in rules if r.kind == "exclude"]
    pool = Pool(mentors[0], mentors[1], newcomers[0], newcomers[1],
                [(n_at[n], m_at[v]) for n, v in declined], excluded,
                weights or configured_weights())
    return pool, rules


def suggest_mentors(db: Session, newcomer_id: int, k: int = SUGGESTIONS,
                    weights: Weights | None = None, min_score: float | None = None
                    ) -> list[ScoredPair]:
    """The best mentors with a place left for one newcomer, best first, with reasons."""
    newcomers = load_newcomers(db, newcomer_ids=[newcomer_id])
    if not newcomers[0]:
        raise MatchError("not_found")
    pool, _ = _pool(db, load_mentors(db), newcomers, weights)
    if not pool.mentors:
        return []
    floor = configured_min_score() if min_score is None else min_score
    return [pool.pair(0, s.index, s.score) for s in top_mentors(pool.scorer(), 0, k)
            if s.score >= floor]


def suggest_newcomers(db: Session, volunteer_id: int, k: int = SUGGESTIONS,
                      weights: Weights | None = None, min_score: float | None = None
                      ) -> tuple[MentorCard, list[ScoredPair]]:
    """One mentor's card and the best unmatched accepted newcomers for them (none if full)."""
    mentors = load_mentors(db, [volunteer_id])
    if not mentors[0]:
        raise MatchError("not_found")
    card = mentors[1][0]
    newcomers = load_newcomers(db)
    pool, _ = _pool(db, mentors, newcomers, weights)
    if not pool.newcomers:
        return card, []
    floor = configured_min_score() if min_score is None else min_score
    return card, [pool.pair(s.index, 0, s.score) for s in top_newcomers(pool.scorer(), 0, k)
                  if s.score >= floor]


def _usable_pins(pool: Pool, rules: list[MatchPairRule], cohort_id: int
                 ) -> tuple[list[tuple[int, int]], list[MatchPairRule]]:
    """Pins the assignment can honour, and those it cannot (mentor full, declined before)."""
    m_at = {p.id: j for j, p in enumerate(pool.mentors)}
    n_at = {p.id: i for i, p in enumerate(pool.newcomers)}
    declined = set(pool.declined)
    places = {j: p.free for j, p in enumerate(pool.mentors)}
    pins: list[tuple[int, int]] = []
    ignored: list[MatchPairRule] = []
    taken: set[int] = set()
    for rule in rules:
        if rule.kind != "pin" or rule.cohort_id not in (None, cohort_id):
            continue
        i, j = n_at[rule.newcomer_id], m_at[rule.volunteer_id]
        if i in taken or (i, j) in declined or places[j] <= 0:
            ignored.append(rule)
            continue
        taken.add(i)
        places[j] -= 1
        pins.append((i, j))
    return pins, ignored


def run_batch(db: Session, cohort_id: int, weights: Weights | None = None,
              min_score: float | None = None) -> BatchResult:
    """The assignment of a cohort's unmatched newcomers with the largest total score.

    Mentors' places left, the minimum score, the coordinator's pins and exclusions and the
    pairs that declined before all hold. Nothing is written: the coordinator publishes.
    """
    mentors = load_mentors(db)
    newcomers = load_newcomers(db, cohort_id)
    pool, rules = _pool(db, mentors, newcomers, weights)
    result = BatchResult(rules=rules, mentors=len(pool.mentors),
                         mentor_names={c.volunteer_id: c.name for c in pool.mentor_cards},
                         newcomer_names={c.newcomer_id: c.name for c in pool.newcomer_cards})
    if not pool.newcomers:
        return result
    if not pool.mentors:
        result.unmatched = list(pool.newcomer_cards)
        return result
    pins, result.ignored_pins = _usable_pins(pool, rules, cohort_id)
    floor = configured_min_score() if min_score is None else min_score
    pairs = assign(pool.scorer(), [p.free for p in pool.mentors], min_score=floor or None,
                   pinned=pins, excluded=pool.excluded)
    pinned = set(pins)
    result.pairs = [pool.pair(p.newcomer, p.mentor, p.score, (p.newcomer, p.mentor) in pinned)
                    for p in pairs]
    assigned = {p.newcomer for p in pairs}
    result.unmatched = [c for i, c in enumerate(pool.newcomer_cards) if i not in assigned]
    return result


def explain_pairs(db: Session, pairs: Sequence[tuple[int, int]],
                  weights: Weights | None = None) -> dict[tuple[int, int], list[Reason]]:
    """The reasons behind (volunteer id, newcomer id) pairs, from their current profiles."""
    if not pairs:
        return {}
    mentors = {p.id: p for p in load_mentors(db, sorted({v for v, _ in pairs}))[0]}
    newcomers = {p.id: p for p in load_newcomers(db, newcomer_ids=sorted({n for _, n in pairs}))[0]}
    w = weights or configured_weights()
    return {(v, n): explain(newcomers[n], mentors[v], w) for v, n in pairs
            if v in mentors and n in newcomers}
