"""Small builders for matching tests: profiles with sensible defaults, and random cohorts."""

from __future__ import annotations

import numpy as np

from kit.matching import MentorProfile, NewcomerProfile, Scorer, encode_mentors, encode_newcomers
from kit.matching.score import Weights
from kit.reference.noc import load_noc_index


def mentor(noc: str | None = "21300", **kw: object) -> MentorProfile:
    values: dict[str, object] = {"id": "m", "noc": noc, "languages": frozenset({"en"})}
    values.update(kw)
    return MentorProfile(**values)  # type: ignore[arg-type]


def newcomer(noc: str | None = "21300", **kw: object) -> NewcomerProfile:
    values: dict[str, object] = {"id": "n", "noc": noc, "languages": frozenset({"en"})}
    values.update(kw)
    return NewcomerProfile(**values)  # type: ignore[arg-type]


def scorer(newcomers: list[NewcomerProfile], mentors: list[MentorProfile],
           weights: Weights | None = None, **kw: object) -> Scorer:
    encoded = encode_mentors(mentors)
    return Scorer(encode_newcomers(newcomers, encoded), encoded, weights, **kw)  # type: ignore[arg-type]


def random_cohort(seed: int, n: int, m: int) -> tuple[list[NewcomerProfile], list[MentorProfile]]:
    """A small cohort over a few related real NOC codes, so every level of proximity occurs."""
    rng = np.random.default_rng(seed)
    units = [c.code for c in load_noc_index().unit_groups()]
    codes = [*[u for u in units if u.startswith(("213", "212", "11", "31"))][:25], None]
    langs, goals = ["en", "fr", "es", "ar"], ["resume", "network", "licence", "interview", "lead"]
    areas = ["East", "West", "North", None]

    def common() -> dict[str, object]:
        day, start = int(rng.integers(0, 5)), int(rng.integers(16, 34)) * 30
        return {
            "noc": codes[int(rng.integers(0, len(codes)))],
            "naics": str(rng.choice(["54", "23", "62", "31-33"])),
            "languages": frozenset(rng.choice(langs, int(rng.integers(1, 3)), replace=False)),
            "goals": frozenset(rng.choice(goals, int(rng.integers(0, 4)), replace=False)),
            "location": areas[int(rng.integers(0, len(areas)))],
            "availability": ((day, start, start + int(rng.integers(1, 8)) * 30),),
        }

    newcomers = [NewcomerProfile(id=i, preferred_language=str(rng.choice(["en", "fr"])),
                                 **common()) for i in range(n)]  # type: ignore[arg-type]
    mentors = [MentorProfile(id=j, years=float(rng.integers(0, 25)),
                             capacity=int(rng.integers(1, 4)), **common())  # type: ignore[arg-type]
               for j in range(m)]
    return newcomers, mentors
