"""Why a pair scores what it scores: reasons as data, for the reader's language to phrase.

This module stays free of translations: each :class:`Reason` carries a stable ``code``, the
points it adds to the score and the parameters a sentence needs (a NOC code, hours, a language
code). The web layer turns ``("same_unit_group", {"noc_code": "21300"})`` into "same occupation:
Civil engineers (21300)" in English or French. The contributions add up to the pair's score as
:class:`~kit.matching.score.Scorer` computes it (before any constraint forbids the pair).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kit.matching.features import (
    MentorProfile,
    NewcomerProfile,
    noc_levels,
    sector_of,
    teer_of,
)
from kit.matching.score import Weights

# Display order for reasons of equal weight; also the full list of codes the web must phrase.
REASON_CODES = (
    "same_unit_group",
    "same_minor_group",
    "same_submajor_group",
    "same_major_group",
    "same_broad_category",
    "similar_teer",
    "same_industry",
    "shared_language",
    "both_french",
    "goals_overlap",
    "same_location",
    "availability_overlap",
    "experienced_mentor",
)

# Plain English for logs, the command line and the benchmark; never shown through the web,
# which translates the code itself.
ENGLISH = {
    "same_unit_group": "same occupation ({noc_code})",
    "same_minor_group": "same minor group ({noc_code})",
    "same_submajor_group": "same sub-major group ({noc_code})",
    "same_major_group": "same major group ({noc_code})",
    "same_broad_category": "same broad occupational category ({noc_code})",
    "similar_teer": "similar training and duties (TEER {newcomer_teer} and {mentor_teer})",
    "same_industry": "same industry (NAICS {naics})",
    "shared_language": "shared language ({language})",
    "both_french": "both speak French",
    "goals_overlap": "shared goals ({goals_text})",
    "same_location": "same location ({location})",
    "availability_overlap": "availability overlaps {hours_per_week:g} h a week",
    "experienced_mentor": "experienced mentor ({years:g} years)",
}

_LEVEL_CODES = ("same_broad_category", "same_major_group", "same_submajor_group",
                "same_minor_group", "same_unit_group")


@dataclass(frozen=True)
class Reason:
    """One reason a pair fits: stable code, points added to the score, sentence parameters."""

    code: str
    contribution: float
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def text_key(self) -> str:
        """The translation-free key of the sentence (``matching.reason.<code>``)."""
        return f"matching.reason.{self.code}"

    def english(self) -> str:
        """The reason in plain English (for logs and the command line, not for web pages)."""
        params = dict(self.params)
        params.setdefault("goals_text", ", ".join(params.get("goals", ())))  # type: ignore[arg-type]
        return ENGLISH[self.code].format(**params)


def explain(newcomer: NewcomerProfile, mentor: MentorProfile,
            weights: Weights | None = None) -> list[Reason]:
    """The reasons behind a pair's score, largest contribution first (zero terms left out)."""
    w = weights or Weights()
    reasons: list[Reason] = []

    def add(code: str, points: float, **params: object) -> None:
        if points > 0:
            reasons.append(Reason(code, float(points), params))

    if newcomer.noc and mentor.noc:
        a, b = noc_levels(newcomer.noc, -1), noc_levels(mentor.noc, -2)
        depth = sum(x == y for x, y in zip(a, b, strict=True))
        if depth:
            add(_LEVEL_CODES[depth - 1], w.occupation * w.occupation_share(depth),
                noc_code=mentor.noc[:depth], level=depth)
    t_n, t_m = teer_of(newcomer.noc), teer_of(mentor.noc)
    if t_n >= 0 and t_m >= 0:
        add("similar_teer", w.teer * (1 - abs(t_n - t_m) / 5), newcomer_teer=t_n, mentor_teer=t_m)
    sector = sector_of(newcomer.naics)
    if sector and sector == sector_of(mentor.naics):
        add("same_industry", w.industry, naics=sector)
    shared = sorted(newcomer.languages & mentor.languages)
    if shared:
        add("shared_language", w.language, language=shared[0], languages=shared)
    if newcomer.preferred_language == "fr" and "fr" in mentor.languages:
        add("both_french", w.french, language="fr")
    common = newcomer.goals & mentor.goals
    if common:
        jaccard = len(common) / len(newcomer.goals | mentor.goals)
        add("goals_overlap", w.goals * jaccard, goals=sorted(common), jaccard=jaccard)
    if newcomer.location and newcomer.location == mentor.location:
        add("same_location", w.location, location=mentor.location)
    hours = (newcomer.availability_mask & mentor.availability_mask).bit_count() / 2
    if hours:
        capped = min(hours, w.availability_cap_hours) / w.availability_cap_hours
        add("availability_overlap", w.availability * capped, hours_per_week=hours)
    add("experienced_mentor", w.experience * w.experience_term(mentor.years), years=mentor.years)
    reasons.sort(key=lambda r: (-r.contribution, REASON_CODES.index(r.code)))
    return reasons


def total(reasons: list[Reason]) -> float:
    """The score the reasons add up to."""
    return sum(r.contribution for r in reasons)
